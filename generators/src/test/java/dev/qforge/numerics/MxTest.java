package dev.qforge.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qforge.numerics.Slow.Exact;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * OCP MX v1.0: the issue 4 vectors; element encoding and block conversion (shared exponent,
 * saturation, ties, subnormals, NaN / infinity) against the independent {@link SlowMx}, 100,000+
 * elements per element type each; every code round-tripping through elements and through blocks;
 * exact dot products.
 */
class MxTest {
    private static double[] issueBlock() {
        double[] v = new double[32];
        v[0] = 1000;
        v[1] = 1;
        v[2] = -0.3;
        v[3] = 3;
        return v;
    }

    @Test
    void e4m3Vector() {
        Mx.Blocks b = Mx.quantize(issueBlock(), MxElementType.FP8_E4M3, Mx.BLOCK_SIZE);
        assertEquals(128, b.scales()[0]);
        assertEquals(0x7e, b.codes()[0]);
        assertEquals(0x30, b.codes()[1]);
        assertEquals(0xa2, b.codes()[2]);
        assertEquals(0x3c, b.codes()[3]);
        double[] d = Mx.decode(b);
        assertEquals(896.0, d[0]);
        assertEquals(1.0, d[1]);
        assertEquals(-0.3125, d[2]);
        assertEquals(3.0, d[3]);
    }

    @Test
    void e5m2Vector() {
        Mx.Blocks b = Mx.quantize(issueBlock(), MxElementType.FP8_E5M2, Mx.BLOCK_SIZE);
        assertEquals(121, b.scales()[0]);
        double[] d = Mx.decode(b);
        assertArrayEquals(new double[] {896, 1, -0.3125, 3}, new double[] {d[0], d[1], d[2], d[3]});
    }

