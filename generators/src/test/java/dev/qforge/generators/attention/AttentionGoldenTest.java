package dev.qforge.generators.attention;

import dev.qforge.generators.InvalidParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttentionGoldenTest {
    /** Measured 9.0 / 0.82 (d 64) and 20.9 / 1.88 (d 128) LSB: 4-bit codes of values of standard deviation 40 step 8 to 16 LSB. */
    private static final double INT4_MAX_ERROR = 22;
    private static final double INT4_MEAN_ERROR = 2.0;

    /**
     * Accuracy against float64 attention on realistic logits: q, k, v Gaussian int8 rows, the
     * score scale chosen so the logits have a standard deviation of {@code logitStd}
     * (peaked to flat attention). Error of O in output LSBs.
     */
    @ParameterizedTest(name = "d {0}, n {1}, logit std {2}")
    @CsvSource({"64, 256, 1.0", "64, 256, 3.0", "128, 512, 2.0", "16, 61, 6.0"})
    void closeToFloatAttention(int d, int n, double logitStd) {
        double[] error = accuracy(d, n, logitStd, AttentionConfig.Kv.INT8);
        // rounding alone costs 0.5 LSB; the exponent table, the floors and the reciprocal add the rest
        assertTrue(error[0] <= 0.6, "max error " + error[0]);
        assertTrue(error[1] <= 0.27, "mean error " + error[1]);
    }

    /** An int4 cache (key groups of 32 rows, values in groups of 8 elements) costs the 4-bit quantization on top. */
    @ParameterizedTest(name = "d {0}, n {1}, logit std {2}")
    @CsvSource({"64, 256, 1.0", "128, 512, 2.0"})
    void int4CloseToFloatAttention(int d, int n, double logitStd) {
        double[] error = accuracy(d, n, logitStd, AttentionConfig.Kv.INT4);
        assertTrue(error[0] <= INT4_MAX_ERROR, "max error " + error[0]);
        assertTrue(error[1] <= INT4_MEAN_ERROR, "mean error " + error[1]);
    }

    /** {max, mean} error of O in output LSBs against float64 attention over the int8 rows. */
    private static double[] accuracy(int d, int n, double logitStd, AttentionConfig.Kv kv) {
        Random rnd = new Random(d * 1000L + n);
        double qkStd = 30;
        double scale = logitStd / (qkStd * qkStd * Math.sqrt(d));
        AttentionConfig cfg = new AttentionConfig(d, n, 8, scale, 1, kv, 32);
        AttentionGolden g = new AttentionGolden(cfg);
        double max = 0;
        double total = 0;
        int count = 0;
        AttentionGolden.Output out = null;
        for (int t = 0; t < n; t++) {
            int[] q = gaussian(rnd, d, qkStd);
            out = g.decode(t == 0, q, gaussian(rnd, d, qkStd), gaussian(rnd, d, 40));
            double[] ref = AttentionGolden.reference(q, g.keys(), g.values(), scale);
            for (int i = 0; i < d; i++) {
                double e = Math.abs(out.o()[0][i] - ref[i]);
                max = Math.max(max, e);
                total += e;
                count++;
            }
        }
        double mean = total / count;
        System.out.printf("attention base2 %s d=%d n=%d logit std %.1f: max error %.3f LSB, mean %.3f LSB%n", kv.optionName(), d, n, logitStd,
                max, mean);
        assertFalse(out.dropped());
        return new double[] {max, mean};
    }

    /**
     * 4-bit BFP groups of int8 elements, worked by hand: X = floor(log2 max|x|), m = round_half_even(x 2^(2 - X))
     * within +-7; the engine reads 4 m 2^(X - 2) = m 2^X.
     */
    @Test
    void int4GroupsReadAsCodeTimesTwoToTheExponent() {
        assertArrayEquals(new int[] {160, 128, 192, -128}, Int4Kv.read(new int[] {40, 36, 44, -36})); // X 5: 5, 4.5 -> 4, 5.5 -> 6, -4.5 -> -4
        assertArrayEquals(new int[] {512, -512, 0, 0}, Int4Kv.read(new int[] {127, -128, 3, 0}));     // X 7: 3.97 -> 4, -4, 0.09 -> 0
        assertArrayEquals(new int[] {448, 256}, Int4Kv.read(new int[] {127, 56}));                    // X 6: 7.94 -> 8 saturates to 7, 3.5 -> 4
        assertArrayEquals(new int[] {20, -12, 4, 0}, Int4Kv.read(new int[] {5, -3, 1, 0}));           // X 2: exact
        assertArrayEquals(new int[] {0, 0}, Int4Kv.read(new int[] {0, 0}));
    }

    /**
     * Equal scores (q = 0) average the value rows as the int4 cache holds them; the keys do not matter.
     * Rows (40, 36, 44, -36) and (5, -3, 1, 0) in one beat of 4 lanes are read as (40, 32, 48, -32) and (5, -3, 1, 0).
     */
    @Test
    void int4ValuesAreQuantizedPerTokenAndBeat() {
        AttentionConfig cfg = new AttentionConfig(16, 8, 4, 1e-3, 1, AttentionConfig.Kv.INT4, 2);
        AttentionGolden g = new AttentionGolden(cfg);
        int[] zero = new int[16];
        int[] v0 = new int[16];
        int[] v1 = new int[16];
        System.arraycopy(new int[] {40, 36, 44, -36}, 0, v0, 0, 4);
        System.arraycopy(new int[] {5, -3, 1, 0}, 0, v1, 0, 4);
        g.decode(true, zero, filled(100), v0);
        AttentionGolden.Output out = g.decode(false, zero, filled(-3), v1);
        int[] expected = new int[16];
        System.arraycopy(new int[] {23, 15, 25, -16}, 0, expected, 0, 4); // 22.5, 14.5, 24.5 half up; -16
        assertArrayEquals(expected, out.o()[0]);
    }

    /** Equal scores weight every value row alike: the output is the rounded mean of V. */
    @Test
    void equalScoresAverageTheValues() {
        AttentionConfig cfg = new AttentionConfig(16, 8, 4, 1e-3);
        AttentionGolden g = new AttentionGolden(cfg);
        int[] zero = new int[16];
        int[][] v = {{1, -3, 100, 127, -128, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {2, -2, 100, 127, -128, 6, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
                {3, -2, 101, 127, -128, 6, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {4, -2, 101, 127, -128, 6, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}};
        AttentionGolden.Output out = null;
        for (int t = 0; t < v.length; t++) {
            out = g.decode(t == 0, zero, zero, v[t]);
        }
        // means 2.5, -2.25, 100.5, 127, -128, 5.75: half up
        assertArrayEquals(new int[] {3, -2, 101, 127, -128, 6, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, out.o()[0]);
    }

    /** One score far above the rest: the output is that row's value exactly. */
    @Test
    void oneDominantScoreSelectsItsValueRow() {
        AttentionConfig cfg = new AttentionConfig(16, 8, 16, 0.01);
        AttentionGolden g = new AttentionGolden(cfg);
        int[] q = filled(127);
        AttentionGolden.Output out = null;
        for (int t = 0; t < 5; t++) {
            int[] k = filled(t == 2 ? 127 : -128);
            out = g.decode(t == 0, q, k, filled(10 * t - 20));
        }
        assertArrayEquals(filled(0), out.o()[0]);
    }

    /** A GQA group is its heads each attending over the one shared cache. */
    @Test
    void aGroupIsItsHeadsOverOneCache() {
        AttentionConfig cfg = new AttentionConfig(16, 6, 4, 2e-4, 3);
        AttentionGolden group = new AttentionGolden(cfg);
        AttentionGolden[] single = new AttentionGolden[3];
        for (int h = 0; h < 3; h++) {
            single[h] = new AttentionGolden(new AttentionConfig(16, 6, 4, 2e-4));
        }
        Random rnd = new Random(3);
        for (int t = 0; t < 8; t++) {
            int[][] q = {gaussian(rnd, 16, 40), gaussian(rnd, 16, 40), gaussian(rnd, 16, 40)};
            int[] k = gaussian(rnd, 16, 40);
            int[] v = gaussian(rnd, 16, 60);
            AttentionGolden.Output out = group.decode(t == 0, q, k, v);
            assertEquals(t >= 6, out.dropped());
            for (int h = 0; h < 3; h++) {
                assertArrayEquals(single[h].decode(t == 0, q[h], k, v).o()[0], out.o()[h], "head " + h + ", token " + t);
            }
        }
    }

    @Test
    void aFullCacheDropsTheNewRowAndAFirstTokenEmptiesIt() {
        AttentionConfig cfg = new AttentionConfig(16, 2, 16, 1e-3);
        AttentionGolden g = new AttentionGolden(cfg);
        assertFalse(g.decode(true, filled(0), filled(0), filled(10)).dropped());
        assertFalse(g.decode(false, filled(0), filled(0), filled(20)).dropped());
        AttentionGolden.Output full = g.decode(false, filled(0), filled(0), filled(100));
        assertTrue(full.dropped());
        assertArrayEquals(filled(15), full.o()[0]); // (10 + 20) / 2: the dropped 100 does not count
        assertEquals(2, g.length());
        assertArrayEquals(filled(-7), g.decode(true, filled(0), filled(0), filled(-7)).o()[0]);
        assertEquals(1, g.length());
    }

    /**
     * Equal scores (q = 0) weigh the visible rows equally, so each output is the mean of the values
     * its query sees: token t of a prefill sees rows 0..pos + t, never a later one (the causal mask).
     */
    @Test
    void aPrefillQuerySeesItsOwnAndEarlierRowsOnly() {
        AttentionGolden g = new AttentionGolden(new AttentionConfig(16, 8, 16, 1e-3));
        int[][][] q = {{filled(0)}, {filled(0)}, {filled(0)}};
        int[][] k = {filled(5), filled(-9), filled(100)};
        List<AttentionGolden.Output> first = g.prefill(true, q, k, new int[][] {filled(10), filled(20), filled(60)});
        assertArrayEquals(filled(10), first.get(0).o()[0]);
        assertArrayEquals(filled(15), first.get(1).o()[0]);
        assertArrayEquals(filled(30), first.get(2).o()[0]);
        // a second request continues the sequence at position 3: means of 4 and 5 rows
        List<AttentionGolden.Output> next = g.prefill(false, new int[][][] {{filled(0)}, {filled(0)}}, new int[][] {filled(1), filled(2)},
                new int[][] {filled(30), filled(80)});
        assertArrayEquals(filled(30), next.get(0).o()[0]);
        assertArrayEquals(filled(40), next.get(1).o()[0]);
        assertEquals(5, g.length());
    }

    @Test
    void badParametersNameTheOption() {
        InvalidParameter e = assertThrows(InvalidParameter.class, () -> new AttentionConfig(64, 16, 5, 1e-3));
        assertEquals("lanes", e.parameter());
        assertEquals("score-scale", assertThrows(InvalidParameter.class, () -> new AttentionConfig(64, 16, 8, 10.0)).parameter());
        assertEquals("head-dim", assertThrows(InvalidParameter.class, () -> new AttentionConfig(8, 16, 8, 1e-3)).parameter());
        // int4 keys reach 7 2^7 / 4 = 224 in int8 units: 2^31 / (256 128 224 log2(e) 2^8) = 0.792 bounds the scale
        new AttentionConfig(256, 16, 8, 0.79, 1, AttentionConfig.Kv.INT4, 4);
        InvalidParameter int4 = assertThrows(InvalidParameter.class, () -> new AttentionConfig(256, 16, 8, 0.80, 1, AttentionConfig.Kv.INT4, 4));
        assertEquals("score-scale", int4.parameter());
        assertTrue(int4.problem().startsWith("is too large: the largest score 7340032 * score-scale"), int4.problem());
    }

    static int[] filled(int value) {
        int[] a = new int[16];
        java.util.Arrays.fill(a, value);
        return a;
    }

    static int[] gaussian(Random rnd, int n, double std) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = (int) Math.max(-128, Math.min(127, Math.round(rnd.nextGaussian() * std)));
        }
        return a;
    }
}
