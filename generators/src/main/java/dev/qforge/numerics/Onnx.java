package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;
import java.util.Arrays;
import java.util.Objects;

/**
 * ONNX quantization operators (onnx.ai Operators: QuantizeLinear-21, DequantizeLinear-21,
 * MatMulInteger-10, QLinearMatMul-21) over flat row-major tensors. Floats are binary32 as in
 * ONNX models: divisions and products of float tensors are done in float, like the ONNX reference
 * implementation (onnx/reference/ops).
 *
 * <p>Quantization parameters (scale, zero point) come in three granularities, chosen as in the
 * operator spec: per tensor (one value, blockSize 0), per axis (shape[axis] values, blockSize 0),
 * or blocked (blockSize > 0: a tensor of x's shape with shape[axis] replaced by
 * ceil(shape[axis] / blockSize), flattened row-major).
 */
public final class Onnx {
    private Onnx() {
    }

    /**
     * QuantizeLinear: y = saturate(round_half_even(x / scale) + zeroPoint), x / scale in float32.
     * The spec rounds x / scale before adding the zero point, which is what this does.
     *
     * @param zeroPoint same length as scale, or null for 0
     * @param axis      the quantization axis, negative counts from the end (ignored per tensor)
     * @param blockSize 0, or the block length along axis
     * @param scale     every value finite and > 0
     * @param out       the output type (uint8, int8, uint4, int4, uint16, int16, ...)
     */
    public static int[] quantizeLinear(float[] x, int[] shape, float[] scale, int[] zeroPoint, int axis, int blockSize,
                                       IntFormat out) {
        int[] param = parameterIndex(x.length, shape, scale.length, zeroPoint, axis, blockSize, out);
        requireScales(scale, "scale");
        int[] y = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            float scaled = x[i] / scale[param[i]];
            if (Float.isNaN(scaled)) {
                throw new IllegalArgumentException("x[" + i + "] / scale is NaN (x=" + x[i] + ")");
            }
            y[i] = (int) out.quantize(scaled, Rounding.HALF_EVEN, zeroPoint == null ? 0 : zeroPoint[param[i]]);
        }
        return y;
    }

    /**
     * DequantizeLinear: y = (x - zeroPoint) * scale in float32 (same granularities as
     * {@link #quantizeLinear}); x and zeroPoint must be values of {@code in}, every scale finite
     * and > 0, and an int32 x has no zero point (null or 0).
     */
    public static float[] dequantizeLinear(int[] x, int[] shape, float[] scale, int[] zeroPoint, int axis, int blockSize,
                                           IntFormat in) {
        int[] param = parameterIndex(x.length, shape, scale.length, zeroPoint, axis, blockSize, in);
        requireScales(scale, "scale");
        if (in.bits() == 32 && zeroPoint != null) {
            // the spec: int32 input is dequantized without a zero point (it is 0)
            for (int i = 0; i < zeroPoint.length; i++) {
                if (zeroPoint[i] != 0) {
                    throw new IllegalArgumentException("zeroPoint[" + i + "] must be 0 for int32 x (ONNX DequantizeLinear), got "
                            + zeroPoint[i]);
                }
            }
        }
        in.requireAllInRange(x, "x");
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            long centered = x[i] - (long) (zeroPoint == null ? 0 : zeroPoint[param[i]]);
            y[i] = (float) centered * scale[param[i]];
        }
        return y;
    }

    /**
     * For each element of x, the index of its scale / zero point; validates shapes, scale values and
     * zero points.
     */
    private static int[] parameterIndex(int length, int[] shape, int paramCount, int[] zeroPoint, int axis, int blockSize,
                                        IntFormat format) {
        Objects.requireNonNull(shape, "shape must not be null");
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape dimensions must be >= 0, got " + Arrays.toString(shape));
            }
        }
        if (volume(shape, 0, shape.length) != length) {
            throw new IllegalArgumentException("x.length must equal the volume of shape " + Arrays.toString(shape) + ", got "
                    + length);
        }
        if (zeroPoint != null) {
            if (zeroPoint.length != paramCount) {
                throw new IllegalArgumentException("zeroPoint.length must equal scale.length " + paramCount + ", got "
                        + zeroPoint.length);
            }
            format.requireAllInRange(zeroPoint, "zeroPoint");
        }
        if (blockSize < 0) {
            throw new IllegalArgumentException("blockSize must be >= 0, got " + blockSize);
        }
        int[] index = new int[length];
        if (paramCount == 1 && blockSize == 0) {
            return index; // per tensor
        }
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException("axis must be in " + -shape.length + ".." + (shape.length - 1) + ", got " + axis);
        }
        int dim = shape[a];
        long outer = volume(shape, 0, a);
        long inner = volume(shape, a + 1, shape.length);
        long blocks = blockSize == 0 ? dim : Sizes.ceilDiv(dim, blockSize);
        // exact when length > 0 (every factor is then at most length); 0 when a factor is 0; < 2^63 either way
        long expected = blockSize == 0 ? dim : outer * blocks * inner;
        if (paramCount != expected) {
            throw new IllegalArgumentException("scale.length must be " + expected + " for axis " + axis + " and blockSize "
                    + blockSize + ", got " + paramCount);
        }
        for (int i = 0; i < length; i++) {
            // length > 0 here, so inner * dim <= length fits an int
            int in = i % (int) inner;
            int along = (i / (int) inner) % dim;
            int out = i / ((int) inner * dim);
            index[i] = blockSize == 0 ? along : (int) ((out * blocks + along / blockSize) * inner + in);
        }
        return index;
    }

    /**
     * The product of shape[from..to), saturated at 2^31 (more than any array holds) so it never
     * overflows; a zero dimension makes it 0.
     */
    private static long volume(int[] shape, int from, int to) {
        long v = 1;
        for (int d = from; d < to; d++) {
            v = Math.min(v * shape[d], 1L << 31); // v <= 2^31 and shape[d] < 2^31: no overflow
        }
        return v;
    }

    /**
     * MatMulInteger: (a - aZeroPoint) x (b - bZeroPoint) accumulated exactly and returned as int32.
     * ONNX defines it for int8 / uint8 operands; formats of up to 16 bits are accepted (then no
     * sum of k < 2^31 products overflows the long accumulator), and the values and zero points must
     * be in their operand's format.
     *
     * @param a          m x k, row-major, values of aFormat
     * @param aZeroPoint 1 value (per tensor) or m values (per row)
     * @param b          k x n, row-major, values of bFormat
     * @param bZeroPoint 1 value (per tensor) or n values (per column)
     * @throws ArithmeticException if a result does not fit int32
     */
    public static int[] matMulInteger(int[] a, int m, int[] aZeroPoint, IntFormat aFormat, int[] b, int n, int[] bZeroPoint,
                                      IntFormat bFormat) {
        if (m <= 0 || a.length % m != 0) {
            throw new IllegalArgumentException("m must be > 0 and divide a.length " + a.length + ", got " + m);
        }
        int k = a.length / m;
        if (n <= 0 || b.length != Sizes.product(k, n, "k * n")) {
            throw new IllegalArgumentException("b.length must be k * n = " + k + " * " + n + ", got " + b.length);
        }
        requireParamCount(aZeroPoint.length, m, "aZeroPoint");
        requireParamCount(bZeroPoint.length, n, "bZeroPoint");
        requireAtMost16Bits(aFormat, "aFormat");
        requireAtMost16Bits(bFormat, "bFormat");
        aFormat.requireAllInRange(a, "a");
        aFormat.requireAllInRange(aZeroPoint, "aZeroPoint");
        bFormat.requireAllInRange(b, "b");
        bFormat.requireAllInRange(bZeroPoint, "bZeroPoint");
        int[] y = new int[Sizes.product(m, n, "m * n")];
        for (int i = 0; i < m; i++) {
            long za = aZeroPoint[aZeroPoint.length == 1 ? 0 : i];
            for (int j = 0; j < n; j++) {
                long zb = bZeroPoint[bZeroPoint.length == 1 ? 0 : j];
                long acc = 0; // |each product| < 2^32 and k < 2^31: exact
                for (int t = 0; t < k; t++) {
                    acc += (a[i * k + t] - za) * (b[t * n + j] - zb);
                }
                if (acc != (int) acc) {
                    throw new ArithmeticException("MatMulInteger result (" + i + ", " + j + ") = " + acc + " does not fit int32");
                }
                y[i * n + j] = (int) acc;
            }
        }
        return y;
    }

    private static void requireParamCount(int count, int perAxis, String name) {
        if (count != 1 && count != perAxis) {
            throw new IllegalArgumentException(name + ".length must be 1 or " + perAxis + ", got " + count);
        }
    }

    private static void requireAtMost16Bits(IntFormat format, String name) {
        if (format.bits() > 16) {
            throw new IllegalArgumentException(name + " must have at most 16 bits (ONNX: int8 or uint8), got " + format);
        }
    }

    private static boolean isScale(float s) {
        return s > 0 && s != Float.POSITIVE_INFINITY;
    }

    private static void requireScales(float[] scale, String name) {
        for (int i = 0; i < scale.length; i++) {
            if (!isScale(scale[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be finite and > 0, got " + scale[i]);
            }
        }
    }

    /**
     * QLinearMatMul: y = saturate(round_half_even(acc * (aScale * bScale / yScale)) + yZeroPoint) with
     * acc the {@link #matMulInteger} result. The multiplier is formed in float32 from the float32
     * scales (as the ONNX reference and onnxruntime do) and acc * multiplier in float64 (the ONNX
     * reference's numpy promotion; onnxruntime's MLAS uses float32 there, which can differ when
     * |acc| > 2^24 or next to a tie). Rounding before adding the zero point follows the spec text.
     * ONNX defines it for int8 / uint8 a, b and y.
     *
     * @param aScale 1 value or m (per row); bScale 1 value or n (per column); all scales finite and > 0
     */
    public static int[] qLinearMatMul(int[] a, int m, float[] aScale, int[] aZeroPoint, IntFormat aFormat, int[] b, int n,
                                      float[] bScale, int[] bZeroPoint, IntFormat bFormat, float yScale, int yZeroPoint,
                                      IntFormat out) {
        int[] acc = matMulInteger(a, m, aZeroPoint, aFormat, b, n, bZeroPoint, bFormat);
        requireParamCount(aScale.length, m, "aScale");
        requireParamCount(bScale.length, n, "bScale");
        requireScales(aScale, "aScale");
        requireScales(bScale, "bScale");
        if (!isScale(yScale)) {
            throw new IllegalArgumentException("yScale must be finite and > 0, got " + yScale);
        }
        out.requireInRange(yZeroPoint, "yZeroPoint");
        int[] y = new int[acc.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float multiplier = aScale[aScale.length == 1 ? 0 : i] * bScale[bScale.length == 1 ? 0 : j] / yScale;
                if (multiplier == Float.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("aScale * bScale / yScale overflows float32 at (" + i + ", " + j + ")");
                }
                y[i * n + j] = (int) out.quantize(acc[i * n + j] * (double) multiplier, Rounding.HALF_EVEN, yZeroPoint);
            }
        }
        return y;
    }
}
