package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;

/**
 * Binary fixed point: a raw integer in an {@link IntFormat} whose value is raw * 2^-fracBits, the Q
 * notation Q(bits - fracBits).fracBits (ARM CMSIS-DSP's q7 / q15 / q31 are Q0.7 / Q0.15 / Q0.31).
 * fracBits may be negative (a scale of 2^|fracBits| per LSB).
 *
 * <p>Reference: the DSL's fixed-point operators, whose golden model this is. Dropping fraction
 * bits is {@code Expr.roundShiftRight} with a {@link Rounding} (bias, then arithmetic shift: see
 * that enum for each mode); narrowing is {@code Expr.saturate} or {@code Expr.truncate}
 * ({@link IntFormat.Overflow}); a product keeps all aFrac + bFrac fraction bits, as a full-width
 * multiplier does, and is rounded once. Every result is the exact real value rounded once and then
 * narrowed: no intermediate floating-point or double rounding.
 */
public final class FixedPoint {
    private FixedPoint() {
    }

    /**
     * x as raw fixed point: round(x * 2^fracBits) by rounding, narrowed into format. Exact: no
     * intermediate floating-point rounding.
     *
     * @throws IllegalArgumentException if x is NaN, or infinite with WRAP
     */
    public static long fromDouble(double x, int fracBits, IntFormat format, Rounding rounding, IntFormat.Overflow overflow) {
        if (Double.isNaN(x) || (Double.isInfinite(x) && overflow == IntFormat.Overflow.WRAP)) {
            throw new IllegalArgumentException("x must be finite (or infinite with SATURATE), got " + x);
        }
        if (x == 0) {
            return 0;
        }
        if (Double.isInfinite(x) || Rounded.floorLog2(x) + fracBits >= 61) {
            // |x * 2^fracBits| >= 2^61, far outside every IntFormat; an integer, so its low bits are exact
            if (overflow == IntFormat.Overflow.SATURATE) {
                return x > 0 ? format.max() : format.min();
            }
            int shift = Rounded.exponent(x) + fracBits; // >= 61 - 52 > 0
            return format.wrap(shift >= 64 ? 0 : Rounded.significand(x) << shift);
        }
        return format.narrow(Rounded.toLong(Rounded.significand(x), Rounded.exponent(x) + fracBits, rounding), overflow);
    }

    /** raw * 2^-fracBits; exact when |raw| < 2^53. */
    public static double toDouble(long raw, int fracBits) {
        return Math.scalb((double) raw, -fracBits);
    }

    /**
     * raw re-expressed with toFrac fraction bits: a rounding right shift when bits are dropped, an
     * exact left shift when bits are added; then narrowed into format.
     *
     * @throws IllegalArgumentException if |raw| >= 2^62
     * @throws ArithmeticException if an added-bits left shift overflows a long
     */
    public static long rescale(long raw, int fromFrac, int toFrac, IntFormat format, Rounding rounding, IntFormat.Overflow overflow) {
        if (raw >= 1L << 62 || raw <= -(1L << 62)) {
            throw new IllegalArgumentException("raw must satisfy |raw| < 2^62, got " + raw);
        }
        return format.narrow(Rounded.toLong(raw, toFrac - fromFrac, rounding), overflow);
    }

    /**
     * The exact product a * b (aFrac + bFrac fraction bits) rescaled to outFrac and narrowed into format.
     *
     * @throws ArithmeticException if |a * b| >= 2^62 (the operand range of {@link #rescale}), or an
     *                             added-bits left shift overflows a long
     */
    public static long multiply(long a, int aFrac, long b, int bFrac, int outFrac, IntFormat format, Rounding rounding,
                                IntFormat.Overflow overflow) {
        return rescale(Rounded.productBelow2To62(a, b, "FixedPoint.multiply"), aFrac + bFrac, outFrac, format, rounding, overflow);
    }
}