    @Test
    void e3m2Vector() {
        Mx.Blocks b = Mx.quantize(issueBlock(), MxElementType.FP6_E3M2, Mx.BLOCK_SIZE);
        assertEquals(132, b.scales()[0]);
        double[] d = Mx.decode(b);
        assertEquals(896.0, d[0]);
        assertEquals(0.0, d[1]);
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(d[1]));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(d[2]), "-0.3 becomes -0");
        assertEquals(4.0, d[3]);
    }

    @Test
    void e2m1Vector() {
        Mx.Blocks b = Mx.quantize(issueBlock(), MxElementType.FP4_E2M1, Mx.BLOCK_SIZE);
        assertEquals(134, b.scales()[0]);
        assertEquals(768.0, Mx.decode(b)[0]);
    }

    @Test
    void mxint8Vector() {
        Mx.Blocks b = Mx.quantize(issueBlock(), MxElementType.INT8, Mx.BLOCK_SIZE);
        assertEquals(136, b.scales()[0]);
        assertEquals(0x7d, b.codes()[0]);
        double[] d = Mx.decode(b);
        assertArrayEquals(new double[] {1000, 0, 0, 0}, new double[] {d[0], d[1], d[2], d[3]});
    }

    @Test
    void allE2m1CodesDecode() {
        double[] magnitudes = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
        for (int code = 0; code < 16; code++) {
            double expected = (code & 8) != 0 ? -magnitudes[code & 7] : magnitudes[code & 7];
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(MxElementType.FP4_E2M1.decode(code)),
                    "E2M1 code " + code);
        }
    }

    @Test
    void maxNormalsAndSpecials() {
        assertEquals(448.0, MxElementType.FP8_E4M3.decode(0x7e));
        assertTrue(Double.isNaN(MxElementType.FP8_E4M3.decode(0x7f)));
        assertEquals(57344.0, MxElementType.FP8_E5M2.decode(0x7b));
        assertEquals(Double.POSITIVE_INFINITY, MxElementType.FP8_E5M2.decode(0x7c));
        assertEquals(Double.NEGATIVE_INFINITY, MxElementType.FP8_E5M2.decode(0xfc));
        assertEquals(28.0, MxElementType.FP6_E3M2.decode(0x1f));
        assertEquals(7.5, MxElementType.FP6_E2M3.decode(0x1f));
        assertEquals(0x1p-9, MxElementType.FP8_E4M3.decode(0x01));
        assertEquals(0x1p-16, MxElementType.FP8_E5M2.decode(0x01));
        assertEquals(-2.0, MxElementType.INT8.decode(0x80));
        for (MxElementType t : MxElementType.values()) {
            assertEquals(Rounded.floorLog2(t.maxNormal()), t.emax(), t.name() + " emax is the exponent of the max normal");
            assertEquals(t.encode(t.maxNormal()), t.encode(1e30), t.name() + " saturates");
            assertEquals(t.maxNormal(), t.decode(t.encode(1e30)), t.name());
        }
    }

    @Test
    void e8m0Scale() {
        assertEquals(1.0, Mx.scaleValue(127));
        assertEquals(0x1p-127, Mx.scaleValue(0));
        assertEquals(0x1p127, Mx.scaleValue(254));
        assertTrue(Double.isNaN(Mx.scaleValue(255)));
        double[] v = new double[32];
        assertEquals(0, Mx.sharedScale(v, 0, 32, MxElementType.FP8_E4M3.emax()), "all-zero block clamps to -127");
        assertEquals(1, Mx.sharedScale(v, 0, 32, MxElementType.INT8.emax()), "all-zero block: 2^-126 stand-in");
        v[5] = Double.NaN;
        assertEquals(Mx.SCALE_NAN, Mx.sharedScale(v, 0, 32, 8));
        v[5] = Double.NEGATIVE_INFINITY;
        assertEquals(Mx.SCALE_NAN, Mx.sharedScale(v, 0, 32, 8));
        v[5] = 0x1p200;
        assertEquals(Mx.SCALE_NAN, Mx.sharedScale(v, 0, 32, 8), "shared exponent above 127");
        v[5] = 0x1p-140;
        assertEquals(0, Mx.sharedScale(v, 0, 32, 8), "underflow clamps to -127");
        // a block past v's end was an ArrayIndexOutOfBoundsException, an empty one the scale of zeros
        assertEquals("block [0, 33) must be a non-empty range of v's 32 elements",
                assertThrows(IllegalArgumentException.class, () -> Mx.sharedScale(v, 0, 33, 8)).getMessage());
        assertEquals("block [10, 5) must be a non-empty range of v's 32 elements",
                assertThrows(IllegalArgumentException.class, () -> Mx.sharedScale(v, 10, 5, 8)).getMessage());
        double[] withNan = new double[40];
        withNan[33] = Double.NaN;
        double[] decoded = Mx.decode(Mx.quantize(withNan, MxElementType.FP8_E4M3, 32));
        assertEquals(0.0, decoded[0]);
        assertTrue(Double.isNaN(decoded[39]), "the NaN block (a short last block) decodes to NaN");
    }

    @ParameterizedTest
    @EnumSource(MxElementType.class)
    void everyCodeRoundTrips(MxElementType t) {
        for (int code = 0; code < 1 << t.bits(); code++) {
            int expected = code;
            if (t.isNaN(code)) {
                expected = 0x7F; // canonical NaN
            } else if (t == MxElementType.INT8 && code == 0x80) {
                expected = 0x81; // -2 saturates symmetrically to -127/64
            }
            int c = code;
            assertEquals(expected, t.encode(t.decode(code)), () -> t + " code 0x" + Integer.toHexString(c));
        }
    }

    @Test
    void encodeSpecialValues() {
        assertEquals(0x7F, MxElementType.FP8_E4M3.encode(Double.NaN));
        assertEquals(0x7E, MxElementType.FP8_E4M3.encode(Double.POSITIVE_INFINITY));
        assertEquals(0xFC, MxElementType.FP8_E5M2.encode(Double.NEGATIVE_INFINITY));
        assertEquals(0x80, MxElementType.FP8_E4M3.encode(-0x1p-20), "tiny negatives keep the sign");
        assertThrows(IllegalArgumentException.class, () -> MxElementType.FP4_E2M1.encode(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> MxElementType.FP4_E2M1.decode(16));
    }

    @Test
    void accumulatorWidths() {
        assertEquals(21, Mx.accumulatorBits(MxElementType.INT8, MxElementType.INT8, 32));
        assertEquals(42, Mx.accumulatorBits(MxElementType.FP8_E4M3, MxElementType.FP8_E4M3, 32));
        assertEquals(70, Mx.accumulatorBits(MxElementType.FP8_E5M2, MxElementType.FP8_E5M2, 32));
        assertEquals(24, Mx.accumulatorBits(MxElementType.FP6_E3M2, MxElementType.FP6_E3M2, 32));
        assertEquals(18, Mx.accumulatorBits(MxElementType.FP6_E2M3, MxElementType.FP6_E2M3, 32));
        assertEquals(14, Mx.accumulatorBits(MxElementType.FP4_E2M1, MxElementType.FP4_E2M1, 32));
    }

    @Test
    void dotProductIsExactPerBlock() {
        Random r = new Random(2024);
        MxElementType[] types = MxElementType.values();
        for (int c = 0; c < 600; c++) {
            int trial = c;
            MxElementType ta = types[r.nextInt(types.length)];
            MxElementType tb = c % 3 == 0 ? ta : types[r.nextInt(types.length)];
            int n = 1 + r.nextInt(100);
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                // wide dynamic range inside a block exercises the 70-bit E5M2 accumulator
                x[i] = Math.scalb(r.nextGaussian(), r.nextInt(40) - 20);
                y[i] = Math.scalb(r.nextGaussian(), r.nextInt(40) - 20);
            }
            Mx.Blocks a = Mx.quantize(x, ta, Mx.BLOCK_SIZE);
            Mx.Blocks b = Mx.quantize(y, tb, Mx.BLOCK_SIZE);
            for (DotPrecision p : DotPrecision.values()) {
                assertEquals(Slow.dot(Mx.decode(a), Mx.decode(b), Mx.BLOCK_SIZE, p == DotPrecision.FP32), Mx.dot(a, b, p), 0.0,
                        () -> "case " + trial + " " + ta + " x " + tb + " " + p);
            }
        }
    }

    @Test
    void dotProductE5m2ExtremeRange() {
        // products from 2^-32 to 2^31.8 in one block: a 70-bit sum whose low bits decide the FP64 rounding
        int[] codesA = new int[32];
        int[] codesB = new int[32];
        codesA[0] = 0x7b;
        codesB[0] = 0x7b; // 57344^2
        codesA[1] = 0x01;
        codesB[1] = 0x01; // 2^-32
        for (int i = 2; i < 32; i++) {
            codesA[i] = 0x7b;
            codesB[i] = 0xfb; // -57344^2
        }
        codesA[31] = 0x00; // +0 * anything
        Mx.Blocks a = new Mx.Blocks(MxElementType.FP8_E5M2, 32, new int[] {127}, codesA);
        Mx.Blocks b = new Mx.Blocks(MxElementType.FP8_E5M2, 32, new int[] {127}, codesB);
        for (DotPrecision p : DotPrecision.values()) {
            assertEquals(Slow.dot(Mx.decode(a), Mx.decode(b), 32, p == DotPrecision.FP32), Mx.dot(a, b, p), 0.0, p.name());
        }
        // a 64-bit sum 2^63 + 2^10 (+ 1): a binary64 tie that only the lowest product breaks
        // 0x78 = 2^15 (sig 4, quantum shift 29): 0x78 * 0x78 = 2^30 = 2^62 units of 2^-32
        // 0x10 = 2^-12 (sig 4, shift 3): 0x10 * 0x10 = 2^-24 = 2^10 units; 0x01 = 2^-16: 0x01 * 0x01 = 1 unit
        int[] tie = new int[32];
        tie[0] = 0x78;
        tie[1] = 0x78;
        tie[2] = 0x10;
        Mx.Blocks t = new Mx.Blocks(MxElementType.FP8_E5M2, 32, new int[] {127}, tie);
        assertEquals(0x1p31, Mx.dot(t, t, DotPrecision.FP64), "tie to even");
        int[] tiePlusOne = tie.clone();
        tiePlusOne[3] = 0x01;
        Mx.Blocks t1 = new Mx.Blocks(MxElementType.FP8_E5M2, 32, new int[] {127}, tiePlusOne);
        assertEquals(0x1p31 + 0x1p-21, Mx.dot(t1, t1, DotPrecision.FP64), "the sticky unit breaks the tie upward");
        assertEquals(0x1p31, Mx.dot(t1, t1, DotPrecision.FP32));
        // specials: an infinity times zero is NaN; a NaN scale is NaN
        codesB[31] = 0x7c;
        assertTrue(Double.isNaN(Mx.dot(a, new Mx.Blocks(MxElementType.FP8_E5M2, 32, new int[] {127}, codesB), DotPrecision.FP32)));
        assertTrue(Double.isNaN(Mx.dot(a, new Mx.Blocks(MxElementType.FP8_E5M2, 32, new int[] {255}, codesA), DotPrecision.FP32)));
    }

    private static final int ELEMENTS_PER_TYPE = 100_000;

    /**
     * A value meant for an element with shared exponent x: exact ties and grid values of the type,
     * near ties, random magnitudes down to far below the smallest subnormal, values beyond the
     * largest normal, signed zeros. Ties are built from SlowMx's grid, so they are ties by the spec.
     */
    private static double elementValue(Random r, MxElementType t, int x) {
        long[] units = SlowMx.units(t);
        int unit = SlowMx.unitExponent(t) + x;
        int i = r.nextInt(units.length - 1);
        double sign = r.nextBoolean() ? 1 : -1;
        return sign * switch (r.nextInt(9)) {
            case 0, 1 -> Math.scalb((double) (units[i] + units[i + 1]), unit - 1); // exact tie between neighbours
            case 2 -> Math.scalb((double) units[i], unit); // exactly on the grid
            case 3 -> Math.scalb((double) (units[i] + units[i + 1]), unit - 1) * (1 + (r.nextBoolean() ? 0x1p-40 : -0x1p-40));
            case 4 -> Math.scalb(1 + r.nextDouble(), SlowMx.emax(t) + x) * (1 + r.nextDouble()); // up to 4x the top binade: saturates
            case 5 -> Math.scalb(r.nextDouble(), unit - r.nextInt(40)); // subnormal, half the smallest quantum, flush to zero
            case 6 -> r.nextInt(20) == 0 ? 0.0 : Math.scalb((double) units[units.length - 1], unit); // zero (then -0.0) or max
            default -> Math.scalb(r.nextDouble(), SlowMx.emax(t) + 1 + x - r.nextInt(24));
        };
    }

    /** Shared exponents: mostly moderate, also at and beyond both ends of the E8M0 range. */
    private static int blockExponent(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> -140 + r.nextInt(20); // clamped to -127: elements flush toward zero
            case 1 -> 118 + r.nextInt(18); // up to and beyond 127: NaN scale
            case 2 -> r.nextInt(255) - 127;
            default -> r.nextInt(41) - 20;
        };
    }

    @ParameterizedTest
    @EnumSource(MxElementType.class)
    void encodeScaledMatchesSlowReference(MxElementType t) {
        Random r = new Random(4100 + t.ordinal());
        boolean hasNaN = t == MxElementType.FP8_E4M3 || t == MxElementType.FP8_E5M2;
        for (int c = 0; c < ELEMENTS_PER_TYPE; c++) {
            int x = blockExponent(r);
            double v = switch (r.nextInt(200)) {
                case 0 -> hasNaN ? Double.NaN : 0.0;
                case 1 -> Double.POSITIVE_INFINITY;
                case 2 -> Double.NEGATIVE_INFINITY;
                default -> elementValue(r, t, x);
            };
            assertEquals(SlowMx.encode(t, v, x), t.encodeScaled(v, x), () -> t + " v=" + v + " x=" + x);
        }
    }

    /**
     * A random tensor in blocks of blockSize: each block has its own exponent, usually an anchor element that fixes
     * it, and rarely a NaN, an infinity or only zeros.
     */
    private static double[] randomTensor(Random r, MxElementType t, int length, int blockSize) {
        double[] v = new double[length];
        for (int from = 0; from < length; from += blockSize) {
            int to = Math.min(length, from + blockSize);
            int x = blockExponent(r);
            for (int i = from; i < to; i++) {
                v[i] = elementValue(r, t, x);
            }
            if (r.nextInt(4) != 0) {
                // an anchor in the top binade: the block's exponent is exactly x (before clamping)
                v[from + r.nextInt(to - from)] = (r.nextBoolean() ? 1 : -1) * Math.scalb(1 + r.nextDouble(), SlowMx.emax(t) + x);
            }
            switch (r.nextInt(40)) {
                case 0 -> v[from + r.nextInt(to - from)] = Double.NaN;
                case 1 -> v[from + r.nextInt(to - from)] = r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                case 2 -> java.util.Arrays.fill(v, from, to, r.nextBoolean() ? 0.0 : -0.0); // all-zero block
                default -> {
                }
            }
        }
        return v;
    }

    @ParameterizedTest
    @EnumSource(MxElementType.class)
    void quantizeMatchesSlowReference(MxElementType t) {
        Random r = new Random(6300 + t.ordinal());
        int elements = 0;
        for (int tensor = 0; elements < ELEMENTS_PER_TYPE; tensor++) {
            int blockSize = r.nextInt(4) == 0 ? 1 + r.nextInt(64) : Mx.BLOCK_SIZE;
            double[] v = randomTensor(r, t, 1 + r.nextInt(4 * blockSize), blockSize);
            Mx.Blocks got = Mx.quantize(v, t, blockSize);
            SlowMx.Blocks expected = SlowMx.quantize(v, t, blockSize);
            int n = tensor;
            assertArrayEquals(expected.scales(), got.scales(), () -> t + " tensor " + n + ": scale bytes");
            assertArrayEquals(expected.codes(), got.codes(), () -> t + " tensor " + n + ": codes");
            elements += v.length;
        }
    }

    /**
     * Every finite code in blocks of every kind of scale byte (0, 1, 127, 254, ...): the decoded
     * values are the spec's (SlowMx), and converting them back gives the same scale bytes and codes.
     * Each block starts with an anchor code from the top binade so the shared exponent is recovered.
     * Excluded: NaN and infinity codes (they make the block NaN, checked below) and MXINT8 0x80
     * (-2, which the symmetric saturation never produces).
     */
    @ParameterizedTest
    @EnumSource(MxElementType.class)
    void everyCodeRoundTripsThroughBlocks(MxElementType t) {
        List<Integer> finite = new ArrayList<>();
        List<Integer> anchors = new ArrayList<>();
        for (int code = 0; code < 1 << t.bits(); code++) {
            Exact value = SlowMx.value(t, code);
            if (value != null && !(t == MxElementType.INT8 && code == 0x80)) {
                finite.add(code);
                if (value.signum() != 0 && value.floorLog2() == SlowMx.emax(t)) {
                    anchors.add(code);
                }
            }
        }
        int perBlock = Mx.BLOCK_SIZE - 1;
        int blocks = (finite.size() + perBlock - 1) / perBlock;
        for (int scale : new int[] {0, 1, 2, 64, 126, 127, 128, 200, 253, 254}) {
            int[] codes = new int[blocks * Mx.BLOCK_SIZE];
            int[] scales = new int[blocks];
            java.util.Arrays.fill(scales, scale);
            for (int j = 0, k = 0; j < blocks; j++) {
                codes[j * Mx.BLOCK_SIZE] = anchors.get(j % anchors.size());
                for (int i = 1; i < Mx.BLOCK_SIZE; i++, k++) {
                    codes[j * Mx.BLOCK_SIZE + i] = finite.get(k % finite.size());
                }
            }
            Mx.Blocks b = new Mx.Blocks(t, Mx.BLOCK_SIZE, scales, codes);
            double[] decoded = Mx.decode(b);
            for (int i = 0; i < codes.length; i++) {
                Exact expected = SlowMx.value(t, codes[i]).timesPow2(scale - 127);
                int at = i;
                assertTrue(expected.sameValue(decoded[i]) && (decoded[i] != 0 || (1 / decoded[i] < 0) == SlowMx.isNegative(t, codes[i])),
                        () -> t + " scale " + scale + " code 0x" + Integer.toHexString(codes[at]) + " decoded " + decoded[at]);
            }
            Mx.Blocks again = Mx.quantize(decoded, t, Mx.BLOCK_SIZE);
            assertArrayEquals(scales, again.scales(), () -> t + " scale " + scale);
            assertArrayEquals(codes, again.codes(), () -> t + " scale " + scale);
        }
        if (t == MxElementType.FP8_E4M3 || t == MxElementType.FP8_E5M2) {
            int[] codes = new int[Mx.BLOCK_SIZE];
            codes[0] = anchors.get(0);
            codes[5] = t == MxElementType.FP8_E5M2 ? 0xFC : 0xFF; // -infinity / a NaN
            double[] decoded = Mx.decode(new Mx.Blocks(t, Mx.BLOCK_SIZE, new int[] {127}, codes));
            assertArrayEquals(new int[] {Mx.SCALE_NAN}, Mx.quantize(decoded, t, Mx.BLOCK_SIZE).scales());
        }
    }

    @Test
    void blockArithmeticNeverOverflows() {
        // ceil((2^31 - 1) / 32) without forming length + blockSize - 1, and the end of the last block
        assertEquals(1 << 26, Mx.blockCount(Integer.MAX_VALUE, 32));
        assertEquals(Integer.MAX_VALUE / Mx.MAX_BLOCK_SIZE + 1, Mx.blockCount(Integer.MAX_VALUE, Mx.MAX_BLOCK_SIZE));
        assertEquals(Integer.MAX_VALUE, Mx.blockEnd(Integer.MAX_VALUE - 5, 32, Integer.MAX_VALUE));
        assertEquals(64, Mx.blockEnd(32, 32, 100));
        assertThrows(IllegalArgumentException.class, () -> Mx.blockCount(10, 0));
        assertThrows(IllegalArgumentException.class, () -> Mx.blockCount(10, Mx.MAX_BLOCK_SIZE + 1));
    }
}
