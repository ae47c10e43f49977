package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;
import java.math.BigInteger;

/**
 * Block floating point: blocks of n-bit two's complement mantissas sharing one 8-bit exponent.
 * A mantissa m of a block with shared exponent X has the value m * 2^(X - (n - 2)): n - 2 fraction
 * bits, so magnitudes stay below 2.
 *
 * <p>BFP here is defined as the integer MX family: the shared exponent is chosen, clamped and
 * stored exactly as OCP MX's E8M0 scale with emax_elem = 0 ({@link Mx#sharedScale}), mantissas
 * are rounded to nearest even and saturate symmetrically to +-(2^(n-1) - 1). So OCP MXINT8 is
 * BFP with n = 8 and block 32, and {@link MxElementType#INT8} encodes through
 * {@link #roundMantissa}.
 */
public final class Bfp {
    private Bfp() {
    }

    /**
     * A quantized BFP tensor: one E8M0 scale byte per block and one signed mantissa per element.
     *
     * @param mantissaBits n, 2..24
     */
    public record Blocks(int mantissaBits, int blockSize, int[] scales, int[] mantissas) {
        public Blocks {
            requireMantissaBits(mantissaBits);
            if (scales.length != Mx.blockCount(mantissas.length, blockSize)) {
                throw new IllegalArgumentException("scales.length must be ceil(" + mantissas.length + " / " + blockSize
                        + "), got " + scales.length);
            }
        }
    }

    static void requireMantissaBits(int bits) {
        if (bits < 2 || bits > 24) {
            throw new IllegalArgumentException("mantissaBits must be in 2..24, got " + bits);
        }
    }

    /**
     * The n-bit mantissa of v in a block with shared exponent X: v * 2^(n - 2 - X) rounded to
     * nearest even (exactly) and saturated to +-(2^(n-1) - 1); infinities saturate. v not NaN.
     */
    static int roundMantissa(double v, int scaleExponent, int bits) {
        int max = (1 << (bits - 1)) - 1;
        if (Math.abs(v) >= Math.scalb(1.0, 1 + scaleExponent)) {
            return v > 0 ? max : -max; // at or beyond the top of the block's range
        }
        long m = Rounded.toLong(Rounded.significand(v), Rounded.exponent(v) + bits - 2 - scaleExponent, Rounding.HALF_EVEN);
        return (int) Math.max(-max, Math.min(max, m));
    }

    /** Converts v into BFP blocks of n-bit mantissas (see the class comment). */
    public static Blocks quantize(double[] v, int mantissaBits, int blockSize) {
        requireMantissaBits(mantissaBits);
        int[][] sm = Mx.quantizeBlocks(v, blockSize, 0, (x, scaleExponent) -> roundMantissa(x, scaleExponent, mantissaBits));
        return new Blocks(mantissaBits, blockSize, sm[0], sm[1]);
    }

    /** The exact value of every element, NaN in a NaN-scaled block. */
    public static double[] decode(Blocks blocks) {
        double[] out = new double[blocks.mantissas().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.scalb((double) blocks.mantissas()[i], 2 - blocks.mantissaBits())
                    * Mx.scaleValue(blocks.scales()[i / blocks.blockSize()]); // exact
        }
        return out;
    }

    /**
     * Dot product of two BFP tensors of equal length and block size: per block the exact integer
     * sum of mantissa products ({@link #accumulatorBits} wide) times both scales, rounded once into
     * {@code precision}; blocks added in order in that precision (as {@link Mx#dot}).
     */
    public static double dot(Blocks a, Blocks b, DotPrecision precision) {
        if (a.mantissas().length != b.mantissas().length || a.blockSize() != b.blockSize()) {
            throw new IllegalArgumentException("a and b must have the same length and block size, got " + a.mantissas().length
                    + "/" + a.blockSize() + " and " + b.mantissas().length + "/" + b.blockSize());
        }
        double[] blockResults = new double[a.scales().length];
        for (int j = 0; j < blockResults.length; j++) {
            int scaleA = a.scales()[j];
            int scaleB = b.scales()[j];
            if (scaleA == Mx.SCALE_NAN || scaleB == Mx.SCALE_NAN) {
                blockResults[j] = Double.NaN;
                continue;
            }
            long sum = 0;
            int from = j * a.blockSize();
            int to = Mx.blockEnd(from, a.blockSize(), a.mantissas().length);
            for (int i = from; i < to; i++) {
                sum = Math.addExact(sum, (long) a.mantissas()[i] * b.mantissas()[i]);
            }
            int e = scaleA - Mx.SCALE_BIAS - (a.mantissaBits() - 2) + scaleB - Mx.SCALE_BIAS - (b.mantissaBits() - 2);
            blockResults[j] = precision.round(sum, e);
        }
        return precision.sumInOrder(blockResults);
    }

    /**
     * The width of a signed accumulator holding the exact sum of blockSize products of an aBits
     * and a bBits mantissa (decoding admits -2^(n-1)): bitLength(2^(aBits-1) * 2^(bBits-1) * blockSize) + 1,
     * e.g. 21 bits for n = 8, block 32 (= MXINT8).
     */
    public static int accumulatorBits(int aBits, int bBits, int blockSize) {
        requireMantissaBits(aBits);
        requireMantissaBits(bBits);
        Mx.blockCount(0, blockSize);
        return BigInteger.valueOf(blockSize).shiftLeft(aBits - 1 + bBits - 1).bitLength() + 1;
    }
}
