package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;

/**
 * Two products of a common operand from one multiplier, the way a DSP slice is packed: with
 * S = aBits + bBits, {@code a * (b1 * 2^S + b0) = a*b1 * 2^S + a*b0}, and since a*b0 fits in S
 * signed bits the two separate exactly: a*b0 is the low S bits read as signed, a*b1 the rest
 * (floor-shifted, plus 1 when a*b0 is negative). Bit-exact with two multipliers.
 */
final class PackedMultiply {
    private PackedMultiply() { }

    /** The packed second operand {@code b1 * 2^shift + b0}. */
    static Expr pack(Expr b1, Expr b0, int shift) {
        return b1.shl(shift).plus(b0);
    }

    /** a*b0 from the packed product. */
    static Expr low(Expr product, int shift) {
        return product.slice(shift - 1, 0).asSInt();
    }

    /** a*b1 from the packed product and a*b0: product = a*b1 * 2^shift + a*b0. */
    static Expr high(Expr product, Expr low, int shift) {
        // the floor shift sees a*b1 - 1 when a*b0 < 0; the sum fits shift bits, truncate drops the growth
        return product.shr(shift).plus(low.msb().asUInt().toSInt()).truncate(shift);
    }
}
