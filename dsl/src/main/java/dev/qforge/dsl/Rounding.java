package dev.qforge.dsl;

import java.math.BigInteger;

/**
 * Rounding modes for dividing by a power of two, the one type used by the DSL's
 * {@code roundShiftRight}, by the numerics package and by every golden model.
 *
 * <p>Every mode is defined as "add a bias, then shift right arithmetically" so the software
 * reference ({@link #shiftRight}) and the emitted hardware compute literally the same
 * thing: the hardware adds the same {@link #bias} terms before its {@code >>>}.
 * With {@code half = 2^(n-1)}, {@code sign} the sign bit of x and {@code lsb} bit n of x
 * (the last bit kept by a plain floor shift):
 * <pre>
 *   FLOOR        bias = 0                   (Python's >>, floor division)
 *   TOWARD_ZERO  bias = sign ? 2^n - 1 : 0  (C's / on integers)
 *   HALF_UP      bias = half                (ties toward +inf; Java's Math.round, gemmlowp RoundingDivideByPOT for x >= 0)
 *   HALF_AWAY    bias = half - sign         (ties away from zero; C's round(), TFLite RoundingDivideByPOT)
 *   HALF_EVEN    bias = half - 1 + lsb      (ties to even; IEEE 754 default, ONNX QuantizeLinear, OCP MX)
 * </pre>
 * In hardware ({@link #constant} and {@link #carry}) a bias is a constant plus one bit, the operand
 * and carry-in of one adder: the round-to-nearest modes add half - 1 and the bit that says whether a
 * tie rounds up, which is always 1 for HALF_UP (so its bias is the constant half), !sign for
 * HALF_AWAY and lsb for HALF_EVEN. TOWARD_ZERO's bias, sign-filled n bits, has no such form.
 */
public enum Rounding {
    FLOOR, TOWARD_ZERO, HALF_UP, HALF_AWAY, HALF_EVEN;

    /** The value added to x before the arithmetic right shift by n (n >= 1). */
    public long bias(long x, int n) {
        long sign = x < 0 ? 1 : 0;
        long half = 1L << (n - 1);
        return switch (this) {
            case FLOOR -> 0;
            case TOWARD_ZERO -> sign == 1 ? (1L << n) - 1 : 0;
            case HALF_UP -> half;
            case HALF_AWAY -> half - sign;
            case HALF_EVEN -> half - 1 + ((x >> n) & 1);
        };
    }

    /**
     * x / 2^n rounded by this mode, exactly. n = 0 returns x; n in 1..62.
     *
     * @throws ArithmeticException if x + bias overflows a long (only for |x| near 2^63)
     */
    public long shiftRight(long x, int n) {
        if (n == 0) {
            return x;
        }
        if (n < 0 || n > 62) {
            throw new IllegalArgumentException("shift must be in 0..62, got " + n);
        }
        return Math.addExact(x, bias(x, n)) >> n;
    }

    /**
     * The constant part of this mode's bias for a shift by n (n >= 1), as hardware adds it; {@link #carry}
     * is the rest.
     *
     * @throws IllegalStateException for TOWARD_ZERO, whose bias is no constant plus one bit
     */
    public BigInteger constant(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("shift must be at least 1, got " + n);
        }
        BigInteger half = BigInteger.ONE.shiftLeft(n - 1);
        return switch (this) {
            case FLOOR -> BigInteger.ZERO;
            case HALF_UP -> half;
            case HALF_AWAY, HALF_EVEN -> half.subtract(BigInteger.ONE);
            case TOWARD_ZERO -> throw new IllegalStateException("TOWARD_ZERO's bias, sign ? 2^n - 1 : 0, is no constant plus one bit");
        };
    }

    /**
     * The rest of the bias after {@link #constant}, as hardware: one bit, an adder's carry-in, or null
     * where the bias is the constant alone.
     *
     * @param sign x's sign bit (a Bool; false for an unsigned x)
     * @param lsb  bit n of x, the last bit a floor shift keeps (a Bool)
     * @throws IllegalStateException for TOWARD_ZERO, whose bias is no constant plus one bit
     */
    public Expr carry(Expr sign, Expr lsb) {
        return switch (this) {
            case FLOOR, HALF_UP -> null;
            case HALF_AWAY -> sign.not();
            case HALF_EVEN -> lsb;
            case TOWARD_ZERO -> throw new IllegalStateException("TOWARD_ZERO's bias, sign ? 2^n - 1 : 0, is no constant plus one bit");
        };
    }

    /** {@link #carry} of x for a shift by n. */
    public Expr carry(Expr x, int n) {
        return carry(x.isSigned() ? x.msb() : Expr.bool(false), x.bit(n));
    }

    /** Whether ties (x exactly halfway) are resolved by this mode; FLOOR and TOWARD_ZERO are not round-to-nearest. */
    public boolean isNearest() {
        return this == HALF_UP || this == HALF_AWAY || this == HALF_EVEN;
    }
}
