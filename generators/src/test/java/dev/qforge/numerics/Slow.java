package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Random;

/**
 * Independent slow references in exact BigInteger / BigDecimal arithmetic, and edge-heavy random
 * operands, for the differential tests. Nothing here uses the bias-then-shift rule, the sticky
 * reductions or the bit decoding of the code under test: values are decoded by
 * {@code new BigDecimal(double)} and every rounding is a {@link RoundingMode} of java.math.
 */
final class Slow {
    private Slow() {
    }

    private static final int POW2_RANGE = 1300;
    private static final BigDecimal[] POW2 = new BigDecimal[2 * POW2_RANGE + 1];
    private static final BigInteger FIVE = BigInteger.valueOf(5);

    /** 2^n exactly (2^-n = 5^n / 10^n), cached for |n| <= 1300. */
    static BigDecimal pow2(int n) {
        if (Math.abs(n) > POW2_RANGE) {
            throw new IllegalArgumentException("n out of range: " + n);
        }
        BigDecimal v = POW2[n + POW2_RANGE];
        if (v == null) {
            v = n >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(n)) : new BigDecimal(FIVE.pow(-n), -n);
            POW2[n + POW2_RANGE] = v;
        }
        return v;
    }

    /** The java.math rounding mode that rounds a value of the given sign as mode does. */
    private static RoundingMode roundingMode(Rounding mode, int signum) {
        return switch (mode) {
            case FLOOR -> RoundingMode.FLOOR;
            case TOWARD_ZERO -> RoundingMode.DOWN;
            case HALF_AWAY -> RoundingMode.HALF_UP; // java.math's HALF_UP is away from zero
            case HALF_EVEN -> RoundingMode.HALF_EVEN;
            case HALF_UP -> signum >= 0 ? RoundingMode.HALF_UP : RoundingMode.HALF_DOWN; // ties toward +inf
        };
    }

    /** v rounded to an integer by mode. */
    static BigInteger round(BigDecimal v, Rounding mode) {
        return v.setScale(0, roundingMode(mode, v.signum())).toBigIntegerExact();
    }

    /** num / den rounded to an integer by mode (den > 0), by BigDecimal's exact rounded division. */
    static BigInteger divide(BigInteger num, BigInteger den, Rounding mode) {
        return new BigDecimal(num).divide(new BigDecimal(den), 0, roundingMode(mode, num.signum())).toBigIntegerExact();
    }

    /** floor(num / den) for den > 0. */
    static BigInteger floorDiv(BigInteger num, BigInteger den) {
        return divide(num, den, Rounding.FLOOR);
    }

    /** An exact binary rational m * 2^e: every value of a binary integer, fixed or floating-point format. */
    record Exact(BigInteger m, int e) {
        static final Exact ZERO = new Exact(BigInteger.ZERO, 0);

        static Exact of(long s, int e) {
            return new Exact(BigInteger.valueOf(s), e);
        }

        static Exact of(BigInteger integer) {
            return new Exact(integer, 0);
        }

        /** The exact value of a finite double (its sign of zero is lost). */
        static Exact of(double finite) {
            BigDecimal d = new BigDecimal(finite); // exact: u * 10^-scale with u divisible by 5^scale
            if (d.scale() <= 0) {
                return new Exact(d.toBigIntegerExact(), 0);
            }
            BigInteger[] qr = d.unscaledValue().divideAndRemainder(pow2(-d.scale()).unscaledValue()); // 5^scale, cached
            if (qr[1].signum() != 0) {
                throw new AssertionError("not a binary fraction: " + finite);
            }
            return new Exact(qr[0], -d.scale());
        }

        int signum() {
            return m.signum();
        }

        Exact abs() {
            return new Exact(m.abs(), e);
        }

        Exact negate() {
            return new Exact(m.negate(), e);
        }

        Exact times(Exact o) {
            return new Exact(m.multiply(o.m), e + o.e);
        }

        Exact timesPow2(int n) {
            return new Exact(m, e + n);
        }

        Exact plus(Exact o) {
            int low = Math.min(e, o.e);
            return new Exact(m.shiftLeft(e - low).add(o.m.shiftLeft(o.e - low)), low);
        }

        int compareTo(Exact o) {
            int low = Math.min(e, o.e);
            return m.shiftLeft(e - low).compareTo(o.m.shiftLeft(o.e - low));
        }

        /** floor(log2(|value|)), value nonzero. */
        int floorLog2() {
            return m.abs().bitLength() - 1 + e;
        }

        /** The value rounded to an integer by mode. */
        BigInteger round(Rounding mode) {
            return e >= 0 ? m.shiftLeft(e) : divide(m, BigInteger.ONE.shiftLeft(-e), mode);
        }

        BigDecimal toBigDecimal() {
            return new BigDecimal(m).multiply(pow2(e));
        }

        /** The nearest double (BigDecimal.doubleValue rounds correctly): exact for binary64 values, infinite beyond. */
        double toDouble() {
            return toBigDecimal().doubleValue();
        }

        /** Whether the finite or infinite double d has exactly this value (infinities never do). */
        boolean sameValue(double d) {
            return Double.isFinite(d) && toBigDecimal().compareTo(new BigDecimal(d)) == 0;
        }
    }

    /** v rounded by mode onto the grid of precision significant bits and quanta >= 2^minExponent. */
    static Exact toPrecision(Exact v, int precision, int minExponent, Rounding mode) {
        if (v.signum() == 0) {
            return Exact.ZERO;
        }
        int quantum = Math.max(v.floorLog2() - precision + 1, minExponent);
        return new Exact(v.timesPow2(-quantum).round(mode), quantum);
    }

    /** IEEE 754 binary32 rounding (to nearest even); a result with floorLog2 >= 128 stands for an infinity. */
    static Exact toFloat32(Exact v) {
        return toPrecision(v, 24, -149, Rounding.HALF_EVEN);
    }

    /** IEEE 754 binary64 rounding (to nearest even); a result with floorLog2 >= 1024 stands for an infinity. */
    static Exact toFloat64(Exact v) {
        return toPrecision(v, 53, -1074, Rounding.HALF_EVEN);
    }

    /**
     * OCP MX DotGeneral of decoded values: each block's exact sum of products rounded once to
     * binary32 (fp32) or binary64, the block results added in order with each addition rounded the
     * same way (finite results only).
     */
    static double dot(double[] a, double[] b, int blockSize, boolean fp32) {
        Exact total = Exact.ZERO;
        for (int from = 0; from < a.length; from += blockSize) {
            Exact sum = Exact.ZERO;
            for (int i = from; i < Math.min(a.length, from + blockSize); i++) {
                sum = sum.plus(Exact.of(a[i]).times(Exact.of(b[i])));
            }
            Exact block = fp32 ? toFloat32(sum) : toFloat64(sum);
            total = from == 0 ? block : fp32 ? toFloat32(total.plus(block)) : toFloat64(total.plus(block));
        }
        if (total.signum() != 0 && total.floorLog2() >= (fp32 ? 128 : 1024)) {
            throw new AssertionError("the reference handles finite dot products only");
        }
        return total.toDouble();
    }

    /** Whether a rounded binary32 result is an infinity. */
    static boolean overflowsFloat32(Exact rounded) {
        return rounded.signum() != 0 && rounded.floorLog2() >= 128;
    }

    /** num / den in IEEE 754 binary32 (den > 0): the exact quotient rounded once to nearest even. */
    static Exact float32Quotient(Exact num, Exact den) {
        if (den.signum() <= 0) {
            throw new IllegalArgumentException("den must be > 0");
        }
        if (num.signum() == 0) {
            return Exact.ZERO;
        }
        BigInteger a = num.m().abs();
        BigInteger b = den.m();
        int shift = num.e() - den.e();
        // floor(log2(a / b)) by one comparison
        int f = a.bitLength() - b.bitLength();
        if ((f >= 0 ? a.compareTo(b.shiftLeft(f)) : a.shiftLeft(-f).compareTo(b)) < 0) {
            f--;
        }
        int quantum = Math.max(f + shift - 23, -149);
        int up = shift - quantum; // value / 2^quantum = num.m * 2^up / b
        BigInteger scaledNum = up >= 0 ? num.m().shiftLeft(up) : num.m();
        BigInteger scaledDen = up >= 0 ? b : b.shiftLeft(-up);
        return new Exact(divide(scaledNum, scaledDen, Rounding.HALF_EVEN), quantum);
    }

    /** v clamped to [min, max]. */
    static BigInteger clamp(BigInteger v, long min, long max) {
        return v.max(BigInteger.valueOf(min)).min(BigInteger.valueOf(max));
    }

    /** v modulo 2^bits read back as a two's complement (signed) or plain binary value. */
    static BigInteger wrap(BigInteger v, int bits, boolean signed) {
        BigInteger modulus = BigInteger.ONE.shiftLeft(bits);
        BigInteger r = v.mod(modulus);
        return signed && r.testBit(bits - 1) ? r.subtract(modulus) : r;
    }

    /** Smallest value of a bits-wide integer. */
    static long min(int bits, boolean signed) {
        return signed ? -(1L << (bits - 1)) : 0;
    }

    /** Largest value of a bits-wide integer. */
    static long max(int bits, boolean signed) {
        return signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
    }

    /** Whether v fits a Java long. */
    static boolean fitsLong(BigInteger v) {
        return v.bitLength() <= 63;
    }

    /** An int that is an edge value a third of the time. */
    static int edgyInt(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> Integer.MIN_VALUE + r.nextInt(3);
            case 1 -> Integer.MAX_VALUE - r.nextInt(3);
            case 2 -> r.nextInt(65) - 32;
            case 3 -> (r.nextBoolean() ? 1 : -1) * (1 << r.nextInt(31)) + r.nextInt(3) - 1;
            case 4 -> r.nextInt(1 << (1 + r.nextInt(30))) * (r.nextBoolean() ? 1 : -1);
            default -> r.nextInt();
        };
    }

    /** A long with |x| < 2^62, often a tie or an exact multiple for the shift n. */
    static long edgyLong(Random r, int n) {
        long x = switch (r.nextInt(8)) {
            case 0 -> Integer.MIN_VALUE;
            case 1 -> Integer.MAX_VALUE;
            case 2 -> (r.nextLong() >> (n + 2)) * (1L << n) + (n == 0 ? 0 : 1L << (n - 1)); // exact tie
            case 3 -> (r.nextLong() >> (n + 2)) * (1L << n); // exact multiple
            case 4 -> r.nextInt(1000) - 500;
            case 5 -> (r.nextBoolean() ? 1 : -1) * ((1L << 62) - 1 - r.nextInt(4));
            default -> r.nextLong() >> (2 + r.nextInt(60));
        };
        return Math.max(-(1L << 62) + 1, Math.min((1L << 62) - 1, x));
    }
}
