package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;

import java.util.Objects;

/**
 * Grouped (block-wise) integer weight quantization as used for 4-bit LLM weights (GPTQ, AWQ):
 * a rows x cols weight matrix, each row split along cols into groups of groupSize (typically 32,
 * 64 or 128) consecutive weights, each group with its own real scale and integer zero point:
 * w ~ scale * (q - zeroPoint). For int4/uint4 storage pack q with {@link Int4Packing}.
 *
 * <p>Scales are kept as doubles; formats that store them in float16 should round them before
 * calling {@link #quantize(double[], int, int, int, double[], int[], IntFormat, Rounding)}.
 */
public final class GroupedQuant {
    private GroupedQuant() {
    }

    /**
     * A grouped quantized matrix: q is rows x cols row-major; scales and zeroPoints are
     * rows x (cols / groupSize) row-major.
     */
    public record Tensor(int rows, int cols, int groupSize, IntFormat format, int[] q, double[] scales, int[] zeroPoints) {
        public Tensor {
            int groups = groupCount(rows, cols, groupSize);
            if (q.length != rows * cols || scales.length != groups || zeroPoints.length != groups) {
                throw new IllegalArgumentException("q must have rows*cols = " + rows * cols + " values and scales, zeroPoints "
                        + groups + ", got " + q.length + ", " + scales.length + ", " + zeroPoints.length);
            }
        }
    }

    /** The arguments both quantize overloads take, named when null rather than failing somewhere inside. */
    private static void requireNonNull(double[] w, IntFormat format, Rounding rounding) {
        Objects.requireNonNull(w, "w must not be null");
        Objects.requireNonNull(format, "format must not be null");
        Objects.requireNonNull(rounding, "rounding must not be null");
    }

    /** rows * (cols / groupSize), after checking the dimensions (rows * cols must fit an array). */
    private static int groupCount(int rows, int cols, int groupSize) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("rows and cols must be > 0, got " + rows + " x " + cols);
        }
        if (groupSize <= 0 || cols % groupSize != 0) {
            throw new IllegalArgumentException("groupSize must be > 0 and divide cols " + cols + ", got " + groupSize);
        }
        Sizes.product(rows, cols, "rows * cols");
        return rows * (cols / groupSize);
    }

    /**
     * Quantizes with parameters chosen per group by the asymmetric min/max rule of GPTQ's
     * Quantizer.find_params (sym=False): lo = min(min(w), 0), hi = max(max(w), 0) (both 1 / -1 if the
     * group is all zero), scale = (hi - lo) / (qmax - qmin), zeroPoint = qmin + round(-lo / scale); then
     * {@link #quantize(double[], int, int, int, double[], int[], IntFormat, Rounding)}. GPTQ rounds with
     * torch.round, i.e. {@link Rounding#HALF_EVEN}.
     */
    public static Tensor quantize(double[] w, int rows, int cols, int groupSize, IntFormat format, Rounding rounding) {
        requireNonNull(w, format, rounding);
        int groups = groupCount(rows, cols, groupSize);
        if (w.length != rows * cols) {
            throw new IllegalArgumentException("w.length must be rows*cols = " + rows * cols + ", got " + w.length);
        }
        double[] scales = new double[groups];
        int[] zeroPoints = new int[groups];
        for (int g = 0; g < groups; g++) {
            double lo = 0;
            double hi = 0;
            for (int i = g * groupSize; i < (g + 1) * groupSize; i++) {
                if (!Double.isFinite(w[i])) {
                    throw new IllegalArgumentException("w[" + i + "] must be finite, got " + w[i]);
                }
                lo = Math.min(lo, w[i]);
                hi = Math.max(hi, w[i]);
            }
            if (lo == 0 && hi == 0) {
                lo = -1;
                hi = 1;
            }
            scales[g] = (hi - lo) / (format.max() - format.min());
            zeroPoints[g] = (int) format.quantize(-lo / scales[g], rounding, format.min());
        }
        return quantize(w, rows, cols, groupSize, scales, zeroPoints, format, rounding);
    }

    /**
     * Quantizes with given per-group parameters: q = saturate(round(w / scale) + zeroPoint)
     * ({@link IntFormat#quantize}).
     */
    public static Tensor quantize(double[] w, int rows, int cols, int groupSize, double[] scales, int[] zeroPoints,
                                  IntFormat format, Rounding rounding) {
        requireNonNull(w, format, rounding);
        Objects.requireNonNull(scales, "scales must not be null");
        Objects.requireNonNull(zeroPoints, "zeroPoints must not be null");
        int groups = groupCount(rows, cols, groupSize);
        if (w.length != rows * cols || scales.length != groups || zeroPoints.length != groups) {
            throw new IllegalArgumentException("w, scales and zeroPoints must have rows*cols = " + rows * cols + " and "
                    + groups + " values, got " + w.length + ", " + scales.length + ", " + zeroPoints.length);
        }
        for (int g = 0; g < scales.length; g++) {
            if (!(scales[g] > 0) || Double.isInfinite(scales[g])) {
                throw new IllegalArgumentException("scales[" + g + "] must be finite and > 0, got " + scales[g]);
            }
        }
        format.requireAllInRange(zeroPoints, "zeroPoints");
        int[] q = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            int g = i / groupSize;
            q[i] = (int) format.quantize(w[i] / scales[g], rounding, zeroPoints[g]);
        }
        return new Tensor(rows, cols, groupSize, format, q, scales.clone(), zeroPoints.clone());
    }

    /** w' = scale * (q - zeroPoint) per element (one double rounding of the product). */
    public static double[] dequantize(Tensor t) {
        double[] w = new double[t.q().length];
        for (int i = 0; i < w.length; i++) {
            int g = i / t.groupSize();
            w[i] = t.scales()[g] * (t.q()[i] - (long) t.zeroPoints()[g]);
        }
        return w;
    }
}
