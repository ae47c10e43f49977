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
    /**
     * Accuracy against float64 attention on realistic logits: q, k, v Gaussian int8 rows, the
     * score scale chosen so the logits have a standard deviation of {@code logitStd}
     * (peaked to flat attention). Error of O in output LSBs.
     */
    @ParameterizedTest(name = "d {0}, n {1}, logit std {2}")
    @CsvSource({"64, 256, 1.0", "64, 256, 3.0", "128, 512, 2.0", "16, 61, 6.0"})
    void closeToFloatAttention(int d, int n, double logitStd) {
        Random rnd = new Random(d * 1000L + n);
        double qkStd = 30;
        double scale = logitStd / (qkStd * qkStd * Math.sqrt(d));
        AttentionConfig cfg = new AttentionConfig(d, n, 8, scale);
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
        System.out.printf("attention base2 d=%d n=%d logit std %.1f: max error %.3f LSB, mean %.3f LSB%n", d, n, logitStd, max, mean);
        assertFalse(out.dropped());
        // rounding alone costs 0.5 LSB; the exponent table, the floors and the reciprocal add the rest
        assertTrue(max <= 0.6, "max error " + max);
        assertTrue(mean <= 0.27, "mean error " + mean);
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

    @Test
    void badParametersNameTheOption() {
        InvalidParameter e = assertThrows(InvalidParameter.class, () -> new AttentionConfig(64, 16, 5, 1e-3));
        assertEquals("lanes", e.parameter());
        assertEquals("score-scale", assertThrows(InvalidParameter.class, () -> new AttentionConfig(64, 16, 8, 10.0)).parameter());
        assertEquals("head-dim", assertThrows(InvalidParameter.class, () -> new AttentionConfig(8, 16, 8, 1e-3)).parameter());
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
