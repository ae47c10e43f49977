package dev.qforge.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The base-2 online softmax: its exactly checked table, its scale limits, and its error against float softmax, measured and bounded. */
class OnlineSoftmaxTest {
    @Test
    void tableIsPowersOfTwo() {
        OnlineSoftmax.Params p = OnlineSoftmax.Params.forInputScale(0.1, 2, 4, 8);
        // 2^(f/4) * 16 rounded: 16, 19.03, 22.63, 26.91
        assertEquals(4, p.table().length);
        assertEquals(16, p.table()[0]);
        assertEquals(19, p.table()[1]);
        assertEquals(23, p.table()[2]);
        assertEquals(27, p.table()[3]);
    }

    @Test
    void uniformAndDominantRows() {
        OnlineSoftmax.Params p = OnlineSoftmax.Params.forInputScale(0.1, 8);
        int[] out = OnlineSoftmax.softmax(new int[] {3, 3, 3, 3}, 4, p);
        for (int v : out) {
            assertEquals(64, v);
        }
        int[] dominant = OnlineSoftmax.softmax(new int[] {127, -128}, 2, p);
        assertTrue(dominant[0] >= 255 && dominant[1] == 0, dominant[0] + ", " + dominant[1]);
    }

    /**
     * Error budget for the defaults (8 fraction bits, 16-bit table, 8-bit output): the output rounding
     * costs <= 2^-9, the fixed-point exponent and table a relative ~2^-9 of each probability, the
     * floor shifts of small terms and of the running sum far less. Measured max abs error over
     * random rows is about 0.0024 (mean under 0.001); the bound 0.004 (about one output LSB) leaves
     * a margin without hiding a regression.
     */
    @Test
    void errorAgainstFloatSoftmaxIsBounded() {
        Random r = new Random(31337);
        double worst = 0;
        for (double s : new double[] {0.02, 0.0625, 0.1, 0.25}) {
            OnlineSoftmax.Params p = OnlineSoftmax.Params.forInputScale(s, 8);
            double maxErr = 0;
            double sumErr = 0;
            long count = 0;
            for (int c = 0; c < 400; c++) {
                int n = 1 + r.nextInt(256);
                int[] x = new int[n];
                for (int i = 0; i < n; i++) {
                    x[i] = r.nextInt(256) - 128;
                }
                int[] out = OnlineSoftmax.softmax(x, n, p);
                double[] ref = IntegerTransformerTest.floatSoftmax(x, s);
                for (int i = 0; i < n; i++) {
                    double err = Math.abs(out[i] / 256.0 - ref[i]);
                    maxErr = Math.max(maxErr, err);
                    sumErr += err;
                    count++;
                }
            }
            System.out.printf("online softmax S=%s max abs error %.5f mean %.6f%n", s, maxErr, sumErr / count);
            worst = Math.max(worst, maxErr);
        }
        assertTrue(worst < 0.004, "online softmax max abs error " + worst);
    }

    /**
     * Every table entry is 2^(f / 2^fracBits) 2^tableBits correctly rounded, checked exactly in BigInteger:
     * |v - t| < 1/2 for v = 2^(tableBits + f / N), N = 2^fracBits, iff (2t - 1)^N < 2^(N (tableBits + 1) + f) < (2t + 1)^N
     * (v is irrational for 0 < f < N, so never a tie).
     */
    @Test
    void tableIsCorrectlyRounded() {
        int[][] configs = {{2, 4}, {4, 12}, {8, 16}, {6, 30}, {10, 20}};
        for (int[] c : configs) {
            int fracBits = c[0];
            int tableBits = c[1];
            int[] table = OnlineSoftmax.Params.forInputScale(0.1, fracBits, tableBits, 8).table();
            int n = 1 << fracBits;
            for (int f = 0; f < n; f++) {
                BigInteger t2 = BigInteger.valueOf(table[f]).shiftLeft(1);
                BigInteger v = BigInteger.ONE.shiftLeft(n * (tableBits + 1) + f);
                int entry = f;
                assertTrue(t2.subtract(BigInteger.ONE).pow(n).compareTo(v) <= 0 && v.compareTo(t2.add(BigInteger.ONE).pow(n)) < 0,
                        () -> "fracBits " + fracBits + " tableBits " + tableBits + " entry " + entry + " = " + table[entry]);
            }
        }
    }

    @Test
    void scalesTheMultiplierCannotRepresentAreRejected() {
        // S log2(e) 2^8 = 3.7e12 >= 2^30: single-rounding QuantizeMultiplier would saturate it to (2^31 - 1, 30)
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> OnlineSoftmax.Params.forInputScale(1e10, 8));
        assertTrue(big.getMessage().contains("saturates") && big.getMessage().contains("inputScale"), big.getMessage());
        // 3.7e-11 < 2^-32: it would flush to 0 and make every row uniform
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class, () -> OnlineSoftmax.Params.forInputScale(1e-13, 8));
        assertTrue(tiny.getMessage().contains("flushes"), tiny.getMessage());
        // just inside both ends
        double top = Math.nextDown(0x1p30 / 256) / 1.4426950408889634;
        assertEquals(30, OnlineSoftmax.Params.forInputScale(top * 0.999, 8).multiplier().shift());
        assertEquals(-31, OnlineSoftmax.Params.forInputScale(0x1p-32 / 256 / 1.4426950408889634 * 1.001, 8).multiplier().shift());
    }
}
