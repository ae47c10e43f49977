package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;
import java.util.Arrays;

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
     * @param out       the output type (uint8, int8, uint4, int4, uint16, int16, ...)
     */
    public static int[] quantizeLinear(float[] x, int[] shape, float[] scale, int[] zeroPoint, int axis, int blockSize,
                                       IntFormat out) {
        int[] param = parameterIndex(x.length, shape, scale.length, zeroPoint, axis, blockSize, out);
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
     * {@link #quantizeLinear}); x and zeroPoint must be values of {@code in}.
     */
    public static float[] dequantizeLinear(int[] x, int[] shape, float[] scale, int[] zeroPoint, int axis, int blockSize,
                                           IntFormat in) {
        int[] param = parameterIndex(x.length, shape, scale.length, zeroPoint, axis, blockSize, in);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            in.requireInRange(x[i], "x[" + i + "]");
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
        long volume = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape dimensions must be >= 0, got " + Arrays.toString(shape));
            }
            volume *= d;
        }
        if (volume != length) {
            throw new IllegalArgumentException("x.length must equal the shape's volume " + volume + ", got " + length);
        }
        if (zeroPoint != null) {
            if (zeroPoint.length != paramCount) {
                throw new IllegalArgumentException("zeroPoint.length must equal scale.length " + paramCount + ", got "
                        + zeroPoint.length);
            }
            for (int i = 0; i < zeroPoint.length; i++) {
                format.requireInRange(zeroPoint[i], "zeroPoint[" + i + "]");
            }
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
        int inner = 1;
        for (int d = a + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int outer = dim == 0 || inner == 0 ? 0 : length / (dim * inner);
        int blocks = blockSize == 0 ? dim : (dim + blockSize - 1) / blockSize;
        int expected = blockSize == 0 ? dim : outer * blocks * inner;
        if (paramCount != expected) {
            throw new IllegalArgumentException("scale.length must be " + expected + " for axis " + axis + " and blockSize "
                    + blockSize + ", got " + paramCount);
        }
        for (int i = 0; i < length; i++) {
            int in = i % inner;
            int along = (i / inner) % dim;
            int out = i / (inner * dim);
            index[i] = blockSize == 0 ? along : (out * blocks + along / blockSize) * inner + in;
        }
        return index;
    }

    /**
     * MatMulInteger: (a - aZeroPoint) x (b - bZeroPoint) accumulated exactly and returned as int32
     * (throws ArithmeticException if a result does not fit).
     *
     * @param a          m x k, row-major
     * @param aZeroPoint 1 value (per tensor) or m values (per row)
     * @param b          k x n, row-major
     * @param bZeroPoint 1 value (per tensor) or n values (per column)
     */
    public static int[] matMulInteger(int[] a, int m, int[] aZeroPoint, int[] b, int n, int[] bZeroPoint) {
        if (m <= 0 || a.length % m != 0) {
            throw new IllegalArgumentException("m must be > 0 and divide a.length " + a.length + ", got " + m);
        }
        int k = a.length / m;
        if (n <= 0 || b.length != k * n) {
            throw new IllegalArgumentException("b.length must be k * n = " + k + " * " + n + ", got " + b.length);
        }
        requireParamCount(aZeroPoint.length, m, "aZeroPoint");
        requireParamCount(bZeroPoint.length, n, "bZeroPoint");
        int[] y = new int[m * n];
        for (int i = 0; i < m; i++) {
            int za = aZeroPoint[aZeroPoint.length == 1 ? 0 : i];
            for (int j = 0; j < n; j++) {
                int zb = bZeroPoint[bZeroPoint.length == 1 ? 0 : j];
                long acc = 0;
                for (int t = 0; t < k; t++) {
                    acc += (long) (a[i * k + t] - za) * (b[t * n + j] - zb);
                }
                y[i * n + j] = Math.toIntExact(acc);
            }
        }
        return y;
    }

    private static void requireParamCount(int count, int perAxis, String name) {
        if (count != 1 && count != perAxis) {
            throw new IllegalArgumentException(name + ".length must be 1 or " + perAxis + ", got " + count);
        }
    }

    /**
     * QLinearMatMul: y = saturate(round_half_even(acc * (aScale * bScale / yScale)) + yZeroPoint) with
     * acc the {@link #matMulInteger} result. The multiplier is formed in float32 from the float32
     * scales (as the ONNX reference and onnxruntime do) and acc * multiplier in float64 (the ONNX
     * reference's numpy promotion; onnxruntime's MLAS uses float32 there, which can differ when
     * |acc| > 2^24 or next to a tie). Rounding before adding the zero point follows the spec text.
     *
     * @param aScale 1 value or m (per row); bScale 1 value or n (per column)
     */
    public static int[] qLinearMatMul(int[] a, int m, float[] aScale, int[] aZeroPoint, int[] b, int n, float[] bScale,
                                      int[] bZeroPoint, float yScale, int yZeroPoint, IntFormat out) {
        int[] acc = matMulInteger(a, m, aZeroPoint, b, n, bZeroPoint);
        requireParamCount(aScale.length, m, "aScale");
        requireParamCount(bScale.length, n, "bScale");
        out.requireInRange(yZeroPoint, "yZeroPoint");
        int[] y = new int[acc.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float multiplier = aScale[aScale.length == 1 ? 0 : i] * bScale[bScale.length == 1 ? 0 : j] / yScale;
                double scaled = acc[i * n + j] * (double) multiplier;
                if (Double.isNaN(scaled)) {
                    throw new IllegalArgumentException("acc * multiplier is NaN at (" + i + ", " + j + ")");
                }
                y[i * n + j] = (int) out.quantize(scaled, Rounding.HALF_EVEN, yZeroPoint);
            }
        }
        return y;
    }
}
