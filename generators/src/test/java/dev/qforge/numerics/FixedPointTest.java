package dev.qforge.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qforge.dsl.Rounding;
import dev.qforge.numerics.Slow.Exact;
import java.math.BigInteger;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * FixedPoint: Q-format vectors, and rescale, multiply and fromDouble against exact BigInteger
 * references, 20,000 cases per rounding mode and function (100,000 per function).
 */
class FixedPointTest {
    private static final int CASES_PER_MODE = 20_000;
    private static final long LIMIT = 1L << 62; // rescale's operand range is |raw| < 2^62

    @Test
    void qFormatVectors() {
        IntFormat q = IntFormat.INT16;
        // Q8.8: 1.5 -> 384; -0.001953125 = -2^-9 is a tie between -0.0039 and 0
        assertEquals(384, FixedPoint.fromDouble(1.5, 8, q, Rounding.HALF_EVEN, IntFormat.Overflow.SATURATE));
        assertEquals(0, FixedPoint.fromDouble(-0x1p-9, 8, q, Rounding.HALF_EVEN, IntFormat.Overflow.SATURATE));
        assertEquals(-1, FixedPoint.fromDouble(-0x1p-9, 8, q, Rounding.HALF_AWAY, IntFormat.Overflow.SATURATE));
        assertEquals(0, FixedPoint.fromDouble(-0x1p-9, 8, q, Rounding.HALF_UP, IntFormat.Overflow.SATURATE));
        assertEquals(-1, FixedPoint.fromDouble(-0x1p-9, 8, q, Rounding.FLOOR, IntFormat.Overflow.SATURATE));
        assertEquals(32767, FixedPoint.fromDouble(200.0, 8, q, Rounding.HALF_EVEN, IntFormat.Overflow.SATURATE));
        assertEquals(-32768, FixedPoint.fromDouble(128.0, 8, q, Rounding.HALF_EVEN, IntFormat.Overflow.WRAP));
        assertEquals(32767, FixedPoint.fromDouble(1e300, 8, q, Rounding.HALF_EVEN, IntFormat.Overflow.SATURATE));
        assertEquals(0, FixedPoint.fromDouble(0x1p80, 8, q, Rounding.HALF_EVEN, IntFormat.Overflow.WRAP));
        assertEquals(1.5, FixedPoint.toDouble(384, 8));
        // Q8.8 -> Q12.4: 0x0188 (1.53125) -> 24.5 units -> HALF_EVEN 24
        assertEquals(24, FixedPoint.rescale(0x188, 8, 4, q, Rounding.HALF_EVEN, IntFormat.Overflow.SATURATE));
        assertEquals(0x1880, FixedPoint.rescale(0x188, 4, 8, IntFormat.INT32, Rounding.HALF_EVEN, IntFormat.Overflow.SATURATE));
        // 1.5 * -2.25 = -3.375 in Q.8, from Q.8 x Q.8
        assertEquals(-864, FixedPoint.multiply(384, 8, -576, 8, 8, q, Rounding.HALF_EVEN, IntFormat.Overflow.SATURATE));
        assertThrows(IllegalArgumentException.class,
                () -> FixedPoint.fromDouble(Double.NaN, 8, q, Rounding.HALF_EVEN, IntFormat.Overflow.SATURATE));
    }

