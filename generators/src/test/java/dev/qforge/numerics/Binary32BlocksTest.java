package dev.qforge.numerics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Binary32Blocks}, the integer formulation the quantize RTL is built from, equals the rules
 * it restates: {@link Mx#sharedScale}, {@link MxElementType#encodeScaled} and {@link Bfp#roundMantissa}.
 */
class Binary32BlocksTest {
    /** Scale bytes covering the clamp at 0, the middle and the top of E8M0. */
    private static final int[] SCALES = {0, 1, 2, 3, 5, 8, 13, 20, 40, 100, 120, 126, 127, 128, 130, 150, 200, 240, 250, 253, 254};

    /** Every finite bf16 value (exactly the binary32 values with 16 zero low bits), in every scale that holds it. */
    @ParameterizedTest
    @EnumSource(MxElementType.class)
    void everyBf16ValueEncodesAsMxElementTypeDoes(MxElementType type) {
        Binary32Blocks.Element e = Binary32Blocks.Element.of(type);
        int compared = 0;
        for (int scale : SCALES) {
            for (int hi = 0; hi < 1 << 16; hi++) {
                int x = hi << 16;
                if (inBlock(x, scale, e.emax())) {
                    double v = Float.intBitsToFloat(x);
                    assertEquals(type.encodeScaled(v, scale - Mx.SCALE_BIAS), Binary32Blocks.encode(x, scale, e),
                            () -> type + " x = 0x" + Integer.toHexString(x) + " scale " + scale);
                    compared++;
                }
            }
        }
        assertEquals(true, compared > 500_000, "compared " + compared);
    }

    @ParameterizedTest
    @EnumSource(MxElementType.class)
    void randomBinary32ValuesEncodeAsMxElementTypeDoes(MxElementType type) {
        Binary32Blocks.Element e = Binary32Blocks.Element.of(type);
        Random rnd = new Random(type.ordinal());
        for (int c = 0; c < 300_000; c++) {
            int x = rnd.nextInt() & ~(0xFF << 23) | rnd.nextInt(255) << 23;
            int scale = Math.max(0, Math.min(254, Binary32Blocks.exponentField(x) - e.emax() + rnd.nextInt(4)));
            if (inBlock(x, scale, e.emax())) {
                assertEquals(type.encodeScaled(Float.intBitsToFloat(x), scale - Mx.SCALE_BIAS), Binary32Blocks.encode(x, scale, e),
                        "x = 0x" + Integer.toHexString(x) + " scale " + scale);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 8, 12, 16, 23, 24})
    void bfpMantissasRoundAsBfpDoes(int bits) {
        Binary32Blocks.Element e = Binary32Blocks.Element.bfp(bits);
        Random rnd = new Random(bits);
        for (int c = 0; c < 300_000; c++) {
            int x = rnd.nextInt() & ~(0xFF << 23) | rnd.nextInt(255) << 23;
            if (rnd.nextInt(4) == 0) {
                x &= 0xFFFF0000 | rnd.nextInt(16); // short mantissas: ties
            }
            int scale = Math.max(0, Math.min(254, Binary32Blocks.exponentField(x) + rnd.nextInt(30)));
            if (inBlock(x, scale, 0)) {
                int expected = Bfp.roundMantissa(Float.intBitsToFloat(x), scale - Mx.SCALE_BIAS, bits) & ((1 << bits) - 1);
                assertEquals(expected, Binary32Blocks.encode(x, scale, e), "x = 0x" + Integer.toHexString(x) + " scale " + scale);
            }
        }
    }

    /** Blocks of every kind: the scale from exponent fields equals Mx.sharedScale on the values. */
    @Test
    void scaleBytesEqualMxSharedScale() {
        Random rnd = new Random(12);
        for (int c = 0; c < 50_000; c++) {
            int[] x = new int[1 + rnd.nextInt(40)];
            int top = rnd.nextInt(4) == 0 ? rnd.nextInt(3) : rnd.nextInt(256);
            for (int i = 0; i < x.length; i++) {
                int exp = Math.max(0, top - rnd.nextInt(5));
                int mantissa = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(1 << 23);
                x[i] = rnd.nextInt(3) == 0 ? (rnd.nextBoolean() ? 0x80000000 : 0) : rnd.nextInt(2) << 31 | exp << 23 | mantissa;
            }
            double[] v = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                v[i] = Float.intBitsToFloat(x[i]);
            }
            for (MxElementType t : MxElementType.values()) {
                assertEquals(Mx.sharedScale(v, 0, v.length, t.emax()), Binary32Blocks.scaleByte(x, 0, x.length, t.emax()));
            }
        }
    }

    @Test
    void elementConstantsComeFromTheTypes() {
        assertEquals(new Binary32Blocks.Element(8, 3, 7, false, 0x7E, 8), Binary32Blocks.Element.of(MxElementType.FP8_E4M3));
        assertEquals(new Binary32Blocks.Element(8, 2, 15, false, 0x7B, 15), Binary32Blocks.Element.of(MxElementType.FP8_E5M2));
        assertEquals(new Binary32Blocks.Element(6, 2, 3, false, 0x1F, 4), Binary32Blocks.Element.of(MxElementType.FP6_E3M2));
        assertEquals(new Binary32Blocks.Element(6, 3, 1, false, 0x1F, 2), Binary32Blocks.Element.of(MxElementType.FP6_E2M3));
        assertEquals(new Binary32Blocks.Element(4, 1, 1, false, 0x7, 2), Binary32Blocks.Element.of(MxElementType.FP4_E2M1));
        assertEquals(new Binary32Blocks.Element(8, 6, 1, true, 127, 0), Binary32Blocks.Element.of(MxElementType.INT8));
        assertEquals(new Binary32Blocks.Element(8, 6, 1, true, 127, 0), Binary32Blocks.Element.bfp(8));
    }

    /** Finite x below the top of a block of that scale: |x| < 2^(scale - 127 + emax + 1). */
    private static boolean inBlock(int x, int scale, int emax) {
        int exp = Binary32Blocks.exponentField(x);
        return exp != Binary32Blocks.SPECIAL_EXPONENT
                && (Binary32Blocks.isZero(x) || Math.max(exp, 1) - Binary32Blocks.leadingZeros(x) <= scale + emax);
    }
}
