package dev.qforge.generators.systolic;

import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.DotPrecision;
import dev.qforge.numerics.Mx;
import dev.qforge.numerics.MxElementType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The MX x MX golden model ({@link GemmGolden} with {@link MxBlocks}) against an independent
 * reading of the same definition: every element decoded to its value
 * ({@link MxElementType#decode} times {@link Mx#scaleValue}, exact doubles), the products summed
 * exactly in BigDecimal, the sum rounded once by {@link BinaryFloat#encode}; and the worked
 * example of the README where an fp32 running sum (OCP's Dot with {@link DotPrecision#FP32})
 * loses what the engine keeps.
 */
class MxGemmGoldenTest {
    @ParameterizedTest(name = "{0} x {1} -> {2}")
    @CsvSource({"FP8_E4M3, FP4_E2M1, FP32", "FP8_E5M2, FP8_E5M2, BF16", "INT8, FP6_E3M2, FP32", "FP6_E2M3, INT8, BF16",
            "FP4_E2M1, FP8_E4M3, FP32", "INT8, INT8, FP32"})
    void resultsAreTheExactSumOfDecodedProductsRoundedOnce(MxElementType act, MxElementType weight, BinaryFloat result) {
        MxBlocks mx = new MxBlocks(act, weight, -40, 20, result);
        SystolicConfig cfg = SystolicConfig.int8(4, 4, 5, 100, 5, false).withMx(mx);
        GemmGolden golden = new GemmGolden(cfg);
        Random rnd = new Random(act.ordinal() * 31 + weight.ordinal());
        for (int trial = 0; trial < 20; trial++) {
            int m = 1 + rnd.nextInt(5);
            int k = 1 + rnd.nextInt(100);
            int n = 1 + rnd.nextInt(5);
            Gemm g = Gemm.mx(Gemm.randomMxCodes(act, rnd, m, k), Gemm.randomMxCodes(weight, rnd, k, n), scales(rnd, (k + 31) / 32, n), scales(rnd, m, (k + 31) / 32));
            List<long[]> beats = golden.resultBeats(g);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    BigDecimal exact = BigDecimal.ZERO;
                    for (int kk = 0; kk < k; kk++) {
                        double a = act.decode(g.a()[i][kk]) * Mx.scaleValue((int) g.actScales()[i][kk / 32]);
                        double b = weight.decode(g.b()[kk][j]) * Mx.scaleValue((int) g.scales()[kk / 32][j]);
                        exact = exact.add(new BigDecimal(a).multiply(new BigDecimal(b)));
                    }
                    // every value is a multiple of 2^-400: an integer there, rounded once
                    BigInteger units = exact.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(400))).toBigIntegerExact();
                    // result beats: per N fold of C columns, the M rows
                    assertEquals(result.encode(units, -400), beats.get((j / cfg.cols()) * m + i)[j % cfg.cols()], g + " Y[" + i + "][" + j + "]");
                }
            }
        }
    }

    /**
     * Blocks whose scaled sums are 2^24, 1 and -2^24: exactly 1, which the engine returns; OCP's
     * Dot in fp32 (each block rounded to fp32, added in order in fp32, as a GPU accumulates) gets
     * 2^24 + 1 -> 2^24 (a tie, to even), then 0.
     */
    @Test
    void theExactAccumulatorKeepsWhatAnFp32RunningSumLoses() {
        MxBlocks mx = new MxBlocks(MxElementType.FP8_E4M3, MxElementType.FP8_E4M3, -32, 30, BinaryFloat.FP32);
        SystolicConfig cfg = SystolicConfig.int8(4, 1, 1, 96, 1, false).withMx(mx);
        int one = MxElementType.FP8_E4M3.encode(1.0);
        int minusOne = MxElementType.FP8_E4M3.encode(-1.0);
        int[][] a = new int[1][96];
        int[][] b = new int[96][1];
        a[0][0] = one;   // block 0: 1 x 1 under 2^24
        a[0][32] = one;  // block 1: 1 x 1 under 2^0
        a[0][64] = minusOne; // block 2: -1 x 1 under 2^24
        for (int[] row : b) {
            row[0] = one;
        }
        long[][] actScales = {{127 + 24, 127, 127 + 24}};
        long[][] scales = {{127}, {127}, {127}};
        Gemm g = Gemm.mx(a, b, scales, actScales);
        assertEquals(BinaryFloat.FP32.encode(1.0), new GemmGolden(cfg).resultBeats(g).get(0)[0]);
        Mx.Blocks ab = new Mx.Blocks(MxElementType.FP8_E4M3, 32, new int[] {151, 127, 151}, a[0]);
        Mx.Blocks bb = new Mx.Blocks(MxElementType.FP8_E4M3, 32, new int[] {127, 127, 127}, Arrays.stream(b).mapToInt(r -> r[0]).toArray());
        assertEquals(0.0, Mx.dot(ab, bb, DotPrecision.FP32));
    }

    /** E8M0 bytes 2^-10 .. 2^4: every pair's exponent lies in the window -40..20. */
    private static long[][] scales(Random rnd, int rows, int cols) {
        long[][] s = new long[rows][cols];
        for (long[] row : s) {
            for (int j = 0; j < cols; j++) {
                row[j] = 117 + rnd.nextInt(15);
            }
        }
        return s;
    }
}
