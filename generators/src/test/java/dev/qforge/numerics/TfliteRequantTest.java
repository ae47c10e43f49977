package dev.qforge.numerics;

import static dev.qforge.numerics.TfliteRequant.multiplyByQuantizedMultiplier;
import static dev.qforge.numerics.TfliteRequant.quantizeMultiplier;
import static dev.qforge.numerics.TfliteRequant.roundingDivideByPOT;
import static dev.qforge.numerics.TfliteRequant.saturatingRoundingDoublingHighMul;
import static dev.qforge.numerics.TfliteRounding.DOUBLE_ROUNDING;
import static dev.qforge.numerics.TfliteRounding.SINGLE_ROUNDING;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qforge.dsl.Rounding;
import java.math.BigInteger;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 4 reference vectors for TFLite requantization, and differential tests against BigInteger / BigDecimal. */
class TfliteRequantTest {
    private static final int MIN = Integer.MIN_VALUE;
    private static final int MAX = Integer.MAX_VALUE;
    private static final int CASES_PER_SEED = 34_000; // x 3 seeds = 102,000 per function (and per mode)

    // ---- reference vectors -------------------------------------------------------------------

    @Test
    void srdhmVectors() {
        assertEquals(2147483647, saturatingRoundingDoublingHighMul(MIN, MIN));
        assertEquals(-2147483647, saturatingRoundingDoublingHighMul(MIN, MAX));
        assertEquals(2147483646, saturatingRoundingDoublingHighMul(MAX, MAX));
        assertEquals(-1, saturatingRoundingDoublingHighMul(MIN, 1));
        assertEquals(0, saturatingRoundingDoublingHighMul(-32768, 32768));
        assertEquals(1, saturatingRoundingDoublingHighMul(32768, 32768));
        assertEquals(-1, saturatingRoundingDoublingHighMul(-98304, 32768));
        assertEquals(-1, saturatingRoundingDoublingHighMul(-3, 1 << 30));
        assertEquals(2, saturatingRoundingDoublingHighMul(3, 1 << 30));
    }

    @Test
    void rdbpotVectors() {
        assertEquals(-2, roundingDivideByPOT(-3, 1));
        assertEquals(-1, roundingDivideByPOT(-2, 1));
        assertEquals(-1, roundingDivideByPOT(-1, 1));
        assertEquals(1, roundingDivideByPOT(1, 1));
        assertEquals(2, roundingDivideByPOT(3, 1));
        assertEquals(-2, roundingDivideByPOT(-6, 2));
        assertEquals(-1, roundingDivideByPOT(-5, 2));
        assertEquals(-1, roundingDivideByPOT(-2, 2));
        assertEquals(1, roundingDivideByPOT(2, 2));
        assertEquals(1, roundingDivideByPOT(5, 2));
        assertEquals(2, roundingDivideByPOT(6, 2));
        assertEquals(-1, roundingDivideByPOT(MIN, 31));
        assertEquals(1, roundingDivideByPOT(MAX, 31));
    }

    private static void assertQm(double real, TfliteRounding mode, int multiplier, int shift) {
        assertEquals(new TfliteRequant.QuantizedMultiplier(multiplier, shift), quantizeMultiplier(real, mode),
                () -> "QuantizeMultiplier(" + real + ", " + mode + ")");
    }

    @ParameterizedTest
    @EnumSource(TfliteRounding.class)
    void quantizeMultiplierVectors(TfliteRounding mode) {
        assertQm(0.25, mode, 1073741824, -1);
        assertQm(0.5, mode, 1073741824, 0);
        assertQm(0.75, mode, 1610612736, 0);
        assertQm(1.25, mode, 1342177280, 1);
        assertQm(2, mode, 1073741824, 2);
        assertQm(0x1p-31, mode, 1073741824, -30);
        assertQm(0x1p-32, mode, 1073741824, -31);
        assertQm(0.99 * 0x1p-32, mode, 0, 0);
        assertQm(1e-5, mode, 1407374884, -16);
        assertQm(0, mode, 0, 0);
    }

    @Test
    void quantizeMultiplierLargeScaleDependsOnMode() {
        assertQm(3e9, DOUBLE_ROUNDING, 1500000000, 32);
        assertQm(3e9, SINGLE_ROUNDING, 2147483647, 30);
        assertThrows(IllegalArgumentException.class, () -> quantizeMultiplier(-0.5, DOUBLE_ROUNDING));
        assertThrows(IllegalArgumentException.class, () -> quantizeMultiplier(Double.NaN, DOUBLE_ROUNDING));
        assertThrows(IllegalArgumentException.class, () -> quantizeMultiplier(Double.POSITIVE_INFINITY, SINGLE_ROUNDING));
    }

