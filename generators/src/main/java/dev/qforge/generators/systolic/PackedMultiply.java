package dev.qforge.generators.systolic;

import dev.qforge.dsl.Expr;

import java.util.List;

/**
 * Several products of a common operand from one multiplier, the way a DSP48E2 (27 x 18) slice is
 * packed; the one place that states the rule. With S = aBits + bBits - 1 the wide operand holds
 * the other operands negated, {@code sum(-b_i * 2^(i S))}, so the product is
 * {@code sum(f_i * 2^(i S))} with f_i = -a*b_i: each fits S signed bits, since negating b_i turns
 * the one product that needs S + 1 bits, (-2^(aBits-1)) (-2^(bBits-1)), into -2^(S-1). The
 * fields are read as {@link #separable} says, and the accumulator subtracts each. As many fields are packed as the
 * 27-bit signed operand holds: 4 for int4 x int4, 3 for int8 x int4, 2 for int8 x int8 (and uint8
 * minus its zero point, 9 bits, x int8). Bit-exact with one multiplier per product.
 */
final class PackedMultiply {
    /** Signed bits of the DSP48E2 multiplier's wide (A) operand, which holds the packed operand. */
    static final int WIDE_OPERAND = 27;

    private PackedMultiply() { }

    /** Bits between neighbouring products. */
    static int spacing(int aBits, int bBits) {
        return aBits + bBits - 1;
    }

    /** How many products of a signed aBits and signed bBits operands one multiplier gives (at least 2). */
    static int products(int aBits, int bBits) {
        int n = 2;
        while (packedMax(n + 1, aBits, bBits) < 1L << (WIDE_OPERAND - 1)) {
            n++;
        }
        return n;
    }

    /** The largest packed operand of n fields: each -b_i at its most, 2^(bBits-1). */
    private static long packedMax(int n, int aBits, int bBits) {
        long max = 0;
        for (int i = 0; i < n; i++) {
            max += 1L << (bBits - 1 + i * spacing(aBits, bBits));
        }
        return max;
    }

    /** Bits of the packed operand of n fields: as narrow as its values allow. */
    static int packedWidth(int n, int aBits, int bBits) {
        return 64 - Long.numberOfLeadingZeros(packedMax(n, aBits, bBits)) + 1;
    }

    /** The packed operand {@code sum(-b_i * 2^(i S))} of the signed operands {@code b}, {@link #packedWidth} bits. */
    static Expr pack(List<? extends Expr> b, int aBits) {
        int bBits = b.get(0).width();
        int s = spacing(aBits, bBits);
        Expr sum = null;
        for (int i = 0; i < b.size(); i++) {
            Expr field = b.get(i).negate().shl(i * s);
            sum = sum == null ? field : sum.plus(field);
        }
        // the values lie within packedMax, so the truncation only drops the adds' growth
        return sum.truncate(packedWidth(b.size(), aBits, bBits));
    }

    /**
     * The packed product of {@code fields} fields as the fields are read from it: its fields * S
     * low bits; from three fields on plus 2^(S-1) per field, so every field lies in 0..2^S - 1 (the
     * sum is below 2^(fields * S), so the wrap of the truncation is exact). Two fields need no
     * offset: the one below field 1 fits S bits, so bit S - 1 is its sign and gives back its borrow;
     * from three on, a sum of lower fields can reach below -2^(iS-1), where that bit no longer tells.
     */
    static Expr separable(Expr product, int fields, int aBits, int bBits) {
        int s = spacing(aBits, bBits);
        Expr p = product.resize(fields * s).asUInt();
        if (fields == 2) {
            return p;
        }
        long offset = 0;
        for (int i = 0; i < fields; i++) {
            offset |= 1L << (s - 1 + i * s);
        }
        return p.plus(Expr.u(offset, fields * s)).truncate(fields * s);
    }

    /** {@code acc + a * b_i} from the {@link #separable} packed product ({@code acc}'s width grows by one). */
    static Expr accumulate(Expr acc, Expr separable, int i, int fields, int aBits, int bBits) {
        int s = spacing(aBits, bBits);
        Expr slice = separable.slice(i * s + s - 1, i * s);
        Expr field;
        if (fields == 2) {
            field = i == 0 ? slice : slice.plus(separable.slice(s - 1, s - 1)).truncate(s);
        } else {
            field = Expr.cat(slice.slice(s - 1, s - 1).not(), slice.slice(s - 2, 0)); // f_i + 2^(S-1) back to f_i
        }
        return acc.minus(field.asSInt());
    }
}
