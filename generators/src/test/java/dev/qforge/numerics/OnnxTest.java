package dev.qforge.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qforge.dsl.Rounding;
import dev.qforge.numerics.Slow.Exact;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 4 reference vectors for the ONNX operators (from the ONNX operator test cases), and
 * differential tests against exact references: QuantizeLinear 40,000+ elements per granularity,
 * DequantizeLinear 100,000+ elements, QLinearMatMul (and its MatMulInteger) 100,000+ outputs.
 */
class OnnxTest {
    @Test
    void qLinearMatMulUint8() {
        int[] a = {208, 236, 0, 238, 3, 214, 255, 29};
        int[] b = {152, 51, 244, 60, 26, 255, 0, 127, 246, 127, 254, 247};
        int[] y = Onnx.qLinearMatMul(a, 2, new float[] {0.0066f}, new int[] {113}, IntFormat.UINT8, b, 3,
                new float[] {0.00705f}, new int[] {114}, IntFormat.UINT8, 0.0107f, 118, IntFormat.UINT8);
        assertArrayEquals(new int[] {168, 115, 255, 1, 66, 151}, y);
    }

    @Test
    void matMulInteger() {
        int[] a = {11, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0};
        int[] b = {1, 4, 2, 5, 3, 6};
        int[] y = Onnx.matMulInteger(a, 4, new int[] {12}, IntFormat.UINT8, b, 2, new int[] {0}, IntFormat.UINT8);
        assertArrayEquals(new int[] {-38, -83, -44, -98, -50, -113, -56, -128}, y);
    }

    @Test
    void matMulIntegerPerRowAndColumnZeroPoints() {
        // a = [[1,2],[3,4]] with row zero points [1,2]; b = [[1,0],[0,1]] with column zero points [0,1]
        int[] y = Onnx.matMulInteger(new int[] {1, 2, 3, 4}, 2, new int[] {1, 2}, IntFormat.UINT8, new int[] {1, 0, 0, 1}, 2,
                new int[] {0, 1}, IntFormat.UINT8);
        // (a - za) = [[0,1],[1,2]], (b - zb) = [[1,-1],[0,0]]
        assertArrayEquals(new int[] {0, 0, 1, -1}, y);
    }

    @Test
    void quantizeLinearPerTensorUint8() {
        float[] x = {0, 2, 3, 1000, -254, -1000};
        int[] y = Onnx.quantizeLinear(x, new int[] {6}, new float[] {2}, new int[] {128}, 1, 0, IntFormat.UINT8);
        assertArrayEquals(new int[] {128, 129, 130, 255, 1, 0}, y);
    }

    @Test
    void quantizeLinearBlockedAxis1() {
        float[] x = {6, 12, 50, 5, 1, 8, 4, 5, 0, 20, 10, 4};
        float[] scale = {1.5f, 2.5f, 3.0f, 4.9f, 5.1f, 6.9f};
        int[] zp = {0, 1, 1, 0, 2, 3};
        int[] y = Onnx.quantizeLinear(x, new int[] {3, 4}, scale, zp, 1, 2, IntFormat.UINT8);
        assertArrayEquals(new int[] {4, 8, 21, 3, 1, 4, 1, 1, 2, 6, 4, 4}, y);
    }

    @Test
    void quantizeLinearInt4PerAxis0() {
        float[] x = {0, 2.5f, 4.8f, 8.6f, -30, -20, 6, 9, 12, 15, 16, 40};
        int[] y = Onnx.quantizeLinear(x, new int[] {3, 4}, new float[] {2, 3, 4}, new int[] {1, 1, 1}, 0, 0, IntFormat.INT4);
        assertArrayEquals(new int[] {1, 2, 3, 5, -8, -6, 3, 4, 4, 5, 5, 7}, y);
    }

