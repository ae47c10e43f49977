package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;

import java.math.BigInteger;

/**
 * Exact rounding built on the one rule of {@link Rounding#shiftRight}: of doubles to integers, of
 * quotients by any positive divisor, and of exact binary values {@code s * 2^e} onto a binary
 * floating-point grid (a precision and a smallest quantum).
 *
 * <p>All of them reduce to "bias then arithmetic shift" on a long. Where an operand is too wide
 * or a shift too long, it is first replaced by a <em>sticky</em> stand-in (the discarded bits
 * ORed into the last kept bit), which provably rounds the same in every mode as long as at least
 * two bits remain below the rounding position (the standard guard/round/sticky argument).
 */
public final class Rounded {
    private Rounded() {
    }

    /** The signed integer significand s of a finite double x = s * 2^exponent(x) (53 bits at most; 0 for +-0). */
    public static long significand(double x) {
        long bits = Double.doubleToRawLongBits(x);
        long fraction = bits & ((1L << 52) - 1);
        long s = ((bits >>> 52) & 0x7ff) == 0 ? fraction : fraction | (1L << 52);
        return bits < 0 ? -s : s;
    }

    /** The exponent e of a finite double x = significand(x) * 2^e (the weight of its last significand bit). */
    public static int exponent(double x) {
        int biased = (int) ((Double.doubleToRawLongBits(x) >>> 52) & 0x7ff);
        return Math.max(biased, 1) - 1075;
    }

    /** floor(log2(|x|)) exactly, also for subnormals (x finite and nonzero). */
    public static int floorLog2(double x) {
        if (x == 0 || !Double.isFinite(x)) {
            throw new IllegalArgumentException("x must be finite and nonzero, got " + x);
        }
        return exponent(x) + 63 - Long.numberOfLeadingZeros(Math.abs(significand(x)));
    }

    /**
     * x / 2^n rounded by mode, for any n >= 0 (Rounding itself allows n <= 62). Requires |x| < 2^62.
     * For n > 62, |x / 2^n| < 1/2, so only the sign of x matters and signum(x) / 4 rounds the same.
     */
    static long shiftRight(long x, int n, Rounding mode) {
        return n <= 62 ? mode.shiftRight(x, n) : mode.shiftRight(Long.signum(x), 2);
    }

    /** x >> k with the discarded bits ORed into bit 0 (the sticky bit); 0 < k < 63. */
    static long sticky(long x, int k) {
        return (x >> k) | ((x & ((1L << k) - 1)) != 0 ? 1 : 0);
    }

    /**
     * a * b, which must satisfy |a * b| < 2^62 to be a significand of {@link #toLong(long, int, Rounding)}.
     *
     * @param what names the product in the message
     * @throws ArithmeticException otherwise
     */
    static long productBelow2To62(long a, long b, String what) {
        long product = a * b;
        if (Math.multiplyHigh(a, b) != product >> 63 || product >= 1L << 62 || product <= -(1L << 62)) {
            throw new ArithmeticException(what + ": " + a + " * " + b + " is outside the range |s| < 2^62 of exact rounding");
        }
        return product;
    }

    /**
     * s * 2^e rounded to an integer by mode. Requires |s| < 2^62; throws ArithmeticException if the
     * result does not fit a long.
     */
    public static long toLong(long s, int e, Rounding mode) {
        if (s >= 1L << 62 || s <= -(1L << 62)) {
            throw new IllegalArgumentException("significand must satisfy |s| < 2^62, got " + s);
        }
        if (e >= 0) {
            if (s != 0 && e > 62) {
                throw new ArithmeticException(s + " * 2^" + e + " overflows a long");
            }
            return s == 0 ? 0 : Math.multiplyExact(s, 1L << e);
        }
        return shiftRight(s, -e, mode);
    }

    /**
     * x rounded to an integer by mode, exactly (no intermediate rounding; {@code Math.round} is
     * HALF_UP, {@code Math.rint} is HALF_EVEN: this does every mode the same way).
     *
     * @throws IllegalArgumentException if x is NaN or |x| >= 2^63
     */
    public static long toLong(double x, Rounding mode) {
        if (!(Math.abs(x) < 0x1p63)) {
            throw new IllegalArgumentException("x must be finite with |x| < 2^63, got " + x);
        }
        return toLong(significand(x), exponent(x), mode);
    }

