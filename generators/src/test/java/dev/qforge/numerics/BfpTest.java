package dev.qforge.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Block floating point: MXINT8 equivalence, rounding and saturation, exact dot product. */
class BfpTest {
    @Test
    void mxint8IsBfp8WithBlock32() {
        Random r = new Random(8);
        for (int c = 0; c < 200; c++) {
            double[] v = new double[70];
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.scalb(r.nextGaussian(), r.nextInt(20) - 10);
            }
            Bfp.Blocks bfp = Bfp.quantize(v, 8, 32);
            Mx.Blocks mx = Mx.quantize(v, MxElementType.INT8, 32);
            assertArrayEquals(mx.scales(), bfp.scales());
            assertArrayEquals(Mx.decode(mx), Bfp.decode(bfp));
        }
    }

    @Test
    void mantissasRoundHalfEvenAndSaturateSymmetrically() {
        // block max 1.0 -> shared exponent 0; 4-bit mantissas have 2 fraction bits
        double[] v = {1.0, 0.125, 0.375, -0.625, 1.99, -2.5};
        v[5] = -1.9; // keep the max exponent at 0
        Bfp.Blocks b = Bfp.quantize(v, 4, 8);
        assertEquals(127, b.scales()[0]);
        assertArrayEquals(new int[] {4, 0, 2, -2, 7, -7}, b.mantissas()); // 0.5 -> 0, 1.5 -> 2, -2.5 -> -2, 7.96 -> 7 (saturated)
        assertEquals(20, Bfp.accumulatorBits(8, 8, 16));
        assertEquals(21, Bfp.accumulatorBits(8, 8, 32));
    }

    @Test
    void dotProductIsExactPerBlock() {
        Random r = new Random(99);
        for (int c = 0; c < 500; c++) {
            int trial = c;
            int bits = 2 + r.nextInt(23);
            int blockSize = 1 + r.nextInt(64);
            int n = 1 + r.nextInt(150);
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = Math.scalb(r.nextGaussian(), r.nextInt(60) - 30);
                y[i] = Math.scalb(r.nextGaussian(), r.nextInt(60) - 30);
            }
            Bfp.Blocks a = Bfp.quantize(x, bits, blockSize);
            Bfp.Blocks b = Bfp.quantize(y, bits, blockSize);
            double[] da = Bfp.decode(a);
            double[] db = Bfp.decode(b);
            for (DotPrecision p : DotPrecision.values()) {
                assertEquals(Slow.dot(da, db, blockSize, p == DotPrecision.FP32), Bfp.dot(a, b, p), 0.0,
                        () -> "case " + trial + " bits " + bits + " " + p);
            }
        }
    }
}
