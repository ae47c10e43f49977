package dev.qforge.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qforge.dsl.Rounding;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** OCP MX v1.0: the issue 4 vectors, code round trips, encoding against a slow reference, exact dot products. */
class MxTest {
    private static double[] issueBlock() {
        double[] v = new double[32];
        v[0] = 1000;
        v[1] = 1;
        v[2] = -0.3;
        v[3] = 3;
        return v;
    }

    @Test
    void e4m3Vector() {
        Mx.Blocks b = Mx.quantize(issueBlock(), MxElementType.FP8_E4M3, Mx.BLOCK_SIZE);
        assertEquals(128, b.scales()[0]);
        assertEquals(0x7e, b.codes()[0]);
        assertEquals(0x30, b.codes()[1]);
        assertEquals(0xa2, b.codes()[2]);
        assertEquals(0x3c, b.codes()[3]);
        double[] d = Mx.decode(b);
        assertEquals(896.0, d[0]);
        assertEquals(1.0, d[1]);
        assertEquals(-0.3125, d[2]);
        assertEquals(3.0, d[3]);
    }

    @Test
    void e5m2Vector() {
        Mx.Blocks b = Mx.quantize(issueBlock(), MxElementType.FP8_E5M2, Mx.BLOCK_SIZE);
        assertEquals(121, b.scales()[0]);
        double[] d = Mx.decode(b);
        assertArrayEquals(new double[] {896, 1, -0.3125, 3}, new double[] {d[0], d[1], d[2], d[3]});
    }