    private static int mbqm(int x, double scale, TfliteRounding mode) {
        TfliteRequant.QuantizedMultiplier qm = quantizeMultiplier(scale, mode);
        return multiplyByQuantizedMultiplier(x, qm.multiplier(), qm.shift(), mode);
    }

    @Test
    void mbqmVectorsDoubleVersusSingleRounding() {
        int[][] rows = {
            // x, double, single (scale 0.25)
            {-2, -1, 0}, {-6, -2, -1}, {-10, -3, -2}, {2, 1, 1}, {6, 2, 2},
        };
        for (int[] row : rows) {
            assertEquals(row[1], mbqm(row[0], 0.25, DOUBLE_ROUNDING), "double x=" + row[0]);
            assertEquals(row[2], mbqm(row[0], 0.25, SINGLE_ROUNDING), "single x=" + row[0]);
        }
        assertEquals(11, mbqm(7, 1.5, DOUBLE_ROUNDING));
        assertEquals(11, mbqm(7, 1.5, SINGLE_ROUNDING));
        assertEquals(-10, mbqm(-7, 1.5, DOUBLE_ROUNDING));
        assertEquals(-10, mbqm(-7, 1.5, SINGLE_ROUNDING));
        for (TfliteRounding mode : TfliteRounding.values()) {
            assertEquals(-21475, mbqm(MIN, 1e-5, mode), mode.name());
            assertEquals(21475, mbqm(MAX, 1e-5, mode), mode.name());
        }
        assertEquals(0, mbqm(0, 3e9, DOUBLE_ROUNDING)); // shift 32: only x = 0 fits
        assertThrows(ArithmeticException.class, () -> mbqm(1, 3e9, DOUBLE_ROUNDING));
        assertThrows(IllegalArgumentException.class, () -> multiplyByQuantizedMultiplier(1, 1 << 30, 31, SINGLE_ROUNDING));
    }

    @Test
    void fullyConnectedInt8Vector() {
        // TFLite fully_connected_test SimpleTestQuantizedInt8: input/filter scale 0.5 zp -1, bias scale 0.25, output scale 1 zp -1, RELU
        TfliteRequant.QuantizedMultiplier qm = quantizeMultiplier(0.5 * 0.5 / 1.0, TfliteRounding.DEFAULT);
        int[] range = TfliteRequant.activationRange(TfliteRequant.Activation.RELU, 1.0f, -1, IntFormat.INT8);
        assertArrayEquals(new int[] {-1, 127}, range);
        var params = new TfliteRequant.FullyConnectedParams(1, 1, -1, qm.multiplier(), qm.shift(), range[0], range[1],
                TfliteRounding.DEFAULT);
        int[] filter = new int[30];
        for (int i = 0; i < filter.length; i++) {
            filter[i] = 2 * (i % 10) + 1;
        }
        int[] input = {1, 3, 5, 7, 9, 11, 13, 15, -19, -21, 1, 3, 5, 7, 9, 11, 13, -17, 17, -21};
        int[] out = TfliteRequant.fullyConnected(params, input, 2, filter, 3, new int[] {4, 8, 12});
        assertArrayEquals(new int[] {23, 24, 25, 57, 58, 59}, out);
    }

    @Test
    void activationRanges() {
        assertArrayEquals(new int[] {-128, 127}, TfliteRequant.activationRange(TfliteRequant.Activation.NONE, 0.1f, 3, IntFormat.INT8));
        // RELU6 at scale 0.05 zp -128: 6 / 0.05 = 120 -> -8
        assertArrayEquals(new int[] {-128, -8}, TfliteRequant.activationRange(TfliteRequant.Activation.RELU6, 0.05f, -128, IntFormat.INT8));
        // RELU_N1_TO_1 at scale 0.4 zp 0: +-2.5 rounds away from zero to +-3
        assertArrayEquals(new int[] {-3, 3}, TfliteRequant.activationRange(TfliteRequant.Activation.RELU_N1_TO_1, 0.4f, 0, IntFormat.INT8));
        // a zero point outside the format gave the range {999, 127}, its min above its max
        assertEquals("zeroPoint must be in int8 range [-128, 127], got 999", assertThrows(IllegalArgumentException.class,
                () -> TfliteRequant.activationRange(TfliteRequant.Activation.RELU, 1f, 999, IntFormat.INT8)).getMessage());
    }

