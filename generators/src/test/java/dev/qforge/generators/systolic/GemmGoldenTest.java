package dev.qforge.generators.systolic;

import dev.qforge.numerics.TfliteRequant;
import dev.qforge.numerics.TfliteRounding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The golden model against TFLite's reference int8 fully connected kernel (numerics), which it must equal. */
class GemmGoldenTest {
    @ParameterizedTest
    @EnumSource(TfliteRounding.class)
    void requantizedGemmIsTfliteFullyConnected(TfliteRounding mode) {
        Random rnd = new Random(5);
        SystolicConfig cfg = SystolicConfig.int8(3, 4, 16, 16, 16, false).withRequant(mode);
        for (int trial = 0; trial < 20; trial++) {
            int m = 1 + rnd.nextInt(16);
            int k = 1 + rnd.nextInt(16);
            int n = 1 + rnd.nextInt(16);
            int[][] a = random(rnd, m, k);
            int[][] b = random(rnd, k, n);
            int[] bias = new int[n];
            for (int i = 0; i < n; i++) {
                bias[i] = rnd.nextInt(1 << 16) - (1 << 15);
            }
            // TFLite's kernel has one multiplier per layer; use it for every column
            TfliteRequant.QuantizedMultiplier q = TfliteRequant.quantizeMultiplier(Math.pow(2, -6 - 8 * rnd.nextDouble()), mode);
            int outZp = rnd.nextInt(256) - 128;
            int actMin = rnd.nextBoolean() ? outZp : -128;
            int[] mult = new int[n];
            int[] shift = new int[n];
            Arrays.fill(mult, q.multiplier());
            Arrays.fill(shift, q.shift());
            Gemm g = new Gemm(a, b, bias).withRequant(new Gemm.Requant(mult, shift, outZp, actMin, 127));

            // filter is N x K (output units x depth), input M x K
            int[] input = new int[m * k];
            int[] filter = new int[n * k];
            for (int i = 0; i < m; i++) {
                for (int d = 0; d < k; d++) {
                    input[i * k + d] = a[i][d];
                }
            }
            for (int o = 0; o < n; o++) {
                for (int d = 0; d < k; d++) {
                    filter[o * k + d] = b[d][o];
                }
            }
            TfliteRequant.FullyConnectedParams p = new TfliteRequant.FullyConnectedParams(0, 0, outZp, q.multiplier(), q.shift(), actMin,
                    127, mode);
            int[] expected = TfliteRequant.fullyConnected(p, input, m, filter, n, bias);

            List<long[]> beats = new GemmGolden(cfg).resultBeats(g);
            int[] actual = new int[m * n];
            for (int n0 = 0, beat = 0; n0 < n; n0 += cfg.cols()) {
                for (int i = 0; i < m; i++, beat++) {
                    for (int c = 0; c < cfg.cols() && n0 + c < n; c++) {
                        actual[i * n + n0 + c] = (int) beats.get(beat)[c];
                    }
                }
            }
            assertArrayEquals(expected, actual, "trial " + trial + ": " + g);
        }
    }

    private static int[][] random(Random rnd, int rows, int cols) {
        int[][] x = new int[rows][cols];
        for (int[] r : x) {
            for (int j = 0; j < cols; j++) {
                r[j] = rnd.nextInt(256) - 128;
            }
        }
        return x;
    }
}
