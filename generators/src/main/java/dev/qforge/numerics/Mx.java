package dev.qforge.numerics;

import java.math.BigInteger;
import java.util.Objects;

/**
 * OCP Microscaling Formats (MX) v1.0: blocks of k elements of one {@link MxElementType} sharing
 * an E8M0 scale (section 5.2: 8-bit biased exponent, bias 127, 0xFF = NaN, no zero, value
 * 2^(byte - 127)). Conversion, decoding, and an exact dot product (section 6: conversion from
 * scalar floats, Dot and DotGeneral).
 *
 * <p>Conversion of a block V: X = floor(log2(max |V_i|)) - emax_elem, clamped below to -127
 * (microxcaling clamps underflow; the elements then flush toward zero) and NaN above 127; every
 * element is V_i / 2^X rounded to nearest even and saturated to the element's max normal, exactly
 * (see {@link MxElementType#encode}). A block holding a NaN or an infinity gets the NaN scale (its
 * element codes are 0 and meaningless). An all-zero block uses max = 2^-126 (microxcaling's
 * FP32_MIN_NORMAL stand-in for log2(0)), i.e. scale byte max(1 - emax_elem, 0).
 */
public final class Mx {
    /** The block size k of every concrete MX format. */
    public static final int BLOCK_SIZE = 32;
    /** E8M0 bias. */
    public static final int SCALE_BIAS = 127;
    /** The E8M0 NaN code. */
    public static final int SCALE_NAN = 0xFF;
    /** Largest block size accepted (keeps every accumulator within its documented width). */
    public static final int MAX_BLOCK_SIZE = 1 << 16;

    private Mx() {
    }

    /**
     * A quantized MX tensor: scales[j] (E8M0 bytes, 0..255) for block j and one code per element
     * (0..2^bits - 1); the last block may be shorter than blockSize.
     */
    public record Blocks(MxElementType type, int blockSize, int[] scales, int[] codes) {
        public Blocks {
            Objects.requireNonNull(type, "type must not be null");
            if (scales.length != blockCount(codes.length, blockSize)) {
                throw new IllegalArgumentException("scales.length must be ceil(" + codes.length + " / " + blockSize + "), got "
                        + scales.length);
            }
        }
    }

    /** Encodes one element given its block's shared exponent X (the element is v / 2^X). */
    interface ElementEncoder {
        int encode(double v, int scaleExponent);
    }

    /** Number of blocks of a tensor of the given length (ceil(length / blockSize), without overflow near 2^31). */
    static int blockCount(int length, int blockSize) {
        if (blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("blockSize must be in 1.." + MAX_BLOCK_SIZE + ", got " + blockSize);
        }
        return Sizes.ceilDiv(length, blockSize);
    }

    /** The end (exclusive) of the block starting at from: from + blockSize, or length for a short last block; never overflows. */
    static int blockEnd(int from, int blockSize, int length) {
        return from + Math.min(blockSize, length - from);
    }

    /** The value of an E8M0 scale byte: 2^(byte - 127), NaN for 0xFF. */
    public static double scaleValue(int scaleByte) {
        if (scaleByte < 0 || scaleByte > 0xFF) {
            throw new IllegalArgumentException("scaleByte must be in 0..255, got " + scaleByte);
        }
        return scaleByte == SCALE_NAN ? Double.NaN : Math.scalb(1.0, scaleByte - SCALE_BIAS);
    }

    /**
     * The shared E8M0 scale byte of v[from, to) for elements whose largest normal has exponent emax
     * (OCP MX v1.0 section 6 conversion, with the clamping and zero conventions of the class comment).
     */
    public static int sharedScale(double[] v, int from, int to, int emax) {
        if (from < 0 || from >= to || to > v.length) {
            throw new IllegalArgumentException("block [" + from + ", " + to + ") must be a non-empty range of v's " + v.length + " elements");
        }
        double amax = 0;
        for (int i = from; i < to; i++) {
            double a = Math.abs(v[i]);
            if (!(a <= Double.MAX_VALUE)) {
                return SCALE_NAN;
            }
            amax = Math.max(amax, a);
        }
        int x = (amax == 0 ? -126 : Rounded.floorLog2(amax)) - emax;
        return x > SCALE_BIAS ? SCALE_NAN : Math.max(x, -SCALE_BIAS) + SCALE_BIAS;
    }

