package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;

/**
 * The MX and BFP conversion of {@link Mx#quantize} and {@link Bfp#quantize}, restated on IEEE
 * binary32 bit patterns in the integer steps hardware takes (exponent fields, a leading-zero count,
 * one round-to-nearest-even right shift, a saturating compare). Tests prove it equal to those rules;
 * the quantize units' RTL is built from it.
 *
 * <p>Shared scale: with E the largest exponent field of the block, the scale byte is 0xFF when
 * E = 255 (a NaN or infinity), else max(E' - emax, 0) where E' = 1 for an all-zero block
 * (microxcaling's 2^-126 stand-in) and E otherwise: floor(log2(max|x|)) + 127 is E for a
 * normal maximum, and a subnormal maximum (E = 0) clamps to byte 0 like a zero exponent would.
 *
 * <p>Element: x = S * 2^(e - 23) with S normalised to 24 bits (hidden bit at 23, subnormals shifted
 * up by their leading-zero count lz, e = max(E, 1) - 127 - lz). With t = e - X (X the shared
 * exponent), the element's quantum is 2^max(t - M, 1 - bias - M), so the rounded significand is
 * R = RNE(S / 2^r), r = 23 - M + max(0, 1 - bias - t), and the magnitude code is
 * max(t + bias - 1, 0) * 2^M + R (a carry out of R moves into the exponent field), saturated to the
 * largest finite magnitude code. Integer elements (MXINT8, BFP) have bias 1 and t <= 0, so their
 * code is R, saturated symmetrically and negated for a negative x.
 */
public final class Binary32Blocks {
    /** The binary32 exponent field of infinities and NaNs. */
    public static final int SPECIAL_EXPONENT = 0xFF;

    private Binary32Blocks() {
    }

    /**
     * An element type as the integer formulation sees it.
     *
     * @param bits         code width
     * @param mantissaBits M: mantissa field width, fraction bits of an integer element
     * @param bias         exponent bias (1 for integers: their quantum is 2^-M)
     * @param integer      two's complement codes (MXINT8, BFP) rather than sign-magnitude floats
     * @param maxMagnitude the magnitude code of the largest finite value (sign bit clear)
     * @param emax         exponent of the largest normal, emax_elem of the scale rule
     */
    public record Element(int bits, int mantissaBits, int bias, boolean integer, int maxMagnitude, int emax) {
        /** The exponent field width of a float element (0 for integers). */
        public int exponentBits() {
            return integer ? 0 : bits - 1 - mantissaBits;
        }

        /** An OCP MX element type, its constants read from {@link MxElementType}. */
        public static Element of(MxElementType t) {
            boolean integer = t.exponentBits() == 0;
            int maxMagnitude = t.encode(t.maxNormal());
            return new Element(t.bits(), t.mantissaBits(), 1 - t.mantissaBits() - t.minExponent(), integer, maxMagnitude, t.emax());
        }

        /** An n-bit BFP mantissa ({@link Bfp}): n - 2 fraction bits, emax 0, saturating at 2^(n-1) - 1. */
        public static Element bfp(int mantissaBits) {
            Bfp.requireMantissaBits(mantissaBits);
            return new Element(mantissaBits, mantissaBits - 2, 1, true, (1 << (mantissaBits - 1)) - 1, 0);
        }
    }

    /** The binary32 exponent field of x. */
    public static int exponentField(int x) {
        return (x >>> 23) & 0xFF;
    }

    /** Whether x is +0 or -0. */
    public static boolean isZero(int x) {
        return (x & 0x7FFFFFFF) == 0;
    }

    /**
     * The E8M0 scale byte of a block from its largest exponent field and whether any element is
     * nonzero (see the class comment).
     */
    public static int scaleByte(int maxExponentField, boolean anyNonzero, int emax) {
        if (maxExponentField < 0 || maxExponentField > SPECIAL_EXPONENT) {
            throw new IllegalArgumentException("maxExponentField must be in 0..255, got " + maxExponentField);
        }
        if (maxExponentField == SPECIAL_EXPONENT) {
            return Mx.SCALE_NAN;
        }
        int e = maxExponentField == 0 && !anyNonzero ? 1 : maxExponentField;
        return Math.max(e - emax, 0);
    }

    /** The scale byte of x[from, to) (see {@link #scaleByte(int, boolean, int)}). */
    public static int scaleByte(int[] x, int from, int to, int emax) {
        int max = 0;
        boolean nonzero = false;
        for (int i = from; i < to; i++) {
            max = Math.max(max, exponentField(x[i]));
            nonzero |= !isZero(x[i]);
        }
        return scaleByte(max, nonzero, emax);
    }

    /** Leading zeros of the 24-bit significand of a nonzero finite x (0 for normals). */
    public static int leadingZeros(int x) {
        return Integer.numberOfLeadingZeros(significand(x)) - 8;
    }

    private static int significand(int x) {
        int fraction = x & 0x7FFFFF;
        return exponentField(x) == 0 ? fraction : fraction | 1 << 23;
    }

    /**
     * The code of finite x in a block of scale byte {@code scale} (not 0xFF); x must lie below the
     * block's top, |x| < 2^(scale - 127 + emax + 1), as every element of the block the scale was
     * computed from does. Float codes are sign-magnitude, integer codes two's complement, both
     * masked to {@code e.bits()}.
     */
    public static int encode(int x, int scale, Element e) {
        if (exponentField(x) == SPECIAL_EXPONENT || scale < 0 || scale >= Mx.SCALE_NAN) {
            throw new IllegalArgumentException("x must be finite and scale in 0..254, got x = 0x" + Integer.toHexString(x)
                    + ", scale " + scale);
        }
        boolean negative = x < 0;
        int magnitude = 0;
        if (!isZero(x)) {
            int lz = leadingZeros(x);
            int t = Math.max(exponentField(x), 1) - lz - scale; // e - X: both biased by 127
            if (t > e.emax()) {
                throw new IllegalArgumentException("x = 0x" + Integer.toHexString(x) + " lies above the top of a block of scale " + scale);
            }
            int r = 23 - e.mantissaBits() + Math.max(0, 1 - e.bias() - t);
            long rounded = Rounded.shiftRight((long) significand(x) << lz, r, Rounding.HALF_EVEN);
            magnitude = (int) Math.min(((long) Math.max(t + e.bias() - 1, 0) << e.mantissaBits()) + rounded, e.maxMagnitude());
        }
        int mask = (1 << e.bits()) - 1;
        if (e.integer()) {
            return (negative ? -magnitude : magnitude) & mask;
        }
        return (negative ? 1 << (e.bits() - 1) : 0) | magnitude;
    }
}
