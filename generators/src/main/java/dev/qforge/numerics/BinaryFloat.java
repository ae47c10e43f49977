package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;

import java.math.BigInteger;

/**
 * The IEEE 754 binary interchange formats a dequant unit writes and reads scales in: bfloat16,
 * binary16 (fp16) and binary32 (fp32). One rule for all of them: {@link #decode} is exact;
 * {@link #encode} rounds the exact value once to nearest, ties to even, onto the format's grid
 * including its subnormals, overflows to infinity (IEEE 754 section 7.4: the value rounded with an
 * unbounded exponent exceeds the largest finite number), keeps the sign of zero and infinities,
 * and turns every NaN into the canonical positive quiet NaN (exponent all ones, top mantissa bit
 * set, as torch and ml_dtypes produce).
 */
public enum BinaryFloat {
    BF16(8, 7), FP16(5, 10), FP32(8, 23);

    private final int exponentBits;
    private final int mantissaBits;

    BinaryFloat(int exponentBits, int mantissaBits) {
        this.exponentBits = exponentBits;
        this.mantissaBits = mantissaBits;
    }

    public int bits() {
        return 1 + exponentBits + mantissaBits;
    }

    public int exponentBits() {
        return exponentBits;
    }

    public int mantissaBits() {
        return mantissaBits;
    }

    public int bias() {
        return (1 << (exponentBits - 1)) - 1;
    }

    /** log2 of the subnormal quantum: 1 - bias - mantissaBits. */
    public int minExponent() {
        return 1 - bias() - mantissaBits;
    }

    /** The largest finite magnitude. */
    public double maxFinite() {
        return Math.scalb(2.0 - Math.scalb(1.0, -mantissaBits), (1 << exponentBits) - 2 - bias());
    }

    public long canonicalNaN() {
        return exponentMask() << mantissaBits | 1L << (mantissaBits - 1);
    }

    public long infinity(boolean negative) {
        return signBit(negative) | exponentMask() << mantissaBits;
    }

    private long exponentMask() {
        return (1L << exponentBits) - 1;
    }

    private long signBit(boolean negative) {
        return negative ? 1L << (bits() - 1) : 0;
    }

    private void requireBits(long bits) {
        if (bits < 0 || bits >= 1L << bits()) {
            throw new IllegalArgumentException("bits must be in 0.." + ((1L << bits()) - 1) + " for " + this + ", got " + bits);
        }
    }

    private int exponentField(long bits) {
        return (int) ((bits >> mantissaBits) & exponentMask());
    }

    public boolean isNaN(long bits) {
        requireBits(bits);
        return exponentField(bits) == exponentMask() && (bits & ((1L << mantissaBits) - 1)) != 0;
    }

    public boolean isInfinite(long bits) {
        requireBits(bits);
        return exponentField(bits) == exponentMask() && (bits & ((1L << mantissaBits) - 1)) == 0;
    }

    public boolean isNegative(long bits) {
        requireBits(bits);
        return (bits >> (bits() - 1)) != 0;
    }

    /** The magnitude of a finite value's significand, hidden bit included: |value| = significand * 2^quantumExponent. */
    public long significand(long bits) {
        requireBits(bits);
        long mantissa = bits & ((1L << mantissaBits) - 1);
        return exponentField(bits) == 0 ? mantissa : mantissa | 1L << mantissaBits;
    }

    /** log2 of a finite value's quantum: max(exponent field, 1) - bias - mantissaBits. */
    public int quantumExponent(long bits) {
        requireBits(bits);
        return Math.max(exponentField(bits), 1) - bias() - mantissaBits;
    }

    /** The exact value (every value of these formats is a double). */
    public double decode(long bits) {
        if (isNaN(bits)) {
            return Double.NaN;
        }
        double magnitude = isInfinite(bits) ? Double.POSITIVE_INFINITY : Math.scalb((double) significand(bits), quantumExponent(bits));
        return isNegative(bits) ? -magnitude : magnitude;
    }

    /** v rounded once to nearest even (see the class comment for subnormals, overflow, zero and NaN). */
    public long encode(double v) {
        if (Double.isNaN(v)) {
            return canonicalNaN();
        }
        boolean negative = Double.doubleToRawLongBits(v) < 0;
        if (Double.isInfinite(v)) {
            return infinity(negative);
        }
        double r = Math.abs(Rounded.toPrecision(Rounded.significand(v), Rounded.exponent(v), mantissaBits + 1, minExponent(),
                Rounding.HALF_EVEN));
        if (r > maxFinite()) {
            return infinity(negative);
        }
        if (r < Math.scalb(1.0, 1 - bias())) {
            return signBit(negative) | (long) Math.scalb(r, -minExponent()); // subnormal or zero: exponent field 0
        }
        int e = Rounded.floorLog2(r);
        long mantissa = (long) Math.scalb(r, mantissaBits - e) - (1L << mantissaBits);
        return signBit(negative) | (long) (e + bias()) << mantissaBits | mantissa;
    }

    /** The exact value s * 2^e rounded once to nearest even, as {@link #encode(double)} rounds a double. */
    public long encode(BigInteger s, int e) {
        return encode(Rounded.toPrecision(s, e, mantissaBits + 1, minExponent(), Rounding.HALF_EVEN));
    }
}
