package dev.qforge.generators.systolic;

import dev.qforge.generators.InvalidParameter;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.numerics.Mx;
import dev.qforge.numerics.MxElementType;

/**
 * OCP MX operands of an MX x MX GEMM engine: A and B as MX blocks of {@value Mx#BLOCK_SIZE} along
 * K, A's block (m, j) with the E8M0 scale Xa[m][j], B's block (j, n) with Xb[j][n]. The engine computes
 * <pre>
 *   Y[m][n] = RNE_result( sum_j 2^(Xa[m][j] + Xb[j][n] - 254) * P[j][m][n] ),   P = sum_{k in block j} a[m][k] * b[k][n]
 * </pre>
 * with each element product exact (significands multiplied, exponents added: {@link Mx#blockSum}),
 * the block sum P exact in fixed point (units of 2^(minExponent_a + minExponent_b)), the block's
 * two scales a left shift, the blocks summed exactly in a fixed-point accumulator, and one
 * round-to-nearest-even into {@code result}. The accumulator is exact for every block whose
 * combined scale exponent E = Xa + Xb - 254 lies in the window [minExp, maxExp]; a nonzero
 * block outside it makes the result NaN (a zero block adds 0 whatever its scales, so all-zero
 * blocks, which MX conversion gives the smallest scale, stay harmless). A NaN scale makes the
 * result NaN; NaN element codes, an infinity times zero, or +Inf and -Inf in one result make
 * it NaN; else an infinite product makes it that infinity. See the README's "MX x MX GEMM".
 *
 * @param act    the element type of A
 * @param weight the element type of B
 * @param minExp the smallest combined scale exponent of an exact block
 * @param maxExp the largest combined scale exponent of an exact block
 * @param result the result format, fp32 or bf16
 */
public record MxBlocks(MxElementType act, MxElementType weight, int minExp, int maxExp, BinaryFloat result) {
    /** Bits of a count of special products in one block (0..{@value Mx#BLOCK_SIZE}). */
    static final int COUNT_BITS = 6;

    public MxBlocks {
        if (act == null || weight == null) {
            throw new InvalidParameter(act == null ? "act" : "weight", "must be an MX element type, got null");
        }
        if (result != BinaryFloat.FP32 && result != BinaryFloat.BF16) {
            throw new InvalidParameter("result", "must be fp32 or bf16, got " + result);
        }
        if (minExp < GroupScale.MIN_EXP || minExp > GroupScale.MAX_EXP || maxExp < minExp || maxExp > GroupScale.MAX_EXP) {
            boolean low = minExp < GroupScale.MIN_EXP || minExp > GroupScale.MAX_EXP;
            throw new InvalidParameter(low ? "scaleMinExp" : "scaleMaxExp", "must be in " + (low ? GroupScale.MIN_EXP : minExp) + ".."
                    + GroupScale.MAX_EXP + ", got " + (low ? minExp : maxExp));
        }
    }

    /** Binades of the window past the first: the largest left shift of a block sum. */
    public int span() { return maxExp - minExp; }

    /** Bits of a block's exact signed sum of products ({@link Mx#accumulatorBits}). */
    public int sumBits() { return Mx.accumulatorBits(act, weight, Mx.BLOCK_SIZE); }

    /** Whether a product can be NaN: a NaN code on either side, or an infinity (times a zero). */
    public boolean hasNaN() { return act.hasNaN() || weight.hasNaN(); }

    /** Whether a product can be infinite (E5M2 on either side). */
    public boolean hasInf() { return act.hasInfinity() || weight.hasInfinity(); }

    /**
     * Bits of the word a block's partial sums travel in: the signed sum below, and above it a count
     * of NaN products, of +Inf and of -Inf products (where the types have them), each of
     * {@link #COUNT_BITS} bits, plus a sign bit. The counts ride on the sum's carries: the word is
     * P + nan * 2^sumBits + ..., so the grid adds words and the scale stage takes them apart.
     */
    public int wordBits() { return sumBits() + counts() * COUNT_BITS + (counts() > 0 ? 1 : 0); }

    /** Count fields in a word: NaN, and +Inf and -Inf where infinities exist. */
    int counts() { return hasInf() ? 3 : hasNaN() ? 1 : 0; }

    /** log2 of the accumulator's last bit: a product unit under the window's smallest scale. */
    public int lsbExponent() { return act.minExponent() + weight.minExponent() + minExp; }

    /** Bits of the two's complement accumulator that holds every sum of {@code blocks} block sums shifted by up to {@link #span}. */
    public int accumulatorBits(int blocks) {
        return sumBits() + span() + (32 - Integer.numberOfLeadingZeros(Math.max(blocks, 1) - 1));
    }

    /** Short form for module names: mx_fp8_e4m3xfp4_e2m1_em32_15_fp32. */
    String shortName() {
        return "mx_" + lower(act) + "x" + lower(weight) + "_e" + signed(minExp) + "_" + signed(maxExp) + "_" + lower(result);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String signed(int e) {
        return e < 0 ? "m" + -e : Integer.toString(e);
    }
}