    @Test
    void quantizeLinearRoundsHalfToEven() {
        float[] x = {1, 3, 5, -1, -3};
        int[] y = Onnx.quantizeLinear(x, new int[] {5}, new float[] {2}, null, 0, 0, IntFormat.INT8);
        assertArrayEquals(new int[] {0, 2, 2, 0, -2}, y);
    }

    @Test
    void dequantizeLinear() {
        assertArrayEquals(new float[] {-256, -250, 0, 254},
                Onnx.dequantizeLinear(new int[] {0, 3, 128, 255}, new int[] {4}, new float[] {2}, new int[] {128}, 0, 0, IntFormat.UINT8));
        assertArrayEquals(new float[] {-2, 0, 12, -10, -18},
                Onnx.dequantizeLinear(new int[] {0, 1, 7, -4, -8}, new int[] {5}, new float[] {2}, new int[] {1}, 0, 0, IntFormat.INT4));
    }

    @Test
    void badArgumentsNameTheArgument() {
        assertThrows(IllegalArgumentException.class,
                () -> Onnx.quantizeLinear(new float[4], new int[] {2, 2}, new float[] {1, 1, 1}, null, 1, 0, IntFormat.INT8));
        assertThrows(IllegalArgumentException.class,
                () -> Onnx.quantizeLinear(new float[4], new int[] {2, 2}, new float[] {1}, new int[] {300}, 0, 0, IntFormat.UINT8));
        assertThrows(IllegalArgumentException.class,
                () -> Onnx.dequantizeLinear(new int[] {8}, new int[] {1}, new float[] {1}, null, 0, 0, IntFormat.INT4));
        assertThrows(IllegalArgumentException.class,
                () -> Onnx.quantizeLinear(new float[] {Float.NaN}, new int[] {1}, new float[] {1}, null, 0, 0, IntFormat.INT8));
    }

    private static final int CASES = 100_000;
    private static final int QUANTIZE_CASES_PER_GRANULARITY = 100_000; // at least 10^5 elements for each of per-tensor, per-axis, blocked
    private static final IntFormat[] QUANT_FORMATS = {
        IntFormat.INT4, IntFormat.UINT4, IntFormat.INT8, IntFormat.UINT8, IntFormat.INT16, IntFormat.UINT16,
    };

    enum Granularity { PER_TENSOR, PER_AXIS, BLOCKED }

    /** A random tensor shape with a quantization axis and block size, and the number of parameters the spec asks for. */
    private record Layout(int[] shape, int axis, int blockSize, int paramCount) {
        int volume() {
            int v = 1;
            for (int d : shape) {
                v *= d;
            }
            return v;
        }

        /** The parameter of element i, from its coordinates (the spec's definition, not the code's strides). */
        int paramIndex(int i, Granularity g) {
            if (g == Granularity.PER_TENSOR) {
                return 0;
            }
            int a = axis < 0 ? axis + shape.length : axis;
            int[] coord = new int[shape.length];
            for (int d = shape.length - 1; d >= 0; d--) {
                coord[d] = i % shape[d];
                i /= shape[d];
            }
            if (g == Granularity.PER_AXIS) {
                return coord[a];
            }
            int index = 0;
            for (int d = 0; d < shape.length; d++) {
                int extent = d == a ? (shape[d] + blockSize - 1) / blockSize : shape[d];
                index = index * extent + (d == a ? coord[d] / blockSize : coord[d]);
            }
            return index;
        }
    }

