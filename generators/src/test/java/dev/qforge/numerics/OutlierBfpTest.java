package dev.qforge.numerics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutlierBfpTest {
    /**
     * By hand: the outlier 100 = 100 * 2^0 (floor(log2 100) = 6, Xo = 127 + 6, mantissa 100 * 2^(6 - 6));
     * the inliers' largest is 1.0, so Y = 127 and a 4-bit mantissa is v * 2^2 rounded to nearest even:
     * 0.125 -> 0.5 -> 0, 0.375 -> 1.5 -> 2. Plain 4-bit BFP would share 100's exponent and round every
     * other value to 0.
     */
    @Test
    void handWorkedBlock() {
        double[] v = {0.5, -0.25, 100, 0.125, 0, 0.75, -1.0, 0.375};
        OutlierBfp.Blocks b = OutlierBfp.quantize(v, 4, 8, 1);
        assertEquals(127, b.scales()[0]);
        assertArrayEquals(new int[] {2, -1, 0, 0, 0, 3, -4, 2}, b.mantissas());
        assertEquals(133, b.outliers()[0].scale());
        assertArrayEquals(new int[] {2}, b.outliers()[0].indices());
        assertArrayEquals(new int[] {100}, b.outliers()[0].mantissas());
        assertArrayEquals(new double[] {0.5, -0.25, 100, 0, 0, 0.75, -1.0, 0.5}, OutlierBfp.decode(b));
        assertArrayEquals(new double[] {0, 0, 96, 0, 0, 0, 0, 0}, Bfp.decode(Bfp.quantize(v, 4, 8)));
    }

    /** Ties in magnitude go to the lower index; slots come in increasing index order. */
    @Test
    void tiesPickTheLowerIndexAndSlotsAreSorted() {
        double[] v = {1, -8, 2, 8, 3, -8, 0, 0};
        OutlierBfp.Blocks b = OutlierBfp.quantize(v, 6, 8, 2);
        assertArrayEquals(new int[] {1, 3}, b.outliers()[0].indices());
        assertArrayEquals(new int[] {-64, 64}, b.outliers()[0].mantissas(), "8 = 64 * 2^(3 - 6)");
        assertEquals(127 + 3, b.outliers()[0].scale());
        assertEquals(127 + 3, b.scales()[0], "the inliers' largest is -8 at index 5");
    }

    /** A slot index given twice: the lower slot is the element; NaN scales make NaN only what they scale. */
    @Test
    void decodingRules() {
        OutlierBfp.Outliers o = new OutlierBfp.Outliers(127, new int[] {3, 3}, new int[] {-128, 5});
        assertEquals(-2.0, OutlierBfp.element(4, 3, 7, 127, o), "slot 0: -128 * 2^-6");
        assertEquals(1.75, OutlierBfp.element(4, 2, 7, 127, o), "an inlier: 7 * 2^-2");
        assertTrue(Double.isNaN(OutlierBfp.element(4, 2, 7, Mx.SCALE_NAN, o)));
        OutlierBfp.Outliers nan = new OutlierBfp.Outliers(Mx.SCALE_NAN, new int[] {0}, new int[] {1});
        assertTrue(Double.isNaN(OutlierBfp.element(4, 0, 7, 127, nan)));
        assertEquals(1.75, OutlierBfp.element(4, 1, 7, 127, nan));
        OutlierBfp.Blocks b = OutlierBfp.quantize(new double[] {1, Double.NaN, 2, 3}, 4, 4, 1);
        assertEquals(Mx.SCALE_NAN, b.scales()[0]);
        assertTrue(Double.isNaN(OutlierBfp.decode(b)[0]) && Double.isNaN(OutlierBfp.decode(b)[2]));
    }

    /**
     * Random blocks over many binades: the outliers are the k largest magnitudes, and every value comes
     * back within one quantum of its subset's grid (half a quantum unless it saturated at the top).
     */
    @ParameterizedTest
    @CsvSource({"4, 32, 2", "8, 128, 4", "2, 16, 1"})
    void outliersAreTheLargestAndErrorsStayWithinAQuantum(int n, int g, int k) {
        Random rnd = new Random(n * 1000L + g + k);
        for (int t = 0; t < 300; t++) {
            double[] v = new double[g];
            for (int i = 0; i < g; i++) {
                v[i] = rnd.nextGaussian() * Math.scalb(1.0, rnd.nextInt(3) == 0 ? rnd.nextInt(20) : 0);
            }
            OutlierBfp.Blocks b = OutlierBfp.quantize(v, n, g, k);
            double[] back = OutlierBfp.decode(b);
            OutlierBfp.Outliers o = b.outliers()[0];
            double smallestOutlier = Double.MAX_VALUE;
            for (int s = 0; s < k; s++) {
                smallestOutlier = Math.min(smallestOutlier, Math.abs(v[o.indices()[s]]));
            }
            for (int i = 0; i < g; i++) {
                boolean outlier = o.slotOf(i) >= 0;
                assertTrue(outlier || Math.abs(v[i]) <= smallestOutlier, "block " + t + " element " + i + " beats an outlier");
                double quantum = outlier ? Math.scalb(1.0, o.scale() - 127 - 6) : Math.scalb(1.0, b.scales()[0] - 127 - (n - 2));
                assertTrue(Math.abs(back[i] - v[i]) <= quantum, "block " + t + " element " + i + ": " + v[i] + " -> " + back[i]);
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutlierBfp.quantize(new double[8], 4, 8, 8));
        assertEquals("k must be in 1..7 (fewer than the block), got 8", e.getMessage());
    }
}
