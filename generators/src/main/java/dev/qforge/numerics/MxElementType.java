package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;

/**
 * The element data types of OCP Microscaling Formats (MX) Specification v1.0, section 5.3 (FP8, FP6, FP4, INT8):
 * codes, values, and the rounding of a real value into a code.
 *
 * <p>Every value of a type is an integer multiple of its smallest quantum 2^{@link #minExponent()}:
 * a code's {@link #significand} times 2^({@link #minExponent()} + {@link #quantumShift}); the dot
 * product uses that split to stay exact.
 *
 * <p>Encoding ({@link #encode}) rounds to nearest, ties to even, and saturates finite values
 * beyond the largest normal to +-{@link #maxNormal()} (the conversion of OCP MX v1.0 section 6; the
 * reference implementation microsoft/microxcaling, mx_ops.py / elemwise_ops.py, does the same). Conventions where decode-then-encode is not
 * the identity:
 * <ul>
 *   <li>NaN encodes to the canonical positive NaN 0x7F (FP8 E4M3 and E5M2), so the other NaN codes
 *       (E4M3 0xFF; E5M2 0x7D, 0x7E, 0xFD, 0xFE, 0xFF) come back as 0x7F. Types without NaN reject it.</li>
 *   <li>INT8 saturates symmetrically to +-127 (microxcaling's max_norm = 127/64), so the code 0x80,
 *       which decodes to -2, comes back as 0x81 (-127/64).</li>
 * </ul>
 * Negative zero keeps its sign bit (a tiny negative value encodes to -0, as in the OCP example where
 * -0.3 becomes -0 in FP6 E3M2), so every zero code round-trips. E5M2 infinities encode to the
 * infinity codes; the other types have none and saturate infinities.
 */
public enum MxElementType {
    /** MXINT8: 8-bit two's complement with an implicit scale of 2^-6 (largest magnitude 1 63/64). */
    INT8(8, 0, 6, 0, 0, 127.0 / 64),
    /** MXFP8 E4M3: bias 7, no infinities, S.1111.111 is NaN; max normal 448. */
    FP8_E4M3(8, 4, 3, 7, 8, 448.0),
    /** MXFP8 E5M2: bias 15, IEEE-like infinities and NaNs; max normal 57344. */
    FP8_E5M2(8, 5, 2, 15, 15, 57344.0),
    /** MXFP6 E3M2: bias 3, no infinities or NaN; max normal 28. */
    FP6_E3M2(6, 3, 2, 3, 4, 28.0),
    /** MXFP6 E2M3: bias 1, no infinities or NaN; max normal 7.5. */
    FP6_E2M3(6, 2, 3, 1, 2, 7.5),
    /** MXFP4 E2M1: bias 1, no infinities or NaN; max normal 6. */
    FP4_E2M1(4, 2, 1, 1, 2, 6.0);

    private final int bits;
    private final int exponentBits;
    private final int mantissaBits;
    private final int bias;
    private final int emax;
    private final double maxNormal;

    MxElementType(int bits, int exponentBits, int mantissaBits, int bias, int emax, double maxNormal) {
        this.bits = bits;
        this.exponentBits = exponentBits;
        this.mantissaBits = mantissaBits;
        this.bias = bias;
        this.emax = emax;
        this.maxNormal = maxNormal;
    }

    /** Code width in bits. */
    public int bits() {
        return bits;
    }

    /** Exponent field width (0 for INT8). */
    public int exponentBits() {
        return exponentBits;
    }

    /** Mantissa field width (fraction bits of the implicit scale for INT8). */
    public int mantissaBits() {
        return mantissaBits;
    }

    /** The exponent of the largest normal, emax_elem in the OCP shared-scale rule (INT8: 0). */
    public int emax() {
        return emax;
    }

    /** The largest finite magnitude an encoding produces. */
    public double maxNormal() {
        return maxNormal;
    }

    /** log2 of the smallest quantum (the subnormal step; INT8: -6). */
    public int minExponent() {
        return isInteger() ? -mantissaBits : 1 - bias - mantissaBits;
    }

    /** Significant bits of the type (INT8: 8, the width of its two's complement integer). */
    int precision() {
        return isInteger() ? bits : mantissaBits + 1;
    }

    private boolean isInteger() {
        return exponentBits == 0;
    }

