package dev.qforge.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qforge.dsl.Rounding;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rounding.shiftRight and the Rounded helpers against BigDecimal over seeded random and edge cases:
 * 102,000 random cases per function and rounding mode (toPrecision: plus 3,840 edge combinations).
 */
class RoundingTest {
    private static final long[] SEEDS = {1L, 0x5eed_cafeL, 20240229L};
    private static final int CASES_PER_SEED = 34_000; // x 3 seeds = 102,000 per function and mode

    @ParameterizedTest
    @EnumSource(Rounding.class)
    void shiftRightMatchesBigDecimal(Rounding mode) {
        for (long seed : SEEDS) {
            Random r = new Random(seed);
            for (int c = 0; c < CASES_PER_SEED; c++) {
                int n = c < 63 ? c : r.nextInt(63);
                long x = Slow.edgyLong(r, n);
                BigInteger expected = Slow.round(new BigDecimal(x).multiply(Slow.pow2(-n)), mode);
                assertEquals(expected.longValueExact(), mode.shiftRight(x, n),
                        () -> "seed " + seed + " mode " + mode + " x=" + x + " n=" + n);
            }
        }
    }

    /**
     * Rounded.shiftRight of a BigInteger (the exact I-BERT exponentials of a wide product): values of 1 to
     * 130 bits with long runs of ones and zeros below the rounding position (where a sticky stand-in would
     * go wrong), shifts that leave results from 0 to 61 bits, against BigDecimal.
     */
    @ParameterizedTest
    @EnumSource(Rounding.class)
    void wideShiftRightMatchesBigDecimal(Rounding mode) {
        Random r = new Random(77);
        for (int c = 0; c < 20_000; c++) {
            int bits = 1 + r.nextInt(130);
            BigInteger x = new BigInteger(bits, r);
            if (r.nextBoolean()) { // a tie or one off: 1 0000.. or 0 1111.. below some position
                int at = r.nextInt(bits);
                x = x.shiftRight(at).shiftLeft(at).setBit(Math.max(0, at - 1));
                x = r.nextBoolean() ? x : x.subtract(BigInteger.ONE).max(BigInteger.ZERO);
            }
            BigInteger signed = r.nextBoolean() ? x.negate() : x;
            int n = Math.max(0, bits - r.nextInt(62)) + (r.nextInt(8) == 0 ? r.nextInt(200) : 0);
            BigInteger expected = Slow.round(new BigDecimal(signed).multiply(Slow.pow2(-n)), mode);
            int cc = c;
            assertEquals(expected.longValueExact(), Rounded.shiftRight(signed, n, mode), () -> "case " + cc + " " + signed + " >> " + n);
        }
        assertThrows(ArithmeticException.class, () -> Rounded.shiftRight(BigInteger.ONE.shiftLeft(70), 2, mode));
    }

    @Test
    void shiftRightTiesAndInt32Edges() {
        // -2.5, -1.5, -0.5, 0.5, 1.5, 2.5 in each mode
        long[] x = {-5, -3, -1, 1, 3, 5};
        assertRow(Rounding.FLOOR, x, -3, -2, -1, 0, 1, 2);
        assertRow(Rounding.TOWARD_ZERO, x, -2, -1, 0, 0, 1, 2);
        assertRow(Rounding.HALF_UP, x, -2, -1, 0, 1, 2, 3);
        assertRow(Rounding.HALF_AWAY, x, -3, -2, -1, 1, 2, 3);
        assertRow(Rounding.HALF_EVEN, x, -2, -2, 0, 0, 2, 2);
        assertEquals(-1, Rounding.HALF_AWAY.shiftRight(Integer.MIN_VALUE, 31));
        assertEquals(0, Rounding.HALF_UP.shiftRight(Integer.MIN_VALUE, 32)); // -0.5 ties toward +inf
        assertEquals(-1, Rounding.HALF_AWAY.shiftRight(Integer.MIN_VALUE, 32));
        assertEquals(0, Rounding.HALF_EVEN.shiftRight(Integer.MIN_VALUE, 32));
        assertEquals(1, Rounding.HALF_AWAY.shiftRight(Integer.MAX_VALUE, 31));
    }