    // ---- slow references -----------------------------------------------------------------------

    private static final BigInteger TWO_31 = BigInteger.ONE.shiftLeft(31);

    /** gemmlowp's literal definition: nudge, then C++ truncating division by 2^31. */
    static int slowSrdhm(int a, int b) {
        if (a == MIN && b == MIN) {
            return MAX;
        }
        BigInteger ab = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
        BigInteger nudge = ab.signum() >= 0 ? BigInteger.ONE.shiftLeft(30) : BigInteger.ONE.subtract(BigInteger.ONE.shiftLeft(30));
        return ab.add(nudge).divide(TWO_31).intValueExact(); // BigInteger.divide truncates like C++
    }

    /** x / 2^e rounded half away from zero (java.math HALF_UP). */
    static int slowRdbpot(int x, int e) {
        return Slow.divide(BigInteger.valueOf(x), BigInteger.ONE.shiftLeft(e), Rounding.HALF_AWAY).intValueExact();
    }

    /** Expected MBQM or null if it must throw ArithmeticException. */
    static Integer slowMbqm(int x, int m, int shift, TfliteRounding mode) {
        if (mode == DOUBLE_ROUNDING) {
            BigInteger shifted = BigInteger.valueOf(x).shiftLeft(Math.max(shift, 0));
            if (shifted.bitLength() > 31) {
                return null;
            }
            return slowRdbpot(slowSrdhm(shifted.intValue(), m), Math.max(-shift, 0));
        }
        // TFLite's literal formula (x * M + 2^(total - 1)) >> total, total = 31 - shift >= 1, as a floor division
        BigInteger total = BigInteger.ONE.shiftLeft(31 - shift);
        BigInteger r = Slow.floorDiv(BigInteger.valueOf(x).multiply(BigInteger.valueOf(m)).add(total.shiftRight(1)), total);
        return r.bitLength() > 31 ? null : r.intValue();
    }

    static TfliteRequant.QuantizedMultiplier slowQm(double real, TfliteRounding mode) {
        if (real == 0) {
            return new TfliteRequant.QuantizedMultiplier(0, 0);
        }
        Slow.Exact d = Slow.Exact.of(real);
        int shift = d.floorLog2() + 1; // frexp: d = m 2^shift, m in [0.5, 1)
        BigInteger q = d.timesPow2(31 - shift).round(Rounding.HALF_AWAY);
        if (q.equals(TWO_31)) {
            q = q.shiftRight(1);
            shift++;
        }
        if (shift < -31) {
            return new TfliteRequant.QuantizedMultiplier(0, 0);
        }
        if (mode == SINGLE_ROUNDING && shift > 30) {
            return new TfliteRequant.QuantizedMultiplier(MAX, 30);
        }
        return new TfliteRequant.QuantizedMultiplier(q.intValueExact(), shift);
    }