    private static Layout randomLayout(Random r, Granularity g) {
        int[] shape = new int[1 + r.nextInt(4)];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = 1 + r.nextInt(7);
        }
        int a = r.nextInt(shape.length);
        int axis = r.nextBoolean() ? a : a - shape.length;
        int blockSize = g == Granularity.BLOCKED ? 1 + r.nextInt(shape[a] + 1) : 0;
        int count = switch (g) {
            case PER_TENSOR -> 1;
            case PER_AXIS -> shape[a];
            case BLOCKED -> {
                int c = 1;
                for (int d = 0; d < shape.length; d++) {
                    c *= d == a ? (shape[d] + blockSize - 1) / blockSize : shape[d];
                }
                yield c;
            }
        };
        return new Layout(shape, axis, blockSize, count);
    }

    /** A positive float scale: often a power of two (exact quotients, hence exact ties), else log-uniform, rarely tiny or huge. */
    private static float randomScale(Random r) {
        return switch (r.nextInt(8)) {
            case 0, 1 -> Math.scalb(1.0f, r.nextInt(16) - 8);
            case 2 -> Math.scalb(1.0f + r.nextFloat(), -140 + r.nextInt(10)); // subnormal: quotients overflow to infinity
            case 3 -> Math.scalb(1.0f + r.nextFloat(), 100 + r.nextInt(27));
            default -> (float) StrictMath.pow(2, 24 * r.nextDouble() - 12);
        };
    }

    /** A float input for QuantizeLinear with the given scale: ties of x / scale, the range edges, random values, infinities. */
    private static float quantizeInput(Random r, float scale, IntFormat f) {
        float sign = r.nextBoolean() ? 1 : -1;
        return switch (r.nextInt(10)) {
            case 0, 1 -> (r.nextInt(2 * (int) (f.max() - f.min()) + 2) - (int) (f.max() - f.min()) - 0.5f) * scale; // k + 1/2
            case 2 -> (r.nextInt((int) (f.max() - f.min()) + 1) + f.min()) * scale; // on the grid
            case 3 -> sign * Math.scalb(1.0f + r.nextFloat(), 20 + r.nextInt(100)); // saturates
            case 4 -> r.nextInt(60) == 0 ? sign * Float.POSITIVE_INFINITY : sign * 0.0f;
            case 5 -> sign * Math.scalb(r.nextFloat(), -r.nextInt(r.nextInt(8) == 0 ? 150 : 30)); // tiny, rarely subnormal
            default -> (float) (r.nextGaussian() * (f.max() - f.min()) * scale);
        };
    }

    /** saturate(round_half_even(x / scale) + zeroPoint) with x / scale the exactly rounded binary32 quotient. */
    static long slowQuantize(float x, Exact scale, long zeroPoint, IntFormat f) {
        long min = Slow.min(f.bits(), f.signed());
        long max = Slow.max(f.bits(), f.signed());
        if (Float.isInfinite(x)) {
            return x > 0 ? max : min;
        }
        Exact q = Slow.float32Quotient(Exact.of(x), scale);
        if (Slow.overflowsFloat32(q)) {
            return q.signum() > 0 ? max : min;
        }
        return Slow.clamp(q.round(Rounding.HALF_EVEN).add(BigInteger.valueOf(zeroPoint)), min, max).longValueExact();
    }

    private static Exact[] exact(float[] v) {
        Exact[] e = new Exact[v.length];
        for (int i = 0; i < v.length; i++) {
            e[i] = Exact.of(v[i]);
        }
        return e;
    }

    private static int[] randomZeroPoints(Random r, int count, IntFormat f) {
        int[] zp = new int[count];
        for (int i = 0; i < count; i++) {
            zp[i] = (int) (f.min() + r.nextInt((int) (f.max() - f.min()) + 1));
        }
        return zp;
    }

    @ParameterizedTest
    @EnumSource(Granularity.class)
    void quantizeLinearMatchesSlow(Granularity g) {
        Random r = new Random(7700 + g.ordinal());
        for (int elements = 0, tensor = 0; elements < QUANTIZE_CASES_PER_GRANULARITY; tensor++) {
            Layout l = randomLayout(r, g);
            IntFormat f = QUANT_FORMATS[tensor % QUANT_FORMATS.length];
            float[] scale = new float[l.paramCount()];
            for (int i = 0; i < scale.length; i++) {
                scale[i] = randomScale(r);
            }
            int[] zp = r.nextInt(5) == 0 ? null : randomZeroPoints(r, scale.length, f);
            float[] x = new float[l.volume()];
            for (int i = 0; i < x.length; i++) {
                x[i] = quantizeInput(r, scale[l.paramIndex(i, g)], f);
            }
            int[] y = Onnx.quantizeLinear(x, l.shape(), scale, zp, l.axis(), l.blockSize(), f);
            Exact[] exactScale = exact(scale);
            for (int i = 0; i < x.length; i++) {
                int p = l.paramIndex(i, g);
                long expected = slowQuantize(x[i], exactScale[p], zp == null ? 0 : zp[p], f);
                int at = i;
                int n = tensor;
                assertEquals(expected, y[i], () -> g + " tensor " + n + " " + f + " x[" + at + "]=" + x[at] + " scale "
                        + scale[p] + " zp " + (zp == null ? 0 : zp[p]));
            }
            elements += x.length;
        }
    }

    @Test
    void dequantizeLinearMatchesSlow() {
        Random r = new Random(7800);
        for (int elements = 0, tensor = 0; elements < CASES; tensor++) {
            Granularity g = Granularity.values()[tensor % 3];
            Layout l = randomLayout(r, g);
            IntFormat f = QUANT_FORMATS[tensor % QUANT_FORMATS.length];
            float[] scale = new float[l.paramCount()];
            for (int i = 0; i < scale.length; i++) {
                scale[i] = r.nextInt(10) == 0 ? Float.MAX_VALUE / (1 + r.nextInt(4)) : randomScale(r); // products overflow too
            }
            int[] zp = r.nextInt(5) == 0 ? null : randomZeroPoints(r, scale.length, f);
            int[] x = randomZeroPoints(r, l.volume(), f);
            float[] y = Onnx.dequantizeLinear(x, l.shape(), scale, zp, l.axis(), l.blockSize(), f);
            Exact[] exactScale = exact(scale);
            for (int i = 0; i < x.length; i++) {
                int p = l.paramIndex(i, g);
                Exact expected = Slow.toFloat32(Exact.of((long) x[i] - (zp == null ? 0 : zp[p]), 0).times(exactScale[p]));
                boolean ok = Slow.overflowsFloat32(expected)
                        ? y[i] == (expected.signum() > 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY)
                        : expected.sameValue(y[i]);
                int at = i;
                assertTrue(ok, () -> g + " " + f + " x[" + at + "]=" + x[at] + " scale " + scale[p] + ": got " + y[at]);
            }
            elements += x.length;
        }
    }

    /** The spec's QLinearMatMul in exact arithmetic: binary32 multiplier, binary64 product, half-even, zero point, saturate. */
    static int[] slowQLinearMatMul(int[] a, int m, float[] aScale, int[] aZp, int[] b, int n, float[] bScale, int[] bZp,
                                   float yScale, int yZp, IntFormat out) {
        int k = a.length / m;
        int[] y = new int[m * n];
        // the binary32 multiplier of each (aScale, bScale) pair: float(float(aScale * bScale) / yScale)
        Exact[][] multipliers = new Exact[aScale.length][bScale.length];
        for (int i = 0; i < aScale.length; i++) {
            for (int j = 0; j < bScale.length; j++) {
                Exact product = Slow.toFloat32(Exact.of(aScale[i]).times(Exact.of(bScale[j])));
                multipliers[i][j] = Slow.float32Quotient(product, Exact.of(yScale));
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long acc = 0; // exact: the tests keep k * 255^2 far below 2^63
                for (int t = 0; t < k; t++) {
                    acc += (long) (a[i * k + t] - aZp[aZp.length == 1 ? 0 : i]) * (b[t * n + j] - bZp[bZp.length == 1 ? 0 : j]);
                }
                Exact multiplier = multipliers[aScale.length == 1 ? 0 : i][bScale.length == 1 ? 0 : j];
                Exact scaled = Slow.toFloat64(Exact.of(acc, 0).times(multiplier));
                BigInteger q = scaled.round(Rounding.HALF_EVEN).add(BigInteger.valueOf(yZp));
                y[i * n + j] = Slow.clamp(q, Slow.min(out.bits(), out.signed()), Slow.max(out.bits(), out.signed())).intValueExact();
            }
        }
        return y;
    }

    private static float[] randomScales(Random r, int count, boolean powerOfTwo) {
        float[] s = new float[count];
        for (int i = 0; i < count; i++) {
            s[i] = powerOfTwo ? Math.scalb(1.0f, -r.nextInt(8)) : (float) StrictMath.pow(2, -12 * r.nextDouble());
        }
        return s;
    }

    private static int[] randomValues(Random r, int count, IntFormat f) {
        int[] v = new int[count];
        for (int i = 0; i < count; i++) {
            v[i] = switch (r.nextInt(6)) {
                case 0 -> (int) f.min();
                case 1 -> (int) f.max();
                default -> (int) (f.min() + r.nextInt((int) (f.max() - f.min()) + 1));
            };
        }
        return v;
    }

    /** QLinearMatMul over random int8 / uint8 operands, per-tensor / per-row / per-column parameters, power-of-two scales for ties. */
    @Test
    void qLinearMatMulMatchesSlow() {
        Random r = new Random(7900);
        IntFormat[] formats = {IntFormat.INT8, IntFormat.UINT8};
        for (int outputs = 0, c = 0; outputs < CASES; c++) {
            int m = 1 + r.nextInt(6);
            int k = 1 + r.nextInt(48);
            int n = 1 + r.nextInt(6);
            IntFormat fa = formats[r.nextInt(2)];
            IntFormat fb = formats[r.nextInt(2)];
            IntFormat fy = formats[r.nextInt(2)];
            boolean ties = r.nextInt(3) == 0; // power-of-two scales: acc * multiplier lands on halves
            int[] a = randomValues(r, m * k, fa);
            int[] b = randomValues(r, k * n, fb);
            int[] aZp = randomValues(r, r.nextBoolean() ? 1 : m, fa);
            int[] bZp = randomValues(r, r.nextBoolean() ? 1 : n, fb);
            float[] aScale = randomScales(r, r.nextBoolean() ? 1 : m, ties);
            float[] bScale = randomScales(r, r.nextBoolean() ? 1 : n, ties);
            float yScale = ties ? Math.scalb(1.0f, -r.nextInt(12)) : (float) StrictMath.pow(2, -16 * r.nextDouble());
            int yZp = randomValues(r, 1, fy)[0];
            int[] y = Onnx.qLinearMatMul(a, m, aScale, aZp, fa, b, n, bScale, bZp, fb, yScale, yZp, fy);
            int[] expected = slowQLinearMatMul(a, m, aScale, aZp, b, n, bScale, bZp, yScale, yZp, fy);
            int trial = c;
            assertArrayEquals(expected, y, () -> "trial " + trial + " " + fa + " x " + fb + " -> " + fy);
            outputs += y.length;
        }
    }

    /** Asserts that call throws exception type whose message contains every fragment. */
    private static <T extends RuntimeException> void assertRejected(Class<T> type, Executable call, String... fragments) {
        String message = assertThrows(type, call).getMessage();
        for (String f : fragments) {
            assertTrue(message.contains(f), () -> "'" + message + "' should contain '" + f + "'");
        }
    }

    private static int[] matMulUint8(int[] a, int m, int aZp, int[] b, int n, int bZp) {
        return Onnx.matMulInteger(a, m, new int[] {aZp}, IntFormat.UINT8, b, n, new int[] {bZp}, IntFormat.UINT8);
    }

    @Test
    void matMulIntegerRejectsBadInputs() {
        assertRejected(IllegalArgumentException.class, () -> matMulUint8(new int[] {1, 300}, 1, 0, new int[] {1, 1}, 1, 0), "a[1]", "300");
        assertRejected(IllegalArgumentException.class, () -> matMulUint8(new int[] {1}, 1, -1, new int[] {1}, 1, 0), "aZeroPoint[0]");
        assertRejected(IllegalArgumentException.class, () -> matMulUint8(new int[] {1}, 1, 0, new int[] {1}, 1, 256), "bZeroPoint[0]");
        int[] one = {1};
        int[] zero = {0};
        assertRejected(IllegalArgumentException.class,
                () -> Onnx.matMulInteger(one, 1, zero, IntFormat.INT32, one, 1, zero, IntFormat.INT8), "aFormat");
        // k * n and m * n beyond an array: rejected by name instead of wrapping
        assertRejected(IllegalArgumentException.class, () -> matMulUint8(new int[1 << 16], 1, 0, new int[1], 1 << 16, 0), "k * n");
        assertRejected(IllegalArgumentException.class, () -> matMulUint8(new int[1 << 16], 1 << 16, 0, new int[1 << 16], 1 << 16, 0),
                "m * n");
        // int16 operands: 3 * 2^30 does not fit the int32 result
        int[] min = {-32768, -32768, -32768};
        assertRejected(ArithmeticException.class, () -> Onnx.matMulInteger(min, 1, zero, IntFormat.INT16, min, 1, zero, IntFormat.INT16),
                "(0, 0)", "3221225472");
    }

    /** QuantizeLinear and DequantizeLinear reject a scale that is not finite and > 0, and DequantizeLinear an int32 zero point, by name. */
    @ParameterizedTest(name = "scale {0}")
    @ValueSource(floats = {0f, -1f, -2f, Float.POSITIVE_INFINITY, Float.NaN})
    void quantizeAndDequantizeRejectBadScales(float bad) {
        float[] scales = {1, bad};
        IllegalArgumentException q = assertThrows(IllegalArgumentException.class,
                () -> Onnx.quantizeLinear(new float[] {1, 2}, new int[] {2}, scales, null, 0, 0, IntFormat.INT8));
        assertEquals("scale[1] must be finite and > 0, got " + bad, q.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> Onnx.dequantizeLinear(new int[] {1, 2}, new int[] {2}, scales, null, 0, 0, IntFormat.INT8));
        assertEquals("scale[1] must be finite and > 0, got " + bad, d.getMessage());
    }

    @Test
    void dequantizeLinearInt32HasNoZeroPoint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Onnx.dequantizeLinear(new int[] {7}, new int[] {1}, new float[] {0.5f}, new int[] {3}, 0, 0, IntFormat.INT32));
        assertEquals("zeroPoint[0] must be 0 for int32 x (ONNX DequantizeLinear), got 3", e.getMessage());
        // a zero point of 0, or none, is the spec's int32 case
        assertArrayEquals(new float[] {3.5f}, Onnx.dequantizeLinear(new int[] {7}, new int[] {1}, new float[] {0.5f}, new int[] {0}, 0, 0,
                IntFormat.INT32));
        assertArrayEquals(new float[] {3.5f}, Onnx.dequantizeLinear(new int[] {7}, new int[] {1}, new float[] {0.5f}, null, 0, 0,
                IntFormat.INT32));
    }

    @Test
    void qLinearMatMulRejectsBadScales() {
        int[] one = {1};
        int[] zero = {0};
        float[] unit = {1};
        for (float bad : new float[] {0, -1, Float.NaN, Float.POSITIVE_INFINITY}) {
            float[] badScale = {bad};
            assertRejected(IllegalArgumentException.class, () -> Onnx.qLinearMatMul(one, 1, badScale, zero, IntFormat.UINT8, one, 1, unit,
                    zero, IntFormat.UINT8, 1, 0, IntFormat.UINT8), "aScale[0]");
            assertRejected(IllegalArgumentException.class, () -> Onnx.qLinearMatMul(one, 1, unit, zero, IntFormat.UINT8, one, 1, unit,
                    zero, IntFormat.UINT8, bad, 0, IntFormat.UINT8), "yScale");
        }
        float[] big = {1e30f};
        assertRejected(IllegalArgumentException.class, () -> Onnx.qLinearMatMul(one, 1, big, zero, IntFormat.UINT8, one, 1, big, zero,
                IntFormat.UINT8, 1e-30f, 0, IntFormat.UINT8), "overflows float32");
        assertRejected(IllegalArgumentException.class, () -> Onnx.qLinearMatMul(new int[] {-1}, 1, unit, zero, IntFormat.UINT8, one, 1,
                unit, zero, IntFormat.UINT8, 1, 0, IntFormat.UINT8), "a[0]");
    }

    @Test
    void shapesNeverOverflow() {
        // the volume 2^32 would wrap to 0 in int arithmetic
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Onnx.quantizeLinear(new float[0], new int[] {1 << 16, 1 << 16}, new float[] {1}, null, 0, 0, IntFormat.INT8));
        assertTrue(e.getMessage().contains("volume"), e.getMessage());
        // an empty tensor with huge other dimensions: blocked along the empty axis needs 0 scales
        assertArrayEquals(new int[0], Onnx.quantizeLinear(new float[0], new int[] {1 << 20, 1 << 20, 0}, new float[0], null, 2, 1,
                IntFormat.INT8));
    }

    /**
     * QLinearMatMul cases sought at the two float roundings of the requant path, where a random sample
     * almost never lands: scale triples whose float32 multiplier depends on forming (aScale * bScale) /
     * yScale in that order, and accumulators whose product with the multiplier lies within a binary32
     * ulp of a half-integer (so a float32 product, instead of the binary64 one, would round differently).
     * The operands a = [q, r], b = [127, 1] (zero points 0) give acc = 127 q + r, any value in +-16192; the output
     * is int32 so that large products, where a binary32 ulp exceeds 1/2^10, are not saturated away.
     */
    @Test
    void qLinearMatMulRequantNearRoundingBoundaries() {
        Random r = new Random(7950);
        int checked = 0;
        for (int c = 0; c < 4000; c++) {
            float aScale = (float) StrictMath.pow(2, -8 * r.nextDouble());
            float bScale = (float) StrictMath.pow(2, -8 * r.nextDouble());
            float yScale = (float) StrictMath.pow(2, -4 * r.nextDouble() - 2);
            boolean orderMatters = c % 2 == 0;
            float m1 = aScale * bScale / yScale;
            float m2 = aScale * (bScale / yScale);
            if (orderMatters && m1 == m2) {
                continue;
            }
            int found = Integer.MIN_VALUE;
            int start = r.nextInt(32385); // scan all of -16192..16192 from a random start
            for (int t = 0; t < 32385 && found == Integer.MIN_VALUE; t++) {
                int acc = (start + t) % 32385 - 16192;
                double v1 = acc * (double) m1;
                boolean hit = orderMatters ? Math.rint(v1) != Math.rint(acc * (double) m2)
                        : v1 != (float) v1 && Math.abs(v1 - Math.floor(v1) - 0.5) < Math.ulp((float) v1);
                if (hit) {
                    found = acc;
                }
            }
            if (found == Integer.MIN_VALUE) {
                continue;
            }
            int q = Math.floorDiv(found + 63, 127);
            int rem = found - 127 * q;
            int[] a = {q, rem};
            int[] b = {127, 1};
            float[] as = {aScale};
            float[] bs = {bScale};
            int[] zero = {0};
            int[] expected = slowQLinearMatMul(a, 1, as, zero, b, 1, bs, zero, yScale, 0, IntFormat.INT32);
            int acc = found;
            assertArrayEquals(expected, Onnx.qLinearMatMul(a, 1, as, zero, IntFormat.INT8, b, 1, bs, zero, IntFormat.INT8, yScale, 0,
                    IntFormat.INT32), () -> "acc " + acc + " scales " + aScale + " " + bScale + " " + yScale);
            checked++;
        }
        assertTrue(checked > 1000, "boundary cases found: " + checked);
    }
}