    /** Converts v block by block: {scales, codes}. Shared by MX and {@link Bfp}. */
    static int[][] quantizeBlocks(double[] v, int blockSize, int emax, ElementEncoder encoder) {
        int[] scales = new int[blockCount(v.length, blockSize)];
        int[] codes = new int[v.length];
        for (int j = 0; j < scales.length; j++) {
            int from = j * blockSize;
            int to = blockEnd(from, blockSize, v.length);
            scales[j] = sharedScale(v, from, to, emax);
            if (scales[j] != SCALE_NAN) {
                for (int i = from; i < to; i++) {
                    codes[i] = encoder.encode(v[i], scales[j] - SCALE_BIAS);
                }
            }
        }
        return new int[][] {scales, codes};
    }

    /** Converts v to MX blocks of the given type (OCP MX v1.0 section 6 conversion); use {@link #BLOCK_SIZE} for the standard formats. */
    public static Blocks quantize(double[] v, MxElementType type, int blockSize) {
        Objects.requireNonNull(type, "type must not be null"); // read before Blocks checks it
        int[][] sc = quantizeBlocks(v, blockSize, type.emax(), type::encodeScaled);
        return new Blocks(type, blockSize, sc[0], sc[1]);
    }

    /** The exact value of every element: code value * 2^X, NaN in a NaN-scaled block (OCP MX v1.0 section 5.1). */
    public static double[] decode(Blocks blocks) {
        double[] out = new double[blocks.codes().length];
        for (int i = 0; i < out.length; i++) {
            // exact: a product of two powers-of-two-scaled values that stays a normal double (>= 2^-143)
            out[i] = blocks.type().decode(blocks.codes()[i]) * scaleValue(blocks.scales()[i / blocks.blockSize()]);
        }
        return out;
    }

    /**
     * Dot product of two MX tensors of equal length and block size (element types may differ):
     * OCP MX v1.0 section 6 Dot(A, B) = X_A * X_B * sum(P_A[i] * P_B[i]) per block, summed over
     * blocks as DotGeneral. Each block sum is exact (an integer of
     * {@link #accumulatorBits} bits), then rounded once into {@code precision}; blocks are added in
     * order in that precision ({@link DotPrecision}). A NaN scale makes the result NaN; NaN or
     * infinite element codes give the IEEE result of their block (NaN or an infinity).
     */
    public static double dot(Blocks a, Blocks b, DotPrecision precision) {
        if (a.codes().length != b.codes().length || a.blockSize() != b.blockSize()) {
            throw new IllegalArgumentException("a and b must have the same length and block size, got " + a.codes().length
                    + "/" + a.blockSize() + " and " + b.codes().length + "/" + b.blockSize());
        }
        double[] blockResults = new double[a.scales().length];
        for (int j = 0; j < blockResults.length; j++) {
            int from = j * a.blockSize();
            blockResults[j] = blockDot(a, b, from, blockEnd(from, a.blockSize(), a.codes().length), precision);
        }
        return precision.sumInOrder(blockResults);
    }