    @Test
    void e3m2Vector() {
        Mx.Blocks b = Mx.quantize(issueBlock(), MxElementType.FP6_E3M2, Mx.BLOCK_SIZE);
        assertEquals(132, b.scales()[0]);
        double[] d = Mx.decode(b);
        assertEquals(896.0, d[0]);
        assertEquals(0.0, d[1]);
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(d[1]));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(d[2]), "-0.3 becomes -0");
        assertEquals(4.0, d[3]);
    }

    @Test
    void e2m1Vector() {
        Mx.Blocks b = Mx.quantize(issueBlock(), MxElementType.FP4_E2M1, Mx.BLOCK_SIZE);
        assertEquals(134, b.scales()[0]);
        assertEquals(768.0, Mx.decode(b)[0]);
    }

    @Test
    void mxint8Vector() {
        Mx.Blocks b = Mx.quantize(issueBlock(), MxElementType.INT8, Mx.BLOCK_SIZE);
        assertEquals(136, b.scales()[0]);
        assertEquals(0x7d, b.codes()[0]);
        double[] d = Mx.decode(b);
        assertArrayEquals(new double[] {1000, 0, 0, 0}, new double[] {d[0], d[1], d[2], d[3]});
    }

    @Test
    void allE2m1CodesDecode() {
        double[] magnitudes = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
        for (int code = 0; code < 16; code++) {
            double expected = (code & 8) != 0 ? -magnitudes[code & 7] : magnitudes[code & 7];
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(MxElementType.FP4_E2M1.decode(code)),
                    "E2M1 code " + code);
        }
    }

    @Test
    void maxNormalsAndSpecials() {
        assertEquals(448.0, MxElementType.FP8_E4M3.decode(0x7e));
        assertTrue(Double.isNaN(MxElementType.FP8_E4M3.decode(0x7f)));
        assertEquals(57344.0, MxElementType.FP8_E5M2.decode(0x7b));
        assertEquals(Double.POSITIVE_INFINITY, MxElementType.FP8_E5M2.decode(0x7c));
        assertEquals(Double.NEGATIVE_INFINITY, MxElementType.FP8_E5M2.decode(0xfc));
        assertEquals(28.0, MxElementType.FP6_E3M2.decode(0x1f));
        assertEquals(7.5, MxElementType.FP6_E2M3.decode(0x1f));
        assertEquals(0x1p-9, MxElementType.FP8_E4M3.decode(0x01));
        assertEquals(0x1p-16, MxElementType.FP8_E5M2.decode(0x01));
        assertEquals(-2.0, MxElementType.INT8.decode(0x80));
        for (MxElementType t : MxElementType.values()) {
            assertEquals(Rounded.floorLog2(t.maxNormal()), t.emax(), t.name() + " emax is the exponent of the max normal");
            assertEquals(t.encode(t.maxNormal()), t.encode(1e30), t.name() + " saturates");
            assertEquals(t.maxNormal(), t.decode(t.encode(1e30)), t.name());
        }
    }

    @Test
    void e8m0Scale() {
        assertEquals(1.0, Mx.scaleValue(127));
        assertEquals(0x1p-127, Mx.scaleValue(0));
        assertEquals(0x1p127, Mx.scaleValue(254));
        assertTrue(Double.isNaN(Mx.scaleValue(255)));
        double[] v = new double[32];
        assertEquals(0, Mx.sharedScale(v, 0, 32, MxElementType.FP8_E4M3.emax()), "all-zero block clamps to -127");
        assertEquals(1, Mx.sharedScale(v, 0, 32, MxElementType.INT8.emax()), "all-zero block: 2^-126 stand-in");
        v[5] = Double.NaN;
        assertEquals(Mx.SCALE_NAN, Mx.sharedScale(v, 0, 32, 8));
        v[5] = Double.NEGATIVE_INFINITY;
        assertEquals(Mx.SCALE_NAN, Mx.sharedScale(v, 0, 32, 8));
        v[5] = 0x1p200;
        assertEquals(Mx.SCALE_NAN, Mx.sharedScale(v, 0, 32, 8), "shared exponent above 127");
        v[5] = 0x1p-140;
        assertEquals(0, Mx.sharedScale(v, 0, 32, 8), "underflow clamps to -127");
        double[] withNan = new double[40];
        withNan[33] = Double.NaN;
        double[] decoded = Mx.decode(Mx.quantize(withNan, MxElementType.FP8_E4M3, 32));
        assertEquals(0.0, decoded[0]);
        assertTrue(Double.isNaN(decoded[39]), "the NaN block (a short last block) decodes to NaN");
    }

    @ParameterizedTest
    @EnumSource(MxElementType.class)
    void everyCodeRoundTrips(MxElementType t) {
        for (int code = 0; code < 1 << t.bits(); code++) {
            int expected = code;
            if (t.isNaN(code)) {
                expected = 0x7F; // canonical NaN
            } else if (t == MxElementType.INT8 && code == 0x80) {
                expected = 0x81; // -2 saturates symmetrically to -127/64
            }
            assertEquals(expected, t.encode(t.decode(code)), t + " code 0x" + Integer.toHexString(code));
        }
    }

    @ParameterizedTest
    @EnumSource(MxElementType.class)
    void encodeMatchesSlowRoundToNearestEven(MxElementType t) {
        Random r = new Random(42 + t.ordinal());
        for (int c = 0; c < 20_000; c++) {
            double v = switch (r.nextInt(3)) {
                // midpoints between neighbouring codes: exact ties
                case 0 -> {
                    int code = r.nextInt(1 << t.bits());
                    double a = t.decode(code);
                    double b = t.decode(code ^ 1);
                    yield Double.isFinite(a) && Double.isFinite(b) ? (a + b) / 2 : 0.0;
                }
                case 1 -> Math.scalb(r.nextGaussian(), r.nextInt(24) - 12);
                default -> (r.nextDouble() - 0.5) * 4 * t.maxNormal();
            };
            // slow: nearest-even on the type's (precision, quantum) grid via BigDecimal, then saturate
            int precision = t == MxElementType.INT8 ? 8 : t.mantissaBits() + 1;
            BigDecimal rounded = Slow.toPrecision(new BigDecimal(v), precision, t.minExponent(), Rounding.HALF_EVEN);
            double expected = Math.max(-t.maxNormal(), Math.min(t.maxNormal(), rounded.doubleValue()));
            double got = t.decode(t.encode(v));
            assertEquals(expected, got, 0.0, t + " v=" + v);
        }
    }

    @Test
    void encodeSpecialValues() {
        assertEquals(0x7F, MxElementType.FP8_E4M3.encode(Double.NaN));
        assertEquals(0x7E, MxElementType.FP8_E4M3.encode(Double.POSITIVE_INFINITY));
        assertEquals(0xFC, MxElementType.FP8_E5M2.encode(Double.NEGATIVE_INFINITY));
        assertEquals(0x80, MxElementType.FP8_E4M3.encode(-0x1p-20), "tiny negatives keep the sign");
        assertThrows(IllegalArgumentException.class, () -> MxElementType.FP4_E2M1.encode(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> MxElementType.FP4_E2M1.decode(16));
    }

    @Test
    void accumulatorWidths() {
        assertEquals(21, Mx.accumulatorBits(MxElementType.INT8, MxElementType.INT8, 32));
        assertEquals(42, Mx.accumulatorBits(MxElementType.FP8_E4M3, MxElementType.FP8_E4M3, 32));
        assertEquals(70, Mx.accumulatorBits(MxElementType.FP8_E5M2, MxElementType.FP8_E5M2, 32));
        assertEquals(24, Mx.accumulatorBits(MxElementType.FP6_E3M2, MxElementType.FP6_E3M2, 32));
        assertEquals(18, Mx.accumulatorBits(MxElementType.FP6_E2M3, MxElementType.FP6_E2M3, 32));
        assertEquals(14, Mx.accumulatorBits(MxElementType.FP4_E2M1, MxElementType.FP4_E2M1, 32));
    }

    /** The exact dot product of decoded values, rounded once per block and summed in order, in BigDecimal. */
    private static double slowDot(double[] a, double[] b, int blockSize, DotPrecision p) {
        int blocks = (a.length + blockSize - 1) / blockSize;
        double[] results = new double[blocks];
        for (int j = 0; j < blocks; j++) {
            BigDecimal sum = BigDecimal.ZERO;
            for (int i = j * blockSize; i < Math.min(a.length, (j + 1) * blockSize); i++) {
                sum = sum.add(new BigDecimal(a[i]).multiply(new BigDecimal(b[i])));
            }
            results[j] = p == DotPrecision.FP32
                    ? (float) Slow.toPrecision(sum, 24, -149, Rounding.HALF_EVEN).doubleValue()
                    : Slow.toPrecision(sum, 53, -1074, Rounding.HALF_EVEN).doubleValue();
        }
        return p.sumInOrder(results);
    }

    @Test
    void dotProductIsExactPerBlock() {
        Random r = new Random(2024);
        MxElementType[] types = MxElementType.values();
        for (int c = 0; c < 600; c++) {
            MxElementType ta = types[r.nextInt(types.length)];
            MxElementType tb = c % 3 == 0 ? ta : types[r.nextInt(types.length)];
            int n = 1 + r.nextInt(100);
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                // wide dynamic range inside a block exercises the 70-bit E5M2 accumulator
                x[i] = Math.scalb(r.nextGaussian(), r.nextInt(40) - 20);
                y[i] = Math.scalb(r.nextGaussian(), r.nextInt(40) - 20);
            }
            Mx.Blocks a = Mx.quantize(x, ta, Mx.BLOCK_SIZE);
            Mx.Blocks b = Mx.quantize(y, tb, Mx.BLOCK_SIZE);
            for (DotPrecision p : DotPrecision.values()) {
                assertEquals(slowDot(Mx.decode(a), Mx.decode(b), Mx.BLOCK_SIZE, p), Mx.dot(a, b, p), 0.0,
                        "case " + c + " " + ta + " x " + tb + " " + p);
            }
        }
    }

    @Test
    void dotProductE5m2ExtremeRange() {
        // products from 2^-32 to 2^31.8 in one block: a 70-bit sum whose low bits decide the FP64 rounding
        int[] codesA = new int[32];
        int[] codesB = new int[32];
        codesA[0] = 0x7b;
        codesB[0] = 0x7b; // 57344^2
        codesA[1] = 0x01;
        codesB[1] = 0x01; // 2^-32
        for (int i = 2; i < 32; i++) {
            codesA[i] = 0x7b;
            codesB[i] = 0xfb; // -57344^2
        }
        codesA[31] = 0x00; // +0 * anything
        Mx.Blocks a = new Mx.Blocks(MxElementType.FP8_E5M2, 32, new int[] {127}, codesA);
        Mx.Blocks b = new Mx.Blocks(MxElementType.FP8_E5M2, 32, new int[] {127}, codesB);
        for (DotPrecision p : DotPrecision.values()) {
            assertEquals(slowDot(Mx.decode(a), Mx.decode(b), 32, p), Mx.dot(a, b, p), 0.0, p.name());
        }
        // a 64-bit sum 2^63 + 2^10 (+ 1): a binary64 tie that only the lowest product breaks
        // 0x78 = 2^15 (sig 4, quantum shift 29): 0x78 * 0x78 = 2^30 = 2^62 units of 2^-32
        // 0x10 = 2^-12 (sig 4, shift 3): 0x10 * 0x10 = 2^-24 = 2^10 units; 0x01 = 2^-16: 0x01 * 0x01 = 1 unit
        int[] tie = new int[32];
        tie[0] = 0x78;
        tie[1] = 0x78;
        tie[2] = 0x10;
        Mx.Blocks t = new Mx.Blocks(MxElementType.FP8_E5M2, 32, new int[] {127}, tie);
        assertEquals(0x1p31, Mx.dot(t, t, DotPrecision.FP64), "tie to even");
        int[] tiePlusOne = tie.clone();
        tiePlusOne[3] = 0x01;
        Mx.Blocks t1 = new Mx.Blocks(MxElementType.FP8_E5M2, 32, new int[] {127}, tiePlusOne);
        assertEquals(0x1p31 + 0x1p-21, Mx.dot(t1, t1, DotPrecision.FP64), "the sticky unit breaks the tie upward");
        assertEquals(0x1p31, Mx.dot(t1, t1, DotPrecision.FP32));
        // specials: an infinity times zero is NaN; a NaN scale is NaN
        codesB[31] = 0x7c;
        assertTrue(Double.isNaN(Mx.dot(a, new Mx.Blocks(MxElementType.FP8_E5M2, 32, new int[] {127}, codesB), DotPrecision.FP32)));
        assertTrue(Double.isNaN(Mx.dot(a, new Mx.Blocks(MxElementType.FP8_E5M2, 32, new int[] {255}, codesA), DotPrecision.FP32)));
    }
}