    // ---- differential tests ---------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(longs = {1L, 0xdecafL, 987654321L})
    void srdhmMatchesSlow(long seed) {
        Random r = new Random(seed);
        for (int c = 0; c < CASES_PER_SEED; c++) {
            int a = Slow.edgyInt(r);
            int b = c % 4 == 0 ? 1 << r.nextInt(31) : Slow.edgyInt(r); // powers of two make exact ties
            assertEquals(slowSrdhm(a, b), saturatingRoundingDoublingHighMul(a, b), () -> "seed " + seed + " a=" + a + " b=" + b);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {2L, 0xbeefL, 123456789L})
    void rdbpotMatchesSlow(long seed) {
        Random r = new Random(seed);
        for (int c = 0; c < CASES_PER_SEED; c++) {
            int e = c < 32 ? c : r.nextInt(32);
            int x = c % 3 == 0 && e > 0 ? (r.nextInt() >> e << e) | (1 << (e - 1)) : Slow.edgyInt(r); // ties
            assertEquals(slowRdbpot(x, e), roundingDivideByPOT(x, e), () -> "seed " + seed + " x=" + x + " e=" + e);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {3L, 0xfaceL, 555555555L})
    void mbqmMatchesSlowInBothModes(long seed) {
        Random r = new Random(seed);
        for (TfliteRounding mode : TfliteRounding.values()) {
            for (int c = 0; c < CASES_PER_SEED; c++) {
                int x = Slow.edgyInt(r);
                int m = switch (r.nextInt(4)) {
                    case 0 -> 1 << 30;
                    case 1 -> MAX;
                    case 2 -> (1 << 30) + r.nextInt(1 << 30);
                    default -> r.nextInt(MAX);
                };
                int shift = mode == SINGLE_ROUNDING ? r.nextInt(62) - 31 : r.nextInt(40) - 31;
                if (r.nextInt(3) == 0) {
                    shift = Math.min(shift, 0); // mostly in-range results
                }
                Integer expected = slowMbqm(x, m, shift, mode);
                int fx = x;
                int fs = shift;
                Supplier<String> msg = () -> "seed " + seed + " " + mode + " x=" + fx + " m=" + m + " shift=" + fs;
                if (expected == null) {
                    assertThrows(ArithmeticException.class, () -> multiplyByQuantizedMultiplier(fx, m, fs, mode), msg);
                } else {
                    assertEquals(expected.intValue(), multiplyByQuantizedMultiplier(x, m, shift, mode), msg);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {4L, 0xabcdefL, 31415926L})
    void quantizeMultiplierMatchesSlow(long seed) {
        Random r = new Random(seed);
        for (TfliteRounding mode : TfliteRounding.values()) {
            for (int c = 0; c < CASES_PER_SEED; c++) {
                double real = switch (r.nextInt(5)) { // case 3 (subnormals) a fifth as often: its exact decoding is slow
                    // mantissa * 2^31 exactly x.5: a tie for the half-away rounding
                    case 0 -> Math.scalb((double) ((1L << 31) + 2L * r.nextInt(1 << 30) + 1), r.nextInt(80) - 70);
                    // just below a power of two: rounds up to 2^31, then halved
                    case 1 -> Math.scalb(1 - Math.scalb(1.0, -33 - r.nextInt(20)), r.nextInt(80) - 40);
                    case 2 -> Math.scalb(1.0, r.nextInt(80) - 50);
                    case 3 -> r.nextInt(5) == 0 ? Double.MIN_VALUE * (1 + r.nextInt(1000))
                            : Math.scalb(1 + r.nextDouble(), -40 - r.nextInt(20)); // flushed to (0, 0)
                    default -> Math.scalb(1 + r.nextDouble(), r.nextInt(100) - 60);
                };
                assertEquals(slowQm(real, mode), quantizeMultiplier(real, mode), () -> "seed " + seed + " " + mode + " real=" + real);
            }
        }
    }

    @Test
    void fullyConnectedRejectsOutOfFormatParameters() {
        TfliteRequant.QuantizedMultiplier qm = quantizeMultiplier(0.25, TfliteRounding.DEFAULT);
        int[] one = {1};
        int[][] bad = {
            {200, 0, 0, -128, 127}, // input zero point -200
            {0, Integer.MIN_VALUE, 0, -128, 127}, // filter zero point 2^31: (filter + offset) would wrap in int
            {0, 0, 128, -128, 127},
            {0, 0, 0, -129, 127},
            {0, 0, 0, 10, 5},
        };
        String[] names = {"inputOffset", "weightsOffset", "outputOffset", "quantizedActivationMin", "quantizedActivationMin"};
        for (int i = 0; i < bad.length; i++) {
            int[] b = bad[i];
            var p = new TfliteRequant.FullyConnectedParams(b[0], b[1], b[2], qm.multiplier(), qm.shift(), b[3], b[4],
                    TfliteRounding.DEFAULT);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TfliteRequant.fullyConnected(p, one, 1, one, 1, null));
            assertTrue(e.getMessage().contains(names[i]), e.getMessage());
        }
        var ok = new TfliteRequant.FullyConnectedParams(0, 0, 0, qm.multiplier(), qm.shift(), -128, 127, TfliteRounding.DEFAULT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TfliteRequant.fullyConnected(ok, new int[] {1, 2, 300}, 1, new int[3], 1, null));
        assertTrue(e.getMessage().contains("input[2]") && e.getMessage().contains("300"), e.getMessage());
        // outputDepth * depth = 2^16 * 2^16 would wrap to 0
        e = assertThrows(IllegalArgumentException.class,
                () -> TfliteRequant.fullyConnected(ok, new int[1 << 16], 1, new int[0], 1 << 16, null));
        assertTrue(e.getMessage().contains("outputDepth * depth"), e.getMessage());
        // a bias next to INT32_MAX plus a positive sum leaves TFLite's int32 accumulator
        ArithmeticException overflow = assertThrows(ArithmeticException.class,
                () -> TfliteRequant.fullyConnected(ok, new int[] {127}, 1, new int[] {127}, 1, new int[] {Integer.MAX_VALUE}));
        assertTrue(overflow.getMessage().contains("accumulator"), overflow.getMessage());
    }
}
