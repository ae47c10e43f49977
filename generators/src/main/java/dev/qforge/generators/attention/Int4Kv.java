package dev.qforge.generators.attention;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Rounding;
import dev.qforge.generators.attention.AttentionConfig.Kv;
import dev.qforge.numerics.Bfp;

/**
 * The int4 K/V cache's element format, KIVI-style (Liu et al. 2024): keys per channel (the Lg rows of
 * a key group share one exponent per channel), values per token (the P elements of a value beat
 * share one). Each group is 4-bit block floating point as numerics defines it ({@link Bfp}: OCP MX's
 * shared exponent with emax 0): X = floor(log2 max|x|), code m = round_half_even(x 2^(2 - X))
 * saturated to +-7, value m 2^(X - 2). For int8 elements X is 0..7 (an all-zero group has codes 0;
 * its exponent is stored as 0), so the engine reads 4 times the value, m 2^X, an exact 11-bit
 * integer, and folds the 1/4 into the score scale and the output's rounding shift.
 *
 * <p>The golden side takes the rule from {@link Bfp}; the hardware side builds the same rule from
 * the DSL's rounding shift, and the co-simulation tests compare the two bit for bit.
 */
final class Int4Kv {
    /** m 2^X: |.| <= 7 2^7 = 896, signed. */
    static final int READ_BITS = 11;
    /** X: 0..7. */
    static final int EXPONENT_BITS = 3;
    private static final int CODE_MAX = 7;

    private Int4Kv() { }

    /** Fraction bits of a cached element as read: 2 for int4 (4 times the value), 0 for int8. */
    static int shift(Kv kv) {
        return kv == Kv.INT4 ? 2 : 0;
    }

    /** The largest |element| as read: 128 (int8), 7 2^7 (int4). */
    static int largest(Kv kv) {
        return kv == Kv.INT4 ? CODE_MAX << 7 : 128;
    }

    /** 4 times the dequantized values of one group of int8 elements (exact integers): {@link Bfp} with 4-bit mantissas. */
    static int[] read(int[] group) {
        double[] x = new double[group.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = group[i];
        }
        double[] value = Bfp.decode(Bfp.quantize(x, 4, x.length));
        int[] out = new int[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) Math.scalb(value[i], 2); // m 2^X, exact
        }
        return out;
    }

    /** |x| of an int8, 0..128. */
    static Expr magnitude(Expr x) {
        return Expr.mux(x.msb(), x.negate().resize(9), x.resize(9)).asUInt().resize(8);
    }

    /** X = floor(log2 a) of a magnitude 1..128 (0 for 0), a priority encoder. */
    static Expr exponent(Expr magnitude) {
        Expr x = Expr.u(0, EXPONENT_BITS);
        for (int b = 1; b <= 7; b++) {
            x = Expr.mux(magnitude.bit(b), Expr.u(b, EXPONENT_BITS), x);
        }
        return x;
    }

    /** round_half_even(4 x / 2^X) of an int8 x with exponent X, before saturation ({@link #code}): 10 bits signed. */
    static Expr rounded(Expr x, Expr exponent) {
        return x.shl(2).roundShiftRight(exponent, Rounding.HALF_EVEN);
    }

    /** The 4-bit code of a {@link #rounded} value: saturated to +-7 (BFP's symmetric range). */
    static Expr code(Expr rounded) {
        Expr top = Expr.s(CODE_MAX, rounded.width());
        Expr bottom = Expr.s(-CODE_MAX, rounded.width());
        return Expr.mux(rounded.gt(top), top, Expr.mux(rounded.lt(bottom), bottom, rounded)).resize(4);
    }

    /** What the engine reads: m 2^X. */
    static Expr read(Expr code, Expr exponent) {
        return code.shl(exponent).resize(READ_BITS);
    }
}
