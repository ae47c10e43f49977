package dev.qforge.generators.systolic;

import dev.qforge.numerics.TfliteRequant;
import dev.qforge.numerics.TfliteRounding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The golden model against TFLite's reference int8 fully connected kernel (numerics), which it must
 * equal: with one multiplier for the layer, and per channel (each output column its own multiplier
 * and shift, as TFLite's per-channel fully connected and convolution kernels quantize).
 */
class GemmGoldenTest {
    @ParameterizedTest
    @EnumSource(TfliteRounding.class)
    void requantizedGemmIsTfliteFullyConnected(TfliteRounding mode) {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            Layer l = new Layer(rnd, mode);
            // one multiplier for every column
            Arrays.fill(l.mult, l.mult[0]);
            Arrays.fill(l.shift, l.shift[0]);
            TfliteRequant.FullyConnectedParams p = l.params(l.mult[0], l.shift[0]);
            int[] expected = TfliteRequant.fullyConnected(p, l.input(), l.m, l.filter(), l.n, l.bias);
            assertArrayEquals(expected, l.golden(), "trial " + trial + ": " + l.gemm());
        }
    }

    /** Output channel o of a per-channel layer is a fully connected layer of one unit with multiplier and shift o. */
    @ParameterizedTest
    @EnumSource(TfliteRounding.class)
    void perColumnRequantIsTflitePerChannelFullyConnected(TfliteRounding mode) {
        Random rnd = new Random(6);
        for (int trial = 0; trial < 20; trial++) {
            Layer l = new Layer(rnd, mode);
            int[] expected = new int[l.m * l.n];
            int[] filter = l.filter();
            for (int o = 0; o < l.n; o++) {
                int[] unit = Arrays.copyOfRange(filter, o * l.k, (o + 1) * l.k);
                int[] column = TfliteRequant.fullyConnected(l.params(l.mult[o], l.shift[o]), l.input(), l.m, unit, 1, new int[] {l.bias[o]});
                for (int i = 0; i < l.m; i++) {
                    expected[i * l.n + o] = column[i];
                }
            }
            assertArrayEquals(expected, l.golden(), "trial " + trial + ": " + l.gemm());
        }
    }

    /** A random int8 layer: M x K input, K x N weights, int32 bias, per-column scales 2^-6 .. 2^-14. */
    private static final class Layer {
        final TfliteRounding mode;
        final int m;
        final int k;
        final int n;
        final int[][] a;
        final int[][] b;
        final int[] bias;
        final int[] mult;
        final int[] shift;
        final int outZp;
        final int actMin;
        final SystolicConfig cfg;

        Layer(Random rnd, TfliteRounding mode) {
            this.mode = mode;
            cfg = SystolicConfig.int8(3, 4, 16, 16, 16, false).withRequant(mode);
            m = 1 + rnd.nextInt(16);
            k = 1 + rnd.nextInt(16);
            n = 1 + rnd.nextInt(16);
            a = random(rnd, m, k);
            b = random(rnd, k, n);
            bias = new int[n];
            mult = new int[n];
            shift = new int[n];
            for (int i = 0; i < n; i++) {
                bias[i] = rnd.nextInt(1 << 16) - (1 << 15);
                TfliteRequant.QuantizedMultiplier q = TfliteRequant.quantizeMultiplier(Math.pow(2, -6 - 8 * rnd.nextDouble()), mode);
                mult[i] = q.multiplier();
                shift[i] = q.shift();
            }
            outZp = rnd.nextInt(256) - 128;
            actMin = rnd.nextBoolean() ? outZp : -128;
        }

        Gemm gemm() {
            return new Gemm(a, b, bias).withRequant(new Gemm.Requant(mult, shift, outZp, actMin, 127));
        }

        TfliteRequant.FullyConnectedParams params(int multiplier, int shiftValue) {
            return new TfliteRequant.FullyConnectedParams(0, 0, outZp, multiplier, shiftValue, actMin, 127, mode);
        }

        /** The input, M x K row-major. */
        int[] input() {
            int[] input = new int[m * k];
            for (int i = 0; i < m; i++) {
                for (int d = 0; d < k; d++) {
                    input[i * k + d] = a[i][d];
                }
            }
            return input;
        }

        /** The filter, N x K (output units x depth) row-major. */
        int[] filter() {
            int[] filter = new int[n * k];
            for (int o = 0; o < n; o++) {
                for (int d = 0; d < k; d++) {
                    filter[o * k + d] = b[d][o];
                }
            }
            return filter;
        }

        /** The golden model's result beats, as an M x N row-major matrix. */
        int[] golden() {
            List<long[]> beats = new GemmGolden(cfg).resultBeats(gemm());
            int[] actual = new int[m * n];
            for (int n0 = 0, beat = 0; n0 < n; n0 += cfg.cols()) {
                for (int i = 0; i < m; i++, beat++) {
                    for (int c = 0; c < cfg.cols() && n0 + c < n; c++) {
                        actual[i * n + n0 + c] = (int) beats.get(beat)[c];
                    }
                }
            }
            return actual;
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
}