    private void requireCode(int code) {
        if (code < 0 || code >= 1 << bits) {
            throw new IllegalArgumentException("code must be in 0.." + ((1 << bits) - 1) + " for " + this + ", got " + code);
        }
    }

    /** Whether the type has NaN codes (the FP8 types). */
    public boolean hasNaN() {
        return this == FP8_E4M3 || this == FP8_E5M2;
    }

    /** Whether the type has infinity codes (FP8 E5M2 only). */
    public boolean hasInfinity() {
        return this == FP8_E5M2;
    }

    /** Whether code is a NaN (only FP8 types have NaN codes). */
    public boolean isNaN(int code) {
        requireCode(code);
        return switch (this) {
            case FP8_E4M3 -> (code & 0x7F) == 0x7F;
            case FP8_E5M2 -> (code & 0x7C) == 0x7C && (code & 0x3) != 0;
            default -> false;
        };
    }

    /** Whether code is an infinity (only FP8 E5M2 has them). */
    public boolean isInfinite(int code) {
        requireCode(code);
        return hasInfinity() && (code & 0x7F) == 0x7C;
    }

    /**
     * The signed integer significand of a finite code: value = significand * 2^(minExponent() + quantumShift(code)).
     * Normal: +-(2^M + mantissa); subnormal: +-mantissa; INT8: the code as a signed byte.
     */
    public int significand(int code) {
        requireCode(code);
        if (isInteger()) {
            return (byte) code;
        }
        int mantissa = code & ((1 << mantissaBits) - 1);
        int magnitude = exponentField(code) == 0 ? mantissa : mantissa | (1 << mantissaBits);
        return (code >> (bits - 1)) != 0 ? -magnitude : magnitude;
    }

    /** log2 of a code's quantum relative to the smallest quantum: max(exponent field, 1) - 1 (INT8: 0). */
    public int quantumShift(int code) {
        requireCode(code);
        return isInteger() ? 0 : Math.max(exponentField(code), 1) - 1;
    }

    private int exponentField(int code) {
        return (code >> mantissaBits) & ((1 << exponentBits) - 1);
    }

    /** The exact value of a code: NaN and +-infinity for the special codes, -0.0 for a negative zero. */
    public double decode(int code) {
        if (isNaN(code)) {
            return Double.NaN;
        }
        if (isInteger()) {
            return Math.scalb((double) significand(code), minExponent());
        }
        boolean negative = (code >> (bits - 1)) != 0;
        if (isInfinite(code)) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        double magnitude = Math.scalb((double) Math.abs(significand(code)), minExponent() + quantumShift(code));
        return negative ? -magnitude : magnitude;
    }

    /** The code of v: round to nearest even, saturate to +-maxNormal (see the class comment for NaN and infinities). */
    public int encode(double v) {
        return encodeScaled(v, 0);
    }

    /**
     * The code of v * 2^-scaleExponent, computed exactly (no intermediate rounding of the division).
     * Used by {@link Mx#quantize} with the block's shared exponent.
     */
    int encodeScaled(double v, int scaleExponent) {
        if (Double.isNaN(v)) {
            if (this != FP8_E4M3 && this != FP8_E5M2) {
                throw new IllegalArgumentException("v is NaN but " + this + " has no NaN code");
            }
            return 0x7F;
        }
        if (isInteger()) {
            return Bfp.roundMantissa(v, scaleExponent, bits) & 0xFF;
        }
        int sign = Double.doubleToRawLongBits(v) < 0 ? 1 << (bits - 1) : 0;
        if (Double.isInfinite(v) && this == FP8_E5M2) {
            return sign | 0x7C;
        }
        double magnitude = Double.isInfinite(v) ? maxNormal : Math.min(maxNormal, Math.abs(Rounded.toPrecision(
                Rounded.significand(v), Rounded.exponent(v) - scaleExponent, precision(), minExponent(), Rounding.HALF_EVEN)));
        long units = (long) Math.scalb(magnitude, -minExponent()); // exact: magnitude is on the grid
        if (units < 1L << mantissaBits) {
            return sign | (int) units; // subnormal or zero: exponent field 0
        }
        int top = 63 - Long.numberOfLeadingZeros(units); // >= mantissaBits
        int exponentField = top - mantissaBits + 1;
        int mantissa = (int) (units >> (top - mantissaBits)) & ((1 << mantissaBits) - 1);
        return sign | exponentField << mantissaBits | mantissa;
    }
}