    private static void assertRow(Rounding mode, long[] x, long... expected) {
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected[i], mode.shiftRight(x[i], 1), mode + " " + x[i] + "/2");
        }
    }

    @ParameterizedTest
    @EnumSource(Rounding.class)
    void toLongOfDoubleMatchesBigDecimal(Rounding mode) {
        for (long seed : SEEDS) {
            Random r = new Random(seed);
            for (int c = 0; c < CASES_PER_SEED; c++) {
                double x = switch (r.nextInt(4)) {
                    case 0 -> (r.nextInt(2001) - 1000) / 2.0; // ties
                    case 1 -> Math.scalb(r.nextDouble() - 0.5, r.nextInt(64));
                    // 53 random bits from 2^-130 to 2^62: tiny values (shifts beyond 62) to integers without a fraction
                    case 2 -> Math.scalb((double) (r.nextLong() >> 11), r.nextInt(193) - 183) % 0x1p62;
                    default -> r.nextGaussian() * 1000;
                };
                BigInteger expected = Slow.round(new BigDecimal(x), mode);
                assertEquals(expected.longValueExact(), Rounded.toLong(x, mode), () -> "seed " + seed + " " + mode + " x=" + x);
            }
        }
        assertEquals(mode == Rounding.FLOOR ? -1 : 0, Rounded.toLong(-Double.MIN_VALUE, mode));
        assertEquals(mode == Rounding.FLOOR ? -1 : 0, Rounded.toLong(-Double.MIN_NORMAL, mode));
        assertThrows(IllegalArgumentException.class, () -> Rounded.toLong(Double.NaN, mode));
        assertThrows(IllegalArgumentException.class, () -> Rounded.toLong(0x1p63, mode));
        assertThrows(IllegalArgumentException.class, () -> Rounded.toLong(Long.MIN_VALUE, -1, mode));
        assertThrows(ArithmeticException.class, () -> Rounded.toLong(1, 63, mode));
    }

    @ParameterizedTest
    @EnumSource(Rounding.class)
    void divideMatchesBigDecimal(Rounding mode) {
        for (long seed : SEEDS) {
            Random r = new Random(seed);
            for (int c = 0; c < CASES_PER_SEED; c++) {
                long den = switch (r.nextInt(3)) {
                    case 0 -> 1 + r.nextInt(10);
                    case 1 -> 2 * (1 + r.nextInt(1 << 20));
                    default -> 1 + (r.nextLong() >>> (2 + r.nextInt(60)));
                };
                long num = switch (r.nextInt(5)) {
                    case 0 -> (r.nextLong() >> 20) / den * den + den / 2; // a tie for even den
                    case 1 -> Slow.edgyInt(r);
                    default -> r.nextLong() >> (3 + r.nextInt(60));
                };
                assertEquals(Slow.divide(BigInteger.valueOf(num), BigInteger.valueOf(den), mode).longValueExact(),
                        Rounded.divide(num, den, mode), () -> "seed " + seed + " " + mode + " " + num + "/" + den);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Rounded.divide(1, 0, mode));
    }

    @Test
    void toPrecisionMatchesJavaCasts() {
        for (long seed : SEEDS) {
            Random r = new Random(seed);
            for (int c = 0; c < CASES_PER_SEED; c++) {
                long s = r.nextInt(3) == 0 ? r.nextLong() : r.nextLong() >> r.nextInt(64);
                // JLS 5.1.2: long -> double / float conversions round to nearest even
                assertEquals((double) s, Rounded.toPrecision(s, 0, 53, -1074, Rounding.HALF_EVEN), () -> "seed " + seed + " s=" + s);
                assertEquals((double) (float) s, Rounded.toPrecision(s, 0, 24, -149, Rounding.HALF_EVEN),
                        () -> "seed " + seed + " s=" + s);
                double d = Double.longBitsToDouble(r.nextLong());
                if (d != 0 && Double.isFinite(d) && Math.abs(d) < 0x1p127) {
                    assertEquals((double) (float) d, Rounded.toPrecision(Rounded.significand(d), Rounded.exponent(d), 24, -149,
                            Rounding.HALF_EVEN), () -> "seed " + seed + " d=" + d);
                }
            }
        }
        assertEquals(-0.0, Rounded.toPrecision(-1, -10, 4, -9, Rounding.HALF_EVEN));
        assertEquals(Long.MIN_VALUE, (long) Rounded.toPrecision(Long.MIN_VALUE, 0, 53, -1074, Rounding.HALF_EVEN));
    }

    private static final long[] EDGE_SIGNIFICANDS = {
        Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, 1, -1, 0, 3, -3,
        1L << 62, -(1L << 62), (1L << 61) + 1, (1L << 53) + 1, -(1L << 53) - 1, (1L << 24) + 1,
    };

    /**
     * Rounded.toPrecision against Slow.toPrecision, 102,000 random cases per mode plus a table of
     * edges: full 64-bit significands (the sticky path), exact ties at the precision and at the
     * subnormal quantum, near ties, subnormal and overflowing (infinite) results, precisions 1..53.
     */
    @ParameterizedTest
    @EnumSource(Rounding.class)
    void toPrecisionMatchesSlowInEveryMode(Rounding mode) {
        for (long seed : SEEDS) {
            Random r = new Random(seed * 31 + mode.ordinal());
            for (int c = 0; c < CASES_PER_SEED; c++) {
                int precision = switch (r.nextInt(5)) {
                    case 0 -> 1;
                    case 1 -> 24;
                    case 2 -> 53;
                    default -> 1 + r.nextInt(53);
                };
                long s = toPrecisionOperand(r, precision);
                int e = switch (r.nextInt(12)) {
                    case 0 -> -1074 - 70 + r.nextInt(140); // subnormal doubles, shifts beyond 62
                    case 1 -> 1024 - 70 + r.nextInt(70); // near and beyond the top of the double range
                    default -> r.nextInt(200) - 100;
                };
                int minExponent = Math.max(-1074, switch (r.nextInt(3)) {
                    case 0 -> -1074;
                    // the quantum just above the lowest set bit: an exact tie unless the precision rounds coarser
                    case 1 -> e + Long.numberOfTrailingZeros(s) + 1;
                    default -> e + r.nextInt(100) - 30;
                });
                assertToPrecision(s, e, precision, minExponent, mode);
            }
        }
        for (long s : EDGE_SIGNIFICANDS) {
            for (int e : new int[] {-1140, -1074, -1000, -64, -31, -1, 0, 1, 31, 960, 1000, 1024}) {
                for (int precision : new int[] {1, 2, 11, 24, 53}) {
                    for (int minExponent : new int[] {-1074, -149, -9, 0}) {
                        assertToPrecision(s, e, precision, minExponent, mode);
                    }
                }
            }
        }
    }

    /** A significand for toPrecision: edges, exact ties and near ties for precision, or random bits of any length. */
    private static long toPrecisionOperand(Random r, int precision) {
        int j = r.nextInt(63 - precision); // left shift that keeps precision + 1 bits below 2^63
        long tie = ((1L << precision) | (r.nextLong() & ((1L << precision) - 1)) | 1) << j; // precision + 1 bits, last one set
        long sign = r.nextBoolean() ? 1 : -1;
        return switch (r.nextInt(6)) {
            case 0 -> EDGE_SIGNIFICANDS[r.nextInt(EDGE_SIGNIFICANDS.length)];
            case 1 -> sign * tie;
            case 2 -> sign * (tie + (r.nextBoolean() ? 1 : -1)); // just off the tie (when j > 0)
            case 3 -> r.nextLong();
            default -> r.nextLong() >> r.nextInt(64);
        };
    }

    private static void assertToPrecision(long s, int e, int precision, int minExponent, Rounding mode) {
        Slow.Exact expected = Slow.toPrecision(Slow.Exact.of(s, e), precision, minExponent, mode);
        double got = Rounded.toPrecision(s, e, precision, minExponent, mode);
        boolean ok;
        if (expected.signum() == 0) {
            ok = got == 0 && (Double.doubleToRawLongBits(got) < 0) == (s < 0); // a zero keeps the sign of s
        } else if (expected.floorLog2() >= 1024) {
            ok = got == (expected.signum() > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
        } else {
            ok = expected.sameValue(got);
        }
        assertTrue(ok, () -> mode + " s=" + s + " e=" + e + " p=" + precision + " min=" + minExponent + ": expected "
                + expected.toBigDecimal() + ", got " + got);
    }
}