    private static IntFormat randomFormat(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> IntFormat.INT8;
            case 1 -> IntFormat.INT16;
            case 2 -> IntFormat.INT32;
            default -> new IntFormat(2 + r.nextInt(31), r.nextBoolean());
        };
    }

    /** The exact integer v narrowed into f by the given policy. */
    private static long narrow(BigInteger v, IntFormat f, IntFormat.Overflow overflow) {
        BigInteger n = overflow == IntFormat.Overflow.SATURATE
                ? Slow.clamp(v, Slow.min(f.bits(), f.signed()), Slow.max(f.bits(), f.signed()))
                : Slow.wrap(v, f.bits(), f.signed());
        return n.longValueExact();
    }

    /** Compares got with the exact reference: a value, or null for the ArithmeticException the code must throw. */
    private static void assertResult(BigInteger exact, IntFormat f, IntFormat.Overflow overflow, Supplier<Long> got, Supplier<String> msg) {
        if (exact == null) {
            assertThrows(ArithmeticException.class, got::get, msg);
        } else {
            assertEquals(narrow(exact, f, overflow), got.get().longValue(), msg);
        }
    }

    /**
     * raw * 2^shift rounded by mode; null if the exact left shift leaves a long (the code's ArithmeticException; it
     * also rejects every nonzero shift beyond 62 bits, including -1 * 2^63 = Long.MIN_VALUE).
     */
    private static BigInteger slowRescale(long raw, int shift, Rounding mode) {
        BigInteger v = new Exact(BigInteger.valueOf(raw), shift).round(mode);
        return shift > 0 && (!Slow.fitsLong(v) || shift > 62 && raw != 0) ? null : v;
    }

    @ParameterizedTest
    @EnumSource(Rounding.class)
    void rescaleMatchesSlow(Rounding mode) {
        Random r = new Random(900 + mode.ordinal());
        for (int c = 0; c < CASES_PER_MODE; c++) {
            int fromFrac = r.nextInt(80) - 20;
            int toFrac = r.nextInt(4) == 0 ? fromFrac + r.nextInt(5) - 2 : r.nextInt(80) - 20;
            int drop = Math.max(0, Math.min(61, fromFrac - toFrac));
            long raw = r.nextInt(4) == 0 ? Slow.edgyInt(r) : Slow.edgyLong(r, drop); // ties for the dropped bits
            IntFormat f = randomFormat(r);
            IntFormat.Overflow overflow = r.nextBoolean() ? IntFormat.Overflow.SATURATE : IntFormat.Overflow.WRAP;
            assertResult(slowRescale(raw, toFrac - fromFrac, mode), f, overflow,
                    () -> FixedPoint.rescale(raw, fromFrac, toFrac, f, mode, overflow),
                    () -> mode + " raw=" + raw + " " + fromFrac + "->" + toFrac + " " + f + " " + overflow);
        }
        for (long raw : new long[] {LIMIT, -LIMIT, Long.MIN_VALUE, Long.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FixedPoint.rescale(raw, 8, 0, IntFormat.INT32, mode, IntFormat.Overflow.SATURATE));
            assertTrue(e.getMessage().contains("raw"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Rounding.class)
    void multiplyMatchesSlow(Rounding mode) {
        Random r = new Random(910 + mode.ordinal());
        for (int c = 0; c < CASES_PER_MODE; c++) {
            long a = switch (r.nextInt(8)) {
                case 0 -> Slow.edgyLong(r, r.nextInt(62)); // mostly products beyond 2^62
                case 1 -> (1L << 31) + r.nextInt(3) - 1; // with an int32 edge: products around 2^62
                default -> Slow.edgyInt(r);
            };
            long b = r.nextInt(3) == 0 ? 1L << r.nextInt(40) : Slow.edgyInt(r); // powers of two give exact ties
            int aFrac = r.nextInt(40) - 8;
            int bFrac = r.nextInt(40) - 8;
            int outFrac = r.nextInt(60) - 8;
            IntFormat f = randomFormat(r);
            IntFormat.Overflow overflow = r.nextBoolean() ? IntFormat.Overflow.SATURATE : IntFormat.Overflow.WRAP;
            BigInteger product = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
            BigInteger expected = product.abs().compareTo(BigInteger.valueOf(LIMIT)) >= 0 ? null
                    : slowRescale(product.longValueExact(), outFrac - aFrac - bFrac, mode);
            assertResult(expected, f, overflow, () -> FixedPoint.multiply(a, aFrac, b, bFrac, outFrac, f, mode, overflow),
                    () -> mode + " " + a + "*" + b + " " + aFrac + "+" + bFrac + "->" + outFrac + " " + f + " " + overflow);
        }
    }

    @ParameterizedTest
    @EnumSource(Rounding.class)
    void fromDoubleMatchesSlow(Rounding mode) {
        Random r = new Random(920 + mode.ordinal());
        for (int c = 0; c < CASES_PER_MODE; c++) {
            int fracBits = r.nextInt(70) - 20;
            double x = switch (r.nextInt(6)) {
                case 0 -> Math.scalb(r.nextInt(1 << 20) + 0.5, -fracBits) * (r.nextBoolean() ? 1 : -1); // an exact tie
                case 1 -> Math.scalb(r.nextGaussian(), 60 - fracBits + r.nextInt(40)); // beyond 2^61 units: saturate or wrap
                case 2 -> r.nextInt(100) == 0 ? Double.POSITIVE_INFINITY : r.nextBoolean() ? -0.0 : Math.scalb(1.0, -fracBits - 1);
                default -> Math.scalb(r.nextGaussian(), r.nextInt(40) - fracBits);
            };
            IntFormat f = randomFormat(r);
            IntFormat.Overflow overflow = r.nextBoolean() ? IntFormat.Overflow.SATURATE : IntFormat.Overflow.WRAP;
            Supplier<String> msg = () -> mode + " x=" + x + " frac " + fracBits + " " + f + " " + overflow;
            if (Double.isInfinite(x)) {
                if (overflow == IntFormat.Overflow.WRAP) {
                    assertThrows(IllegalArgumentException.class, () -> FixedPoint.fromDouble(x, fracBits, f, mode, overflow), msg);
                } else {
                    assertEquals(Slow.max(f.bits(), f.signed()), FixedPoint.fromDouble(x, fracBits, f, mode, overflow), msg);
                }
                continue;
            }
            assertEquals(narrow(Exact.of(x).timesPow2(fracBits).round(mode), f, overflow),
                    FixedPoint.fromDouble(x, fracBits, f, mode, overflow), msg);
        }
        assertThrows(IllegalArgumentException.class,
                () -> FixedPoint.fromDouble(Double.NaN, 8, IntFormat.INT16, mode, IntFormat.Overflow.SATURATE));
    }

    @Test
    void multiplyBeyondTheRescaleRangeIsAnArithmeticException() {
        // 2^31 * 2^31 = 2^62 fits a long but not rescale's range: an overflow of the computation, not a bad argument
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> FixedPoint.multiply(1L << 31, 0, 1L << 31, 0, 0, IntFormat.INT32, Rounding.HALF_EVEN, IntFormat.Overflow.SATURATE));
        assertTrue(e.getMessage().contains("FixedPoint.multiply"), e.getMessage());
    }
}
