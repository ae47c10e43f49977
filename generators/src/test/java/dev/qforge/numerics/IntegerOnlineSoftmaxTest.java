package dev.qforge.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming I-BERT softmax: hand-worked values, identity with I-BERT's non-streaming softmax where they must agree, its error. */
class IntegerOnlineSoftmaxTest {
    /**
     * S = 0.1: x0Int = floor(-0.6931 / 0.1) = -7 (c = 7), bInt = floor(2.70733 / 0.1) = 27,
     * cInt = floor(2.79211 / 0.01) = 279; the 16-bit requantization of a S^2 / 2^30 * 32767 =
     * 1.09296e-7 = 0.93684 * 2^-23: multiplier round(0.93684 * 2^31) = 1968898441, shift 31 + 23 = 54.
     * s = 10: e = ceil(10 / 7) = 2, r = 10 - 14 = -4, z = (-4 + 27)(-4) + 279 = 187,
     * w = round(187 * 1968898441 / 2^24) = round(21945.48) = 21945 (exp(-0.4) 32767 = 21964).
     */
    @Test
    void handWorkedTerms() {
        IntegerTransformer.SoftmaxParams p = IntegerTransformer.SoftmaxParams.forInputScale(0.1, 8);
        assertEquals(-7, p.exp().x0Int());
        assertEquals(27, p.exp().bInt());
        assertEquals(279, p.exp().cInt());
        assertEquals(1968898441L, p.requantMultiplier());
        assertEquals(54, p.requantShift());
        assertEquals(2, IntegerOnlineSoftmax.exponent(10, p));
        assertEquals(-4, IntegerOnlineSoftmax.remainder(10, p));
        assertEquals(21945, IntegerOnlineSoftmax.mantissa(10, p));
        // s = 13: e = 2, r = -1, z = 26 (-1) + 279 = 253, w = round(29690.94) = 29691
        assertEquals(29691, IntegerOnlineSoftmax.mantissa(13, p));
        // s = -20: e = ceil(-20 / 7) = -2, r = -6, z = 21 (-6) + 279 = 153, w = round(17955.39) = 17955; against max 2: 17955 >> 4 = 1122
        assertEquals(-2, IntegerOnlineSoftmax.exponent(-20, p));
        assertEquals(1122, IntegerOnlineSoftmax.term(-20, 2, p));
        // s = -7 is a multiple of c: e = -1, r = 0, z = cInt = 279, w = round(32742.18) = 32742
        assertEquals(-1, IntegerOnlineSoftmax.exponent(-7, p));
        assertEquals(32742, IntegerOnlineSoftmax.mantissa(-7, p));
    }

    /**
     * {10, 13, -20}: sum 21945 + 29691 + 1122 = 52758 in either order (the growth from e = -2 to 2 shifts
     * 17955 right by 4 = 1122 as well); factor = floor(2^32 / 52758) = 81408; out = floor(t 81408 / 2^24).
     */
    @Test
    void handWorkedRowInEitherOrder() {
        IntegerTransformer.SoftmaxParams p = IntegerTransformer.SoftmaxParams.forInputScale(0.1, 8);
        assertArrayEquals(new int[] {106, 144, 5}, IntegerOnlineSoftmax.softmax(new int[] {10, 13, -20}, 3, p));
        assertArrayEquals(new int[] {5, 106, 144}, IntegerOnlineSoftmax.softmax(new int[] {-20, 10, 13}, 3, p));
    }

    /**
     * Rows whose largest score is a multiple of c and whose every score is within c below it: the
     * same exponent everywhere, q = 0 in I-BERT, nothing rescaled, so the streaming softmax equals
     * I-BERT's non-streaming one exactly, in any order.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.004, 0.01, 0.03, 0.1})
    void equalsIbertWhenEveryScoreSharesTheMaximumsExponent(double scale) {
        IntegerTransformer.SoftmaxParams p = IntegerTransformer.SoftmaxParams.forInputScale(scale, 8);
        long c = IntegerOnlineSoftmax.step(p);
        Random r = new Random(Double.doubleToLongBits(scale));
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(64);
            int top = (int) (c * (r.nextInt(11) - 5));
            int[] x = new int[n];
            for (int i = 0; i < n; i++) {
                x[i] = top - r.nextInt((int) c);
            }
            x[r.nextInt(n)] = top;
            assertArrayEquals(IntegerTransformer.iSoftmax(x, n, p), IntegerOnlineSoftmax.softmax(x, n, p), "trial " + trial);
        }
    }

    /**
     * On general rows (uniform int8 scores, so logits up to +-12.8 at S = 0.1) it stays close to I-BERT's
     * non-streaming softmax and as close to float softmax as I-BERT itself: measured max abs errors
     * against float 0.049 (I-BERT's own: 0.041, both dominated by c S = 0.7 standing for ln 2), against
     * I-BERT 4 LSBs; the bounds are those plus a margin below one more LSB.
     */
    @Test
    void errorOnGeneralRowsIsBounded() {
        Random r = new Random(4242);
        double worstFloat = 0;
        double worstIbert = 0;
        double ibertFloat = 0;
        for (double s : new double[] {0.02, 0.0625, 0.1}) {
            IntegerTransformer.SoftmaxParams p = IntegerTransformer.SoftmaxParams.forInputScale(s, 8);
            for (int trial = 0; trial < 300; trial++) {
                int n = 1 + r.nextInt(128);
                int[] x = new int[n];
                for (int i = 0; i < n; i++) {
                    x[i] = r.nextInt(256) - 128;
                }
                int[] out = IntegerOnlineSoftmax.softmax(x, n, p);
                int[] ibert = IntegerTransformer.iSoftmax(x, n, p);
                double[] ref = IntegerTransformerTest.floatSoftmax(x, s);
                for (int i = 0; i < n; i++) {
                    ibertFloat = Math.max(ibertFloat, Math.abs(ibert[i] / 256.0 - ref[i]));
                    worstFloat = Math.max(worstFloat, Math.abs(out[i] / 256.0 - ref[i]));
                    worstIbert = Math.max(worstIbert, Math.abs(out[i] - ibert[i]) / 256.0);
                }
            }
        }
        System.out.printf("streaming i-softmax max abs error: %.5f against float (I-BERT: %.5f), %.5f against I-BERT%n", worstFloat,
                ibertFloat, worstIbert);
        assertTrue(worstFloat <= ibertFloat + 3 / 256.0, "against float " + worstFloat + ", I-BERT's own " + ibertFloat);
        assertTrue(worstIbert <= 5 / 256.0, "against I-BERT " + worstIbert);
    }

    /** exp16 is exact beyond the 2^62 product iSoftmax stops at (tiny scales, as an int4 cache's S / 4). */
    @Test
    void exp16IsExactForWideProducts() {
        IntegerTransformer.SoftmaxParams p = IntegerTransformer.SoftmaxParams.forInputScale(0x1p-16, 8);
        long z = p.exp().cInt(); // about 2.79 2^32: z times a 31-bit multiplier passes 2^62
        BigInteger product = BigInteger.valueOf(z).multiply(BigInteger.valueOf(p.requantMultiplier()));
        assertTrue(product.bitLength() > 62, "z " + z + " multiplier " + p.requantMultiplier());
        // z M / 2^49 = 32766.999998 (hand-computed in float): w = 32767, 32767 exp(0)
        assertEquals(32767, IntegerTransformer.exp16(z, 0, p));
        // q = 1 halves it: 16383.4999990, below the tie, 16383
        assertEquals(16383, IntegerTransformer.exp16(z, 1, p));
    }
}