    /**
     * num / den rounded by mode, for any den > 0. The remainder is encoded as two extra bits
     * (0: exact, 1: below half, 2: exactly half, 3: above half) under floor(num / den), and that
     * proxy is rounded by {@link Rounding#shiftRight}(proxy, 2): it has the same floor, sign and
     * position relative to the half-way point, hence the same rounding in every mode.
     *
     * @throws ArithmeticException if |num / den| >= 2^61
     */
    public static long divide(long num, long den, Rounding mode) {
        if (den <= 0) {
            throw new IllegalArgumentException("den must be > 0, got " + den);
        }
        long q = Math.floorDiv(num, den);
        long r = Math.floorMod(num, den);
        int position = r == 0 ? 0 : Long.compare(r, den - r) + 2;
        return mode.shiftRight(Math.addExact(Math.multiplyExact(q, 4), position), 2);
    }

    /**
     * s * 2^e rounded by mode to a binary floating-point grid with {@code precision} significant
     * bits whose quanta are never finer than 2^minExponent (the subnormal quantum), returned as an
     * exactly representable double. There is no upper exponent limit: results beyond the double
     * range become infinite and callers saturate as their format requires. A zero result keeps the
     * sign of s. IEEE 754 binary32 is (24, -149), binary64 is (53, -1074), an OCP FP8 E4M3 element
     * is (4, -9).
     *
     * @param precision   1..53
     * @param minExponent >= -1074
     */
    public static double toPrecision(long s, int e, int precision, int minExponent, Rounding mode) {
        if (precision < 1 || precision > 53) {
            throw new IllegalArgumentException("precision must be in 1..53, got " + precision);
        }
        if (minExponent < -1074) {
            throw new IllegalArgumentException("minExponent must be >= -1074, got " + minExponent);
        }
        if (s == 0) {
            return 0.0;
        }
        int length = 64 - Long.numberOfLeadingZeros(s < 0 ? -s : s); // -MIN_VALUE reads as 2^63: 64 bits
        if (length > 61) {
            // the rounding shift below is then >= length - 53 >= 9 > k + 2: sticky reduction is exact
            int k = length - 61;
            s = sticky(s, k);
            e += k;
            length = 61;
        }
        int quantum = Math.max(e + length - precision, minExponent);
        if (quantum <= e) {
            return Math.scalb((double) s, e); // already on the grid: length <= precision <= 53
        }
        long m = shiftRight(s, quantum - e, mode);
        return m == 0 ? Math.copySign(0.0, s) : Math.scalb((double) m, quantum);
    }

    /**
     * x / 2^n rounded by mode, exactly, for an x of any width (n >= 0, the result a long). A shift
     * past bitLength + 2 rounds as that one (|x / 2^n| < 1/4 either way); wider than 60 bits x is
     * replaced by its sticky stand-in, which rounds the same while two or more bits remain below
     * the rounding position.
     *
     * @throws ArithmeticException if the result does not fit a long
     */
    public static long shiftRight(BigInteger x, int n, Rounding mode) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        int b = x.bitLength();
        int shift = Math.min(n, b + 2);
        int k = Math.min(b - 60, shift - 2);
        if (k <= 0) {
            return shift == 0 ? x.longValueExact() : mode.shiftRight(x.longValueExact(), shift);
        }
        long kept = x.shiftRight(k).longValueExact() | (x.getLowestSetBit() < k ? 1 : 0);
        return mode.shiftRight(kept, shift - k);
    }

    /**
     * {@link #toPrecision(long, int, int, int, Rounding)} of a significand of any width: wider
     * than 61 bits it is replaced by its sticky stand-in of 61 bits, which rounds the same (at
     * least 8 bits remain below the rounding position).
     */
    public static double toPrecision(BigInteger s, int e, int precision, int minExponent, Rounding mode) {
        int k = s.abs().bitLength() - 61;
        if (k <= 0) {
            return toPrecision(s.longValueExact(), e, precision, minExponent, mode);
        }
        long kept = s.shiftRight(k).longValueExact() | (s.getLowestSetBit() < k ? 1 : 0);
        return toPrecision(kept, e + k, precision, minExponent, mode);
    }
}
