package dev.qforge.generators.systolic;

import dev.qforge.generators.InvalidParameter;
import dev.qforge.numerics.BinaryFloat;

/**
 * Per-group weight scales of a mixed-precision GEMM engine (W4A8, W2A8): K is cut into groups of
 * {@code size} consecutive rows of B, each group of each output column n with its own scale
 * s[g][n]. The engine computes
 * <pre>
 *   Y[m][n] = RNE_result( sum_g s[g][n] * S[g][m][n] ),   S[g][m][n] = sum_{k in group g} (A[m][k] - zp) * B[k][n]
 * </pre>
 * S exactly in integers (the narrow MAC array), each product s * S exactly, their sum exactly in
 * a fixed-point accumulator, then one round-to-nearest-even into {@code result}. The accumulator
 * is exact for every scale s = 0 or 2^minExp <= |s| < 2^(maxExp + 1) (the window, clipped to the
 * scale format's finite range; subnormal scales count as exponent 1 - bias). A scale outside
 * the window, or NaN, makes the result NaN; an infinite one makes it +-Inf by the sign of s * S
 * (NaN when S = 0, or when +Inf and -Inf meet). See the README's "Mixed-precision GEMM" section.
 *
 * @param size   rows of K per group: a power of two in 2..{@value #MAX_SIZE}, a multiple of the engine's rows
 * @param scale  the scale format, bf16 or fp16
 * @param minExp the smallest exponent of an exact scale (clipped to the format's smallest normal exponent)
 * @param maxExp the largest exponent of an exact scale (clipped to the format's largest)
 * @param result the result format, fp32 or bf16
 */
public record GroupScale(int size, BinaryFloat scale, int minExp, int maxExp, BinaryFloat result) {
    public static final int MAX_SIZE = 1024;
    /** The widest exponent window: 2^-126 .. 2^127, bf16's and fp32's whole normal range. */
    public static final int MIN_EXP = -126;
    public static final int MAX_EXP = 127;

    public GroupScale {
        if (size < 2 || size > MAX_SIZE || Integer.bitCount(size) != 1) {
            throw new InvalidParameter("group", "must be a power of two in 2.." + MAX_SIZE + ", got " + size);
        }
        if (scale != BinaryFloat.BF16 && scale != BinaryFloat.FP16) {
            throw new InvalidParameter("scale", "must be bf16 or fp16, got " + scale);
        }
        if (result != BinaryFloat.FP32 && result != BinaryFloat.BF16) {
            throw new InvalidParameter("result", "must be fp32 or bf16, got " + result);
        }
        if (minExp < MIN_EXP || minExp > MAX_EXP || maxExp < MIN_EXP || maxExp > MAX_EXP) {
            throw new InvalidParameter(minExp < MIN_EXP || minExp > MAX_EXP ? "scaleMinExp" : "scaleMaxExp", "must be in "
                    + MIN_EXP + ".." + MAX_EXP + ", got " + (minExp < MIN_EXP || minExp > MAX_EXP ? minExp : maxExp));
        }
        // the window clipped to the format's exponents is empty: name the bound that left them, else the inverted pair
        if (lowExp(scale, minExp) > highExp(scale, maxExp)) {
            int largest = highExp(scale, MAX_EXP);
            int smallest = lowExp(scale, MIN_EXP);
            if (minExp > largest) {
                throw new InvalidParameter("scaleMinExp", "must be at most " + scale + "'s largest exponent " + largest + ", got " + minExp);
            }
            if (maxExp < smallest) {
                throw new InvalidParameter("scaleMaxExp", "must be at least " + scale + "'s smallest normal exponent " + smallest + ", got " + maxExp);
            }
            throw new InvalidParameter("scaleMaxExp", "must be >= scale-min-exp (" + minExp + "), got " + maxExp);
        }
    }

    /** The default window: scales from 2^-32 to just under 2^16 (group scales of LLM weights lie well inside). */
    public static GroupScale of(int size, BinaryFloat scale, BinaryFloat result) {
        return new GroupScale(size, scale, -32, 15, result);
    }

    /** The lowest exponent of an exact scale, the window's bottom clipped to the format. */
    public int low() { return lowExp(scale, minExp); }

    /** The highest exponent of an exact scale, the window's top clipped to the format. */
    public int high() { return highExp(scale, maxExp); }

    /** Binades of the window past the first: the largest left shift of a scaled group sum. */
    public int span() { return high() - low(); }

    /** log2 of the accumulator's last bit: the quantum of a scale of exponent {@link #low()}. */
    public int lsbExponent() { return low() - scale.mantissaBits(); }

    /** Bits of a scale's significand, hidden bit included (the multiplier's unsigned operand). */
    public int significandBits() { return scale.mantissaBits() + 1; }

    /**
     * Bits of the two's complement accumulator that holds every sum of {@code groups} scaled group
     * sums of {@code sumBits} bits exactly: each s * S is below 2^(sumBits - 1 + significandBits + span).
     */
    public int accumulatorBits(int sumBits, int groups) {
        return sumBits + significandBits() + span() + (32 - Integer.numberOfLeadingZeros(Math.max(groups, 1) - 1));
    }

    /** Whether scale bits {@code s} lie in the window: zero, or finite with exponent in [low, high] (subnormals at 1 - bias). */
    public boolean inWindow(long s) {
        if (scale.isNaN(s) || scale.isInfinite(s)) {
            return false;
        }
        if (scale.significand(s) == 0) {
            return true;
        }
        int e = exponent(s);
        return e >= low() && e <= high();
    }

    /** The exponent of finite scale bits: max(field, 1) - bias. */
    public int exponent(long s) {
        return scale.quantumExponent(s) + scale.mantissaBits();
    }

    private static int lowExp(BinaryFloat f, int minExp) {
        return Math.max(minExp, 1 - f.bias());
    }

    private static int highExp(BinaryFloat f, int maxExp) {
        return Math.min(maxExp, (1 << f.exponentBits()) - 2 - f.bias());
    }

    /** Short form for module names: g128_bf16em32_15_fp32. */
    String shortName() {
        return "g" + size + "_" + scale.name().toLowerCase(java.util.Locale.ROOT) + "e" + signed(low()) + "_" + signed(high()) + "_"
                + result.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String signed(int e) {
        return e < 0 ? "m" + -e : Integer.toString(e);
    }
}
