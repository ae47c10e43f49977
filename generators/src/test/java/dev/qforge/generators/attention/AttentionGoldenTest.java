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

    /**
     * G K/V heads are G engines of H / G query heads each, side by side: each K/V head's cache holds only its
     * own rows, query head h reads K/V head h / (H / G). With the I-BERT softmax and an int4 cache.
     */
    @Test
    void kvHeadsAreIndependentGroups() {
        AttentionConfig cfg = new AttentionConfig(16, 6, 4, 2e-4, 4, AttentionConfig.Kv.INT4, 2, AttentionConfig.Softmax.IBERT, 2);
        AttentionGolden all = new AttentionGolden(cfg);
        AttentionConfig one = new AttentionConfig(16, 6, 4, 2e-4, 2, AttentionConfig.Kv.INT4, 2, AttentionConfig.Softmax.IBERT);
        AttentionGolden[] groups = {new AttentionGolden(one), new AttentionGolden(one)};
        Random rnd = new Random(9);
        for (int t = 0; t < 9; t++) {
            boolean first = t == 0 || t == 7;
            int[][] q = {gaussian(rnd, 16, 40), gaussian(rnd, 16, 40), gaussian(rnd, 16, 40), gaussian(rnd, 16, 40)};
            int[][] k = {gaussian(rnd, 16, 40), gaussian(rnd, 16, 40)};
            int[][] v = {gaussian(rnd, 16, 60), gaussian(rnd, 16, 60)};
            AttentionGolden.Output out = all.decode(first, q, k, v);
            for (int g = 0; g < 2; g++) {
                AttentionGolden.Output expected = groups[g].decode(first, new int[][] {q[2 * g], q[2 * g + 1]}, k[g], v[g]);
                assertEquals(expected.dropped(), out.dropped(), "token " + t);
                assertArrayEquals(expected.o()[0], out.o()[2 * g], "head " + 2 * g + ", token " + t);
                assertArrayEquals(expected.o()[1], out.o()[2 * g + 1], "head " + (2 * g + 1) + ", token " + t);
                assertArrayEquals(groups[g].keys().toArray(), all.keys(g).toArray());
            }
        }
        assertThrows(IllegalStateException.class, all::keys);
        assertThrows(IllegalArgumentException.class, () -> all.decode(false, new int[4][16], new int[1][16], new int[1][16]));
    }

    /**
     * The I-BERT engine by hand: two rows of d 16 with q = 1s, k_0 = 1s, k_1 = 2s give scores 16 and 32; at
     * scale 0.1 (I-BERT's c = 7, bInt 27, cInt 279, multiplier 1968898441, shift 54, IntegerOnlineSoftmaxTest):
     * e = 3 and 5, r = -5 and -3, z = (22)(-5) + 279 = 169 and (24)(-3) + 279 = 207; w = round(169 1968898441 / 2^24)
     * = round(19833.3) = 19833 and round(24292.8) = 24293. The second row raises the max by 2: sum = (19833 >> 2)
     * + 24293 = 4958 + 24293 = 29251, o = 4958 v_0 + 24293 v_1. R = 15 + 3 + 16 = 34 (15-bit terms, L = 4 in 3 bits),
     * r = floor(2^34 / 29251) = 587325; O = round_half_up(o r / 2^34): v_0 = 100, v_1 = -50 give
     * (495800 - 1214650) 587325 / 2^34 = -24.575 -> -25.
     */
    @Test
    void ibertByHand() {
        AttentionConfig cfg = new AttentionConfig(16, 4, 16, 0.1, 1, AttentionConfig.Kv.INT8, 1, AttentionConfig.Softmax.IBERT);
        assertEquals(34, cfg.reciprocalShift());
        AttentionGolden g = new AttentionGolden(cfg);
        g.decode(true, filled(1), filled(1), filled(100));
        assertArrayEquals(filled(-25), g.decode(false, filled(1), filled(2), filled(-50)).o()[0]);
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
        InvalidParameter heads = assertThrows(InvalidParameter.class,
                () -> new AttentionConfig(16, 4, 4, 1e-3, 3, AttentionConfig.Kv.INT8, 1, AttentionConfig.Softmax.BASE2, 2));
        assertEquals("heads", heads.parameter());
        assertEquals("must be a multiple of kv-heads 2 (each K/V head serves heads / kv-heads query heads), got 3", heads.problem());
        InvalidParameter tiny = assertThrows(InvalidParameter.class,
                () -> new AttentionConfig(16, 4, 4, 0x1p-24, 1, AttentionConfig.Kv.INT8, 1, AttentionConfig.Softmax.IBERT));
        assertEquals("score-scale", tiny.parameter());
        assertTrue(tiny.problem().startsWith("gives too small a scale for --softmax ibert"), tiny.problem());
        InvalidParameter e = assertThrows(InvalidParameter.class, () -> new AttentionConfig(64, 16, 5, 1e-3));
        assertEquals("lanes", e.parameter());
        assertEquals("score-scale", assertThrows(InvalidParameter.class, () -> new AttentionConfig(64, 16, 8, 10.0)).parameter());
        assertEquals("head-dim", assertThrows(InvalidParameter.class, () -> new AttentionConfig(8, 16, 8, 1e-3)).parameter());
        // int4 keys reach 7 2^7 / 4 = 224 in int8 units: 2^31 / (256 128 224 log2(e) 2^8) = 0.792 bounds the scale
        new AttentionConfig(256, 16, 8, 0.79, 1, AttentionConfig.Kv.INT4, 4);
        InvalidParameter int4 = assertThrows(InvalidParameter.class, () -> new AttentionConfig(256, 16, 8, 0.80, 1, AttentionConfig.Kv.INT4, 4));
        assertEquals("score-scale", int4.parameter());
        assertTrue(int4.problem().startsWith("gives too large a scale: the largest score 7340032 * score-scale"), int4.problem());
    }

    static int[] filled(int value) {
        int[] a = new int[16];
        java.util.Arrays.fill(a, value);
        return a;
    }

    static int[] gaussian(Random rnd, int n, double std) {
        return AttentionAccuracy.gaussian(rnd, n, std);
    }
}