    private static double blockDot(Blocks a, Blocks b, int from, int to, DotPrecision precision) {
        int scaleA = a.scales()[from / a.blockSize()];
        int scaleB = b.scales()[from / b.blockSize()];
        if (scaleA == SCALE_NAN || scaleB == SCALE_NAN) {
            return Double.NaN;
        }
        BlockSum sum = blockSum(a.type(), java.util.Arrays.copyOfRange(a.codes(), from, to), b.type(),
                java.util.Arrays.copyOfRange(b.codes(), from, to));
        if (sum.nan() || sum.plusInf() && sum.minusInf()) {
            return Double.NaN;
        }
        if (sum.plusInf() || sum.minusInf()) {
            return sum.plusInf() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }
        int e = a.type().minExponent() + b.type().minExponent() + scaleA - SCALE_BIAS + scaleB - SCALE_BIAS;
        BigInteger units = sum.units();
        if (units.bitLength() <= 62) {
            return precision.round(units.longValue(), e);
        }
        // Sum too wide for a long: keep its top 61 bits (floor) and a sticky bit, exact for a <= 53-bit rounding
        int k = units.bitLength() - 61;
        long s = units.shiftRight(k).longValue();
        return precision.round(units.getLowestSetBit() < k ? s | 1 : s, e + k);
    }

    /**
     * The exact sum of a block's element products before its two scales, and the IEEE special
     * cases among them (as if each product and the sum were computed without rounding).
     *
     * @param units    the sum of the finite products in units of 2^(minExponent_a + minExponent_b):
     *                 sum of significand_a * significand_b * 2^(quantumShift_a + quantumShift_b)
     *                 ({@link #accumulatorBits} bits for a block of up to that many elements)
     * @param nan      a NaN code, or an infinity times a zero, among the products
     * @param plusInf  a product is +Inf (an infinity times a nonzero finite value or an infinity)
     * @param minusInf a product is -Inf
     */
    public record BlockSum(BigInteger units, boolean nan, boolean plusInf, boolean minusInf) { }

    /** The {@link BlockSum} of codes a[i] of type ta times codes b[i] of type tb (equal lengths). */
    public static BlockSum blockSum(MxElementType ta, int[] a, MxElementType tb, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("a and b must have the same length, got " + a.length + " and " + b.length);
        }
        BigInteger units = BigInteger.ZERO;
        boolean nan = false;
        boolean plusInf = false;
        boolean minusInf = false;
        for (int i = 0; i < a.length; i++) {
            boolean infA = ta.isInfinite(a[i]);
            boolean infB = tb.isInfinite(b[i]);
            if (ta.isNaN(a[i]) || tb.isNaN(b[i]) || infA && !infB && tb.significand(b[i]) == 0
                    || infB && !infA && ta.significand(a[i]) == 0) {
                nan = true;
            } else if (infA || infB) {
                boolean negative = ta.decode(a[i]) < 0 != tb.decode(b[i]) < 0;
                plusInf |= !negative;
                minusInf |= negative;
            } else {
                long product = (long) ta.significand(a[i]) * tb.significand(b[i]);
                units = units.add(BigInteger.valueOf(product).shiftLeft(ta.quantumShift(a[i]) + tb.quantumShift(b[i])));
            }
        }
        return new BlockSum(units, nan, plusInf, minusInf);
    }

    /**
     * The width of a signed integer accumulator that holds the exact sum of blockSize products of
     * elements of types a and b in units of their smallest quanta. For a block of 32 and equal types:
     * INT8 21, FP8 E4M3 42, FP8 E5M2 70, FP6 E3M2 24, FP6 E2M3 18, FP4 E2M1 14 bits.
     */
    public static int accumulatorBits(MxElementType a, MxElementType b, int blockSize) {
        blockCount(0, blockSize);
        return BigInteger.valueOf(maxUnits(a)).multiply(BigInteger.valueOf(maxUnits(b)))
                .multiply(BigInteger.valueOf(blockSize)).bitLength() + 1;
    }

    /** Largest |value| / 2^minExponent over finite codes (INT8: 128, from the code 0x80). */
    private static long maxUnits(MxElementType t) {
        return t == MxElementType.INT8 ? 128 : (long) Math.scalb(t.maxNormal(), -t.minExponent());
    }
}
