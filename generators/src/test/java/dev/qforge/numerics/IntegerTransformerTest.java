package dev.qforge.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * I-BERT integer nonlinearities: hand-computed integer vectors, exact isqrt, accuracy against float,
 * and bit-exact differential tests against the independent transcription {@link SlowIbert}: the
 * constants of 3,000 scales, then 100,000+ cases each of i-exp, i-softmax (including the 16-bit
 * requantization), i-GELU and integer LayerNorm.
 */
class IntegerTransformerTest {
    @Test
    void expConstantsAndHandComputedValues() {
        // S = 0.1: x0Int = floor(-6.931) = -7, bInt = floor(27.07) = 27, cInt = floor(279.21) = 279
        IntegerTransformer.ExpParams p = IntegerTransformer.ExpParams.forInputScale(0.1);
        assertEquals(-7, p.x0Int());
        assertEquals(27, p.bInt());
        assertEquals(279, p.cInt());
        assertEquals(279L << 30, IntegerTransformer.iExp(0, p)); // q = 0, r = 0
        assertEquals(279L << 29, IntegerTransformer.iExp(-7, p)); // q = 1, r = 0
        assertEquals(207L << 29, IntegerTransformer.iExp(-10, p)); // q = 1, r = -3: (-3 + 27)(-3) + 279 = 207
        assertEquals(IntegerTransformer.iExp(-210, p), IntegerTransformer.iExp(-1000, p), "clamped at 30 x0Int");
        assertThrows(IllegalArgumentException.class, () -> IntegerTransformer.iExp(1, p));
    }

    @Test
    void expApproximatesExp() {
        for (double s : new double[] {0.1, 0.02, 0.005}) {
            IntegerTransformer.ExpParams p = IntegerTransformer.ExpParams.forInputScale(s);
            double maxErr = 0;
            for (int x = 0; x >= -Math.round(10 / s); x--) {
                maxErr = Math.max(maxErr, Math.abs(IntegerTransformer.iExp(x, p) * p.outputScale() - StrictMath.exp(x * s)));
            }
            System.out.printf("i-exp S=%s max abs error %.5f%n", s, maxErr);
            assertTrue(maxErr < 0.006, "i-exp error " + maxErr + " at S=" + s);
        }
    }

