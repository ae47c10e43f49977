package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Random;

/**
 * Independent slow references in exact BigInteger / BigDecimal arithmetic, and edge-heavy random
 * operands, for the differential tests. Nothing here uses the bias-then-shift rule or the sticky
 * reductions of the code under test.
 */
final class Slow {
    private Slow() {
    }

    private static final int POW2_RANGE = 1300;
    private static final BigDecimal[] POW2 = new BigDecimal[2 * POW2_RANGE + 1];

    /** 2^n exactly (2^-n = 5^n / 10^n), cached for |n| <= 1300. */
    static BigDecimal pow2(int n) {
        if (Math.abs(n) > POW2_RANGE) {
            throw new IllegalArgumentException("n out of range: " + n);
        }
        BigDecimal v = POW2[n + POW2_RANGE];
        if (v == null) {
            v = n >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(n)) : new BigDecimal(BigInteger.valueOf(5).pow(-n), -n);
            POW2[n + POW2_RANGE] = v;
        }
        return v;
    }

    /** v rounded to an integer by mode, via BigDecimal's rounding modes. */
    static BigInteger round(BigDecimal v, Rounding mode) {
        RoundingMode rm = switch (mode) {
            case FLOOR -> RoundingMode.FLOOR;
            case TOWARD_ZERO -> RoundingMode.DOWN;
            case HALF_AWAY -> RoundingMode.HALF_UP; // java.math's HALF_UP is away from zero
            case HALF_EVEN -> RoundingMode.HALF_EVEN;
            case HALF_UP -> v.signum() >= 0 ? RoundingMode.HALF_UP : RoundingMode.HALF_DOWN; // ties toward +inf
        };
        return v.setScale(0, rm).toBigIntegerExact();
    }

    /** s * 2^e rounded onto the (precision, minExponent) grid, by plain BigDecimal search. */
    static BigDecimal toPrecision(BigDecimal v, int precision, int minExponent, Rounding mode) {
        if (v.signum() == 0) {
            return BigDecimal.ZERO;
        }
        int floorLog2 = floorLog2(v.abs());
        int quantum = Math.max(floorLog2 - precision + 1, minExponent);
        BigInteger m = round(v.multiply(pow2(-quantum)), mode);
        return new BigDecimal(m).multiply(pow2(quantum));
    }

    static int floorLog2(BigDecimal positive) {
        int lo = -1200;
        int hi = 1200; // invariant: 2^lo <= v < 2^hi
        while (hi - lo > 1) {
            int mid = Math.floorDiv(lo + hi, 2);
            if (pow2(mid).compareTo(positive) <= 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
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
