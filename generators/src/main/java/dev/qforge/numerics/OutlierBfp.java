package dev.qforge.numerics;

import java.util.Arrays;
import java.util.Objects;

/**
 * Block floating point with outliers: each block of G values keeps its k largest-magnitude values
 * ("outliers") as 8-bit mantissas with their index in the block and a shared exponent of their own,
 * and the other G - k ("inliers") as n-bit BFP mantissas under a shared exponent taken from the
 * inliers alone, so one large value no longer costs the whole block its precision (the block
 * formats of "Accurate Block Quantization in LLMs with Outliers", Trukhanov and Soloveychik, 2024,
 * and of outlier-aware accelerators such as OliVe and MicroScopiQ, reduced to one rule).
 *
 * <p>A stored block: the inliers' E8M0 scale byte Y, an n-bit two's complement mantissa per position
 * (the {@link Bfp} element: value m * 2^(Y - 127 - (n - 2))), the outliers' E8M0 scale byte Xo and k
 * slots, each an index in 0..G-1 and an 8-bit two's complement mantissa o (value
 * o * 2^(Xo - 127 - 6)). Element i is the outlier of the lowest slot whose index is i, if any, else
 * its inlier mantissa (a position held by an outlier stores inlier mantissa 0). A scale byte 0xFF is
 * NaN for the elements it scales.
 *
 * <p>Quantizing: the outliers are the k values of largest magnitude, ties to the lower index, their
 * slots in increasing index order; each of the two subsets gets its shared exponent and mantissas
 * exactly as {@link Bfp#quantize} gives a block of them (OCP MX's scale rule with emax 0,
 * round-to-nearest-even, symmetric saturation). A block holding a NaN or an infinity has both scale
 * bytes 0xFF, every mantissa 0 and its outlier slots at indices 0..k-1.
 */
public final class OutlierBfp {
    /** Bits of an outlier's mantissa. */
    public static final int OUTLIER_BITS = 8;

    private OutlierBfp() {
    }

    /** The outliers of one block: their E8M0 scale byte, and per slot an index in the block and an 8-bit mantissa. */
    public record Outliers(int scale, int[] indices, int[] mantissas) {
        public Outliers {
            if (indices.length != mantissas.length || indices.length == 0) {
                throw new IllegalArgumentException("indices and mantissas must have the same nonzero length, got "
                        + indices.length + " and " + mantissas.length);
            }
            indices = indices.clone();
            mantissas = mantissas.clone();
        }

        /** The slot holding element {@code index}: the lowest whose index matches, or -1. */
        public int slotOf(int index) {
            for (int s = 0; s < indices.length; s++) {
                if (indices[s] == index) {
                    return s;
                }
            }
            return -1;
        }
    }

    /** A quantized tensor: per block its inlier scale byte and {@link Outliers}, per element its inlier mantissa. */
    public record Blocks(int mantissaBits, int blockSize, int[] scales, int[] mantissas, Outliers[] outliers) { }

    /**
     * Converts v (its length a multiple of blockSize) into blocks of blockSize with k outliers each.
     *
     * @param mantissaBits n, the inliers' mantissa width, 2..24
     */
    public static Blocks quantize(double[] v, int mantissaBits, int blockSize, int k) {
        Bfp.requireMantissaBits(mantissaBits);
        if (blockSize < 2 || v.length % blockSize != 0) {
            throw new IllegalArgumentException("blockSize must be >= 2 and divide v.length " + v.length + ", got " + blockSize);
        }
        if (k < 1 || k >= blockSize) {
            throw new IllegalArgumentException("k must be in 1.." + (blockSize - 1) + " (fewer than the block), got " + k);
        }
        int blocks = v.length / blockSize;
        int[] scales = new int[blocks];
        int[] mantissas = new int[v.length];
        Outliers[] outliers = new Outliers[blocks];
        for (int b = 0; b < blocks; b++) {
            int from = b * blockSize;
            double[] block = Arrays.copyOfRange(v, from, from + blockSize);
            if (Arrays.stream(block).anyMatch(x -> !Double.isFinite(x))) {
                scales[b] = Mx.SCALE_NAN;
                int[] idx = new int[k];
                Arrays.setAll(idx, s -> s);
                outliers[b] = new Outliers(Mx.SCALE_NAN, idx, new int[k]);
                continue;
            }
            Integer[] order = new Integer[blockSize];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, (p, q) -> Double.compare(Math.abs(block[q]), Math.abs(block[p]))); // stable: ties keep index order
            int[] idx = new int[k];
            for (int s = 0; s < k; s++) {
                idx[s] = order[s];
            }
            Arrays.sort(idx);
            boolean[] isOutlier = new boolean[blockSize];
            double[] out = new double[k];
            for (int s = 0; s < k; s++) {
                isOutlier[idx[s]] = true;
                out[s] = block[idx[s]];
            }
            double[] in = new double[blockSize - k];
            for (int i = 0, j = 0; i < blockSize; i++) {
                if (!isOutlier[i]) {
                    in[j++] = block[i];
                }
            }
            Bfp.Blocks o = Bfp.quantize(out, OUTLIER_BITS, k);
            Bfp.Blocks n = Bfp.quantize(in, mantissaBits, in.length);
            scales[b] = n.scales()[0];
            for (int i = 0, j = 0; i < blockSize; i++) {
                mantissas[from + i] = isOutlier[i] ? 0 : n.mantissas()[j++];
            }
            outliers[b] = new Outliers(o.scales()[0], idx, o.mantissas());
        }
        return new Blocks(mantissaBits, blockSize, scales, mantissas, outliers);
    }

    /**
     * The exact value of element {@code index} of a block: the outlier of the lowest matching slot,
     * o * 2^(Xo - 133), else the inlier m * 2^(Y - 127 - (n - 2)); NaN where the scale used is 0xFF.
     *
     * @param mantissa the inlier mantissa (two's complement, already sign-extended)
     * @param scale    the inliers' scale byte Y
     * @param outliers the block's outliers
     */
    public static double element(int mantissaBits, int index, int mantissa, int scale, Outliers outliers) {
        int s = Objects.requireNonNull(outliers, "outliers must not be null").slotOf(index);
        if (s >= 0) {
            return Math.scalb((double) outliers.mantissas()[s], 2 - OUTLIER_BITS) * Mx.scaleValue(outliers.scale()); // exact
        }
        return Math.scalb((double) mantissa, 2 - mantissaBits) * Mx.scaleValue(scale); // exact
    }

    /** The exact value of every element. */
    public static double[] decode(Blocks b) {
        double[] out = new double[b.mantissas().length];
        for (int i = 0; i < out.length; i++) {
            int blk = i / b.blockSize();
            out[i] = element(b.mantissaBits(), i % b.blockSize(), b.mantissas()[i], b.scales()[blk], b.outliers()[blk]);
        }
        return out;
    }
}
