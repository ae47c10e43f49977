package dev.qforge.numerics;

import dev.qforge.dsl.Rounding;

/**
 * The internal precision of an MX or BFP dot product, which OCP MX v1.0 section 6 (Dot) leaves
 * implementation-defined. Within a block the sum of products is always exact (an integer
 * accumulator of the width {@link Mx#accumulatorBits} / {@link Bfp#accumulatorBits} documents);
 * that exact block sum times both scales is rounded once, to nearest even, into this precision,
 * and the block results are added in block order in this precision (OCP DotGeneral).
 * {@link #DEFAULT} is FP32, the accumulation type OCP names and hardware commonly uses.
 */
public enum DotPrecision {
    /** IEEE binary32: 24 bits, subnormals down to 2^-149, overflow to infinity. */
    FP32,
    /** IEEE binary64. */
    FP64;

    public static final DotPrecision DEFAULT = FP32;

    /** s * 2^e rounded once to this precision (ties to even), as a double holding that value. */
    public double round(long s, int e) {
        return switch (this) {
            // binary32's grid, then the exact (or overflowing to infinity) cast
            case FP32 -> (float) Rounded.toPrecision(s, e, 24, -149, Rounding.HALF_EVEN);
            case FP64 -> Rounded.toPrecision(s, e, 53, -1074, Rounding.HALF_EVEN);
        };
    }

    /** The block results (each already a value of this precision) added in order, each addition rounded in this precision. */
    public double sumInOrder(double[] blockResults) {
        double sum = blockResults.length == 0 ? 0.0 : blockResults[0];
        for (int i = 1; i < blockResults.length; i++) {
            sum = this == FP32 ? (float) sum + (float) blockResults[i] : sum + blockResults[i];
        }
        return sum;
    }
}
