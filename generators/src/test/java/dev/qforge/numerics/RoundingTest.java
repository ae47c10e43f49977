package dev.qforge.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qforge.dsl.Rounding;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rounding.shiftRight and the Rounded helpers against BigDecimal over seeded random and edge cases. */
class RoundingTest {
    private static final long[] SEEDS = {1L, 0x5eed_cafeL, 20240229L};
    private static final int CASES_PER_SEED = 40_000;

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
                    case 2 -> Double.longBitsToDouble(r.nextLong() & 0x3fffffffffffffffL) * (r.nextBoolean() ? 1 : -1) % 0x1p62;
                    default -> r.nextGaussian() * 1000;
                };
                BigInteger expected = Slow.round(new BigDecimal(x), mode);
                assertEquals(expected.longValueExact(), Rounded.toLong(x, mode), () -> "seed " + seed + " " + mode + " x=" + x);
            }
        }
        assertEquals(mode == Rounding.FLOOR ? -1 : 0, Rounded.toLong(-Double.MIN_VALUE, mode));
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
                long num = r.nextInt(4) == 0 ? (r.nextLong() >> 20) / den * den + den / 2 : r.nextLong() >> (3 + r.nextInt(60));
                // 60 significant digits truncated: never crosses an integer or a half-way point
                // (a non-tie is at least 1/(2 den) > 1e-19 away from one)
                BigDecimal quotient = new BigDecimal(num).divide(new BigDecimal(den), new MathContext(60, RoundingMode.DOWN));
                assertEquals(Slow.round(quotient, mode).longValueExact(), Rounded.divide(num, den, mode),
                        () -> "seed " + seed + " " + mode + " " + num + "/" + den);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Rounded.divide(1, 0, mode));
    }

    @Test
    void toPrecisionMatchesJavaCastsAndBigDecimal() {
        for (long seed : SEEDS) {
            Random r = new Random(seed);
            for (int c = 0; c < CASES_PER_SEED; c++) {
                long s = r.nextInt(3) == 0 ? r.nextLong() : r.nextLong() >> r.nextInt(64);
                // JLS 5.1.2: long -> double / float conversions round to nearest even
                assertEquals((double) s, Rounded.toPrecision(s, 0, 53, -1074, Rounding.HALF_EVEN), "seed " + seed + " s=" + s);
                assertEquals((double) (float) s, Rounded.toPrecision(s, 0, 24, -149, Rounding.HALF_EVEN), "seed " + seed + " s=" + s);
                double d = Double.longBitsToDouble(r.nextLong());
                if (d != 0 && Double.isFinite(d) && Math.abs(d) < 0x1p127) {
                    assertEquals((double) (float) d, Rounded.toPrecision(Rounded.significand(d), Rounded.exponent(d), 24, -149, Rounding.HALF_EVEN),
                            "seed " + seed + " d=" + d);
                }
                int precision = 1 + r.nextInt(53);
                int e = r.nextInt(200) - 100;
                int minExponent = e + r.nextInt(100) - 30;
                Rounding mode = Rounding.values()[r.nextInt(5)];
                long s2 = r.nextLong() >> r.nextInt(64);
                BigDecimal expected = Slow.toPrecision(new BigDecimal(s2).multiply(Slow.pow2(e)), precision, minExponent, mode);
                double got = Rounded.toPrecision(s2, e, precision, minExponent, mode);
                assertEquals(0, expected.compareTo(new BigDecimal(got)),
                        () -> "seed " + seed + " s=" + s2 + " e=" + e + " p=" + precision + " min=" + minExponent + " " + mode);
            }
        }
        assertEquals(-0.0, Rounded.toPrecision(-1, -10, 4, -9, Rounding.HALF_EVEN));
        assertEquals(Long.MIN_VALUE, (long) Rounded.toPrecision(Long.MIN_VALUE, 0, 53, -1074, Rounding.HALF_EVEN));
    }
}