    @Test
    void softmaxHandComputedRow() {
        // S = 0.1, logits {0, -7}: exponentials 279 2^30 and 279 2^29
        IntegerTransformer.SoftmaxParams p = IntegerTransformer.SoftmaxParams.forInputScale(0.1, 8);
        int[] out = IntegerTransformer.iSoftmax(new int[] {0, -7, 5, -2}, 2, p);
        // {0, -7}: exp16 ratio 2:1 -> about 2/3 and 1/3 of 256
        assertTrue(Math.abs(out[0] - 171) <= 1 && Math.abs(out[1] - 85) <= 1, out[0] + ", " + out[1]);
        // the second row {5, -2} is the first shifted by 5 (same differences): the same outputs
        assertArrayEquals(new int[] {out[0], out[1]}, new int[] {out[2], out[3]});
        assertArrayEquals(SlowIbert.iSoftmax(new int[] {0, -7, 5, -2}, 2, -7, 27, 279, p.requantMultiplier(), p.requantShift(), 8), out);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.05, 0.01})
    void softmaxApproximatesFloat(double s) {
        Random r = new Random(17);
        IntegerTransformer.SoftmaxParams p = IntegerTransformer.SoftmaxParams.forInputScale(s, 8);
        double maxErr = 0;
        for (int c = 0; c < 300; c++) {
            int n = 1 + r.nextInt(64);
            int[] x = new int[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.nextInt(256) - 128;
            }
            int[] out = IntegerTransformer.iSoftmax(x, n, p);
            double[] ref = floatSoftmax(x, s);
            for (int i = 0; i < n; i++) {
                maxErr = Math.max(maxErr, Math.abs(out[i] / 256.0 - ref[i]));
            }
        }
        System.out.printf("i-softmax S=%s max abs error %.5f%n", s, maxErr);
        assertTrue(maxErr < 0.012, "i-softmax error " + maxErr);
    }

    static double[] floatSoftmax(int[] x, double s) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v : x) {
            max = Math.max(max, v * s);
        }
        double sum = 0;
        double[] e = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            e[i] = StrictMath.exp(x[i] * s - max);
            sum += e[i];
        }
        for (int i = 0; i < x.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    /** I-BERT feeds i-GELU int32 matmul outputs, whose scales are small; its fixed 2^-14 step needs S below ~0.01. */
    @Test
    void geluApproximatesFloat() {
        for (double s : new double[] {2e-3, 1e-3, 2e-4}) {
            IntegerTransformer.GeluParams p = IntegerTransformer.GeluParams.forInputScale(s);
            int range = (int) Math.round(6 / s);
            int[] x = new int[2 * range + 1];
            for (int i = 0; i < x.length; i++) {
                x[i] = i - range;
            }
            long[] y = IntegerTransformer.iGelu(x, p);
            double maxErr = 0;
            for (int i = 0; i < x.length; i++) {
                double v = x[i] * s;
                double gelu = 0.5 * v * (1 + erf(v / StrictMath.sqrt(2)));
                maxErr = Math.max(maxErr, Math.abs(y[i] * p.outputScale() - gelu));
            }
            System.out.printf("i-gelu S=%s max abs error %.5f%n", s, maxErr);
            assertTrue(maxErr < 0.04, "i-gelu error " + maxErr + " at S=" + s);
            assertEquals(0, y[range], "gelu(0) = 0");
        }
    }

    /** erf by its Taylor / continued-fraction-free series (|x| <= 6 is enough here). */
    private static double erf(double x) {
        double t = 1 / (1 + 0.5 * Math.abs(x));
        double y = 1 - t * StrictMath.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? y : -y;
    }

    @ParameterizedTest
    @ValueSource(longs = {5L, 0x1234L, 77777L})
    void isqrtMatchesBigInteger(long seed) {
        Random r = new Random(seed);
        for (int c = 0; c < 40_000; c++) {
            long n = switch (c % 4) {
                case 0 -> {
                    long root = r.nextLong() >>> 33;
                    yield Math.max(0, root * root + r.nextInt(3) - 1); // perfect squares and neighbours
                }
                case 1 -> Long.MAX_VALUE - r.nextInt(10);
                default -> (r.nextLong() >>> 1) >>> r.nextInt(63);
            };
            assertEquals(BigInteger.valueOf(n).sqrt().longValueExact(), IntegerTransformer.isqrt(n), () -> "seed " + seed + " n=" + n);
        }
        assertEquals(0, IntegerTransformer.isqrt(0));
        assertEquals(1, IntegerTransformer.isqrt(3));
        assertEquals(2, IntegerTransformer.isqrt(4));
    }

    @Test
    void layerNormHandComputedRow() {
        // x = {1, 2, 3, 6}: sum 12, mean 3, y = {-2, -1, 0, 3}, var 14, std 3, factor floor(2^31 / 3) = 715827882
        long[] out = IntegerTransformer.layerNorm(new int[] {1, 2, 3, 6}, 4, 0, new long[] {0, 0, 0, 10});
        long f = 715827882L;
        assertArrayEquals(new long[] {Math.floorDiv(-2 * f, 2), Math.floorDiv(-f, 2), 0, Math.floorDiv(3 * f, 2) + 10}, out);
        // mean 2.5 rounds half to even -> 2; constant rows normalize to 0 (+ bias)
        long[] tie = IntegerTransformer.layerNorm(new int[] {2, 3}, 2, 0, new long[] {0, 0});
        assertEquals(0, tie[0]);
        assertArrayEquals(new long[] {7, 7}, IntegerTransformer.layerNorm(new int[] {5, 5}, 2, 0, new long[] {7, 7}));
    }

    @Test
    void layerNormApproximatesFloat() {
        Random r = new Random(3);
        int n = 64;
        double[] weight = new double[n];
        double[] bias = new double[n];
        for (int c = 0; c < n; c++) {
            weight[c] = 0.5 + r.nextDouble();
            bias[c] = r.nextGaussian() * 0.1;
        }
        long[] biasInt = IntegerTransformer.layerNormBias(weight, bias);
        double maxErr = 0;
        for (int shift = 0; shift <= 2; shift++) {
            for (int row = 0; row < 50; row++) {
                int[] x = new int[n];
                for (int i = 0; i < n; i++) {
                    x[i] = (int) Math.round(r.nextGaussian() * 300);
                }
                long[] out = IntegerTransformer.layerNorm(x, n, shift, biasInt);
                double mean = 0;
                for (int v : x) {
                    mean += v;
                }
                mean /= n;
                double var = 0;
                for (int v : x) {
                    var += (v - mean) * (v - mean);
                }
                var /= n;
                for (int i = 0; i < n; i++) {
                    double ref = (x[i] - mean) / StrictMath.sqrt(var) * weight[i] + bias[i];
                    maxErr = Math.max(maxErr, Math.abs(out[i] * IntegerTransformer.layerNormOutputScale(weight[i], n) - ref));
                }
            }
        }
        System.out.printf("integer layernorm max abs error %.5f%n", maxErr);
        assertTrue(maxErr < 0.02, "layernorm error " + maxErr);
    }

    private static final int CASES = 100_000;

    /** Scales spread evenly in log scale over [lo, hi]. */
    private static double logUniform(Random r, double lo, double hi) {
        return lo * StrictMath.pow(hi / lo, r.nextDouble());
    }

    @Test
    void constantsMatchSlowDerivation() {
        Random r = new Random(500);
        for (int c = 0; c < 3000; c++) {
            double s = logUniform(r, 1e-6, 6);
            IntegerTransformer.ExpParams e = IntegerTransformer.ExpParams.forInputScale(s);
            assertArrayEquals(SlowIbert.expConstants(s), new long[] {e.x0Int(), e.bInt(), e.cInt()}, () -> "exp S=" + s);
            double exp16Scale = r.nextBoolean() ? 1.0 / 32767 : logUniform(r, 1e-6, 1e-3);
            IntegerTransformer.SoftmaxParams p = IntegerTransformer.SoftmaxParams.forInputScale(s, exp16Scale, 8);
            assertArrayEquals(SlowIbert.requantConstants(s, exp16Scale), new long[] {p.requantMultiplier(), p.requantShift()},
                    () -> "softmax S=" + s + " exp16Scale=" + exp16Scale);
            double g = logUniform(r, 1e-8, 1);
            IntegerTransformer.GeluParams gp = IntegerTransformer.GeluParams.forInputScale(g);
            assertArrayEquals(SlowIbert.geluConstants(g), new long[] {gp.bInt(), gp.cInt(), gp.shiftInt()}, () -> "gelu S=" + g);
        }
    }

    /** A max-subtracted input: 0, multiples of x0Int and their neighbours, the clamp at 30 x0Int, int32 and long edges. */
    private static long expInput(Random r, long x0Int) {
        return switch (r.nextInt(8)) {
            case 0 -> -r.nextInt(3);
            case 1 -> x0Int * r.nextInt(31) + r.nextInt(3) - 1;
            case 2 -> 30 * x0Int + r.nextInt(3) - 1;
            case 3 -> r.nextBoolean() ? Integer.MIN_VALUE : Long.MIN_VALUE;
            case 4 -> -(r.nextInt() & Integer.MAX_VALUE);
            default -> (long) (r.nextDouble() * 32 * x0Int);
        };
    }

    /** got is the reference's value, or throws ArithmeticException where the reference gives null (beyond a long). */
    private static void assertValueOrOverflow(Long expected, LongSupplier got, Supplier<String> msg) {
        if (expected == null) {
            assertThrows(ArithmeticException.class, got::getAsLong, msg);
        } else {
            assertEquals(expected.longValue(), got.getAsLong(), msg);
        }
    }

    @Test
    void iExpMatchesSlow() {
        Random r = new Random(501);
        IntegerTransformer.ExpParams p = null;
        for (int c = 0; c < CASES; c++) {
            if (c % 100 == 0) {
                p = IntegerTransformer.ExpParams.forInputScale(logUniform(r, 1e-6, 6));
            }
            long x = Math.min(0, expInput(r, p.x0Int()));
            IntegerTransformer.ExpParams fp = p;
            assertValueOrOverflow(SlowIbert.iExp(x, p.x0Int(), p.bInt(), p.cInt()), () -> IntegerTransformer.iExp(x, fp),
                    () -> fp + " x=" + x);
        }
    }

    /**
     * Rows of int8-like, wide and edge values at scales from 1e-5 (below about 3e-5 the exact 64-bit pipeline must
     * throw) to 6, with the natural 16-bit scale, a random one (small ones saturate the exponentials at 32767) or a
     * power-of-two multiplier (ties for the half-even requantization, which random multipliers never produce).
     */
    @Test
    void iSoftmaxMatchesSlow() {
        Random r = new Random(502);
        int thrown = 0;
        for (int elements = 0, c = 0; elements < CASES; c++) {
            double s = logUniform(r, 1e-5, 6);
            int outputBits = r.nextInt(3) == 0 ? 1 + r.nextInt(16) : 8;
            IntegerTransformer.SoftmaxParams p = switch (r.nextInt(4)) {
                case 0 -> IntegerTransformer.SoftmaxParams.forInputScale(s, logUniform(r, 1e-6, 1e-3), outputBits);
                // multiplier 2^30: exp * 2^30 / 2^shift = z 2^(60 - q - shift), exact ties of the half-even requantization
                case 1 -> new IntegerTransformer.SoftmaxParams(IntegerTransformer.ExpParams.forInputScale(s), 1L << 30,
                        61 + r.nextInt(12), outputBits);
                default -> IntegerTransformer.SoftmaxParams.forInputScale(s, outputBits);
            };
            int rowLength = 1 + r.nextInt(64);
            int[] x = new int[rowLength * (1 + r.nextInt(3))];
            int kind = r.nextInt(4);
            int base = Slow.edgyInt(r);
            for (int i = 0; i < x.length; i++) {
                x[i] = switch (kind) {
                    case 0 -> r.nextInt(256) - 128;
                    case 1 -> Slow.edgyInt(r);
                    case 2 -> (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, base + p.exp().x0Int() * r.nextInt(4)));
                    default -> r.nextInt(8) == 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE - r.nextInt(1 << r.nextInt(31));
                };
            }
            int[] expected = SlowIbert.iSoftmax(x, rowLength, p.exp().x0Int(), p.exp().bInt(), p.exp().cInt(), p.requantMultiplier(),
                    p.requantShift(), outputBits);
            int trial = c;
            if (expected == null) {
                thrown++;
                assertThrows(ArithmeticException.class, () -> IntegerTransformer.iSoftmax(x, rowLength, p),
                        () -> "trial " + trial + " S=" + s);
            } else {
                assertArrayEquals(expected, IntegerTransformer.iSoftmax(x, rowLength, p), () -> "trial " + trial + " S=" + s + " " + p);
            }
            elements += x.length;
        }
        assertTrue(thrown > 0, "the 2^62 limit was exercised");
    }

    @Test
    void iSoftmaxBeyondExactRangeThrowsArithmeticException() {
        // S = 1e-5: c_int ~ 2.8e10, times a ~2^30 multiplier is beyond 2^62
        IntegerTransformer.SoftmaxParams p = IntegerTransformer.SoftmaxParams.forInputScale(1e-5, 8);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> IntegerTransformer.iSoftmax(new int[] {0, 0}, 2, p));
        assertTrue(e.getMessage().contains("i-softmax") && e.getMessage().contains("2^62"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IntegerTransformer.ExpParams.forInputScale(1e-12),
                "c_int beyond a long: rejected as a bad scale");
    }

    @Test
    void iGeluMatchesSlow() {
        Random r = new Random(503);
        IntegerTransformer.GeluParams p = null;
        for (int c = 0; c < CASES; c++) {
            if (c % 100 == 0) {
                p = IntegerTransformer.GeluParams.forInputScale(logUniform(r, 1e-8, 1));
            }
            long clip = -p.bInt(); // |x| beyond it is clipped
            int x = switch (r.nextInt(6)) {
                case 0 -> r.nextInt(5) - 2;
                case 1 -> (int) Math.min(Integer.MAX_VALUE, clip + r.nextInt(3) - 1) * (r.nextBoolean() ? 1 : -1);
                case 2 -> (int) (r.nextDouble() * Math.min(Integer.MAX_VALUE, 2 * clip)) * (r.nextBoolean() ? 1 : -1);
                default -> Slow.edgyInt(r);
            };
            IntegerTransformer.GeluParams fp = p;
            assertValueOrOverflow(SlowIbert.iGelu(x, p.bInt(), p.cInt(), p.shiftInt()), () -> IntegerTransformer.iGelu(new int[] {x}, fp)[0],
                    () -> fp + " x=" + x);
        }
    }

    @Test
    void layerNormMatchesSlow() {
        Random r = new Random(504);
        for (int elements = 0, c = 0; elements < CASES; c++) {
            int rowLength = 1 + r.nextInt(64);
            int shift = r.nextInt(4) == 0 ? r.nextInt(32) : r.nextInt(4);
            int[] x = new int[rowLength * (1 + r.nextInt(3))];
            int kind = r.nextInt(5);
            int constant = Slow.edgyInt(r);
            for (int i = 0; i < x.length; i++) {
                x[i] = switch (kind) {
                    case 0 -> (int) Math.round(r.nextGaussian() * 300);
                    case 1 -> constant; // std 0
                    case 2 -> Slow.edgyInt(r); // squares beyond a long with small shifts
                    default -> r.nextInt(1 << (1 + r.nextInt(20))) - (1 << 10);
                };
            }
            long[] bias = new long[rowLength];
            for (int i = 0; i < rowLength; i++) {
                bias[i] = r.nextInt(50) == 0 ? Long.MAX_VALUE - r.nextInt(3) : r.nextLong() >> 24;
            }
            long[] expected = SlowIbert.layerNorm(x, rowLength, shift, bias);
            int trial = c;
            if (expected == null) {
                assertThrows(ArithmeticException.class, () -> IntegerTransformer.layerNorm(x, rowLength, shift, bias),
                        () -> "trial " + trial);
            } else {
                assertArrayEquals(expected, IntegerTransformer.layerNorm(x, rowLength, shift, bias), () -> "trial " + trial);
            }
            elements += x.length;
        }
    }
}
