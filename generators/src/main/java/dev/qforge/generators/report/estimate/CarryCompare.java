package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Op;

import java.math.BigInteger;

/**
 * A compare of a value with a constant as Yosys 0.23 maps it on iCE40, when that is a carry chain.
 * wreduce first drops the value's extension bits and the constant's (zeros above an unsigned one,
 * repeated signs above a signed one), and cmp2lut makes a compare of at most 4 bits one LUT. alumacc
 * makes a wider one a $alu computing A - B (B inverted, carry-in 1) whose carry-out is the result,
 * with the narrower operand as A (its SigSpec order: width first, then a hash, by which the
 * constant came after the value in every case measured), swapping the compare when it swaps them.
 * So the value is B, inverted, when the constant is narrower. Below the constant's trailing ones
 * (it is A) or trailing zeros (it is B, inverted) every carry is constant and opt removes those
 * cells; the first one left carries a wire, so {@code w - 1 - t} SB_CARRYs remain ({@link #chain}),
 * and with one or none the compare is plain logic. An inverted value costs a LUT4 per bit the
 * chain reads (SB_CARRY takes no inverted input), unless its bits are LUT outputs, which take the
 * inversion in; compares of one value share them (opt_merge). A less-than left as alumacc found it
 * is the carry-out, inverted; a swapped one (a greater-than) and {@code <=} read equality too, the
 * AND of the w bits of A ^ ~B, which ABC joins with the carry-out ({@link #resultLuts}).
 *
 * <p>Measured (registered x, the compare registered; LUT4/SB_CARRY; {@code x < K} then {@code K < x}):
 * unsigned 8 bits K = 100 11/7 and 9/7, K = 5 10/6 and 8/6, K = 200 (as wide as x) 1/4 and 3/4, K = 63
 * 3/0; 12 bits K = 7 13/8 and 10/8, K = 3000 1/8 and 4/8; 17 bits K = 11 21/14 and 16/14, 20 to 33 bits
 * K = 100 as modelled but 33 bits 45/32 (the model: 44); {@code <=} and {@code >=} as the dearer form at every
 * width and constant. Signed: 17 bits K = -128 24/16 and 18/16, K = 127 17/9 and 11/9; 8 bits K = -100
 * 1/5 and 4/5; 12 bits K = 1500 1/9 and 5/9. An extended value as its unextended self: {0, x8} < 17'd100
 * 11/7, a sign-extended x8 < -17'sd100 1/5. Five compares of one 5-bit count 10/17 (5 inverters shared). A
 * saturation to 12 bits of an 18-bit register, 32/23: 18 inverters, a LUT4 per bound, 12 multiplexer bits;
 * of an 18-bit sum, the examples/ FIR's: the sum's LUT4s invert its top 6 bits, which only the compares read,
 * its low 12 bits need 12 inverters more (the multiplexer reads them as they are). {@code 100 < a ^ b}, 12 bits:
 * 13/11, the XORs included.
 */
record CarryCompare(int width, int chain, boolean inverted, boolean lessOnly, boolean signed, Expr value, BigInteger constant) {
    /** The compare's carry chain on iCE40, or null when it is no chain (not with a constant, at most 4 bits, the chain folded). */
    static CarryCompare of(Op op) {
        ConstantCompare c = ConstantCompare.of(op);
        if (c == null || c.width() <= 4 || c.outOfRange()) {
            return null; // no compare with a constant, cmp2lut's LUT, or a constant out of the value's range
        }
        int w = c.width();
        boolean inverted = c.constantWidth() < w;
        BigInteger bits = c.bits();
        int t = inverted ? bits.not().getLowestSetBit() : bits.signum() == 0 ? w : bits.getLowestSetBit();
        int chain = w - 1 - t;
        if (chain <= 1) {
            return null;
        }
        boolean lessOnly = op.kind() == Op.Kind.LT && (c.at() == 0) == inverted;
        return new CarryCompare(w, chain, inverted, lessOnly, c.signed(), c.value(), c.constant());
    }

    /** Inverters of the value's bits the chain reads, its top {@code chain + 1} bits: its cells' and the first cell's carry-in. */
    int invertedBits() {
        return inverted ? chain + 1 : 0;
    }

    /**
     * LUT4s after the chain. An unsigned less-than is the carry-out inverted: a LUT4, or none when an
     * operator reads it (ABC folds the inversion into that LUT; a flip-flop's set or reset takes it as
     * is); a signed one XORs the overflow with the sign. Otherwise the equality joins the carry-out:
     * a LUT4 tree over w + 1 inputs, and a LUT4 more when signed, unless the compare saturates, where
     * equality chooses nothing (ABC drops it: one LUT4 is left).
     */
    int resultLuts(boolean readByOperator, boolean saturates) {
        if (lessOnly) {
            return signed || !readByOperator ? 1 : 0;
        }
        return saturates ? 1 : Operators.ceilDiv(width, 3) + (signed ? 1 : 0);
    }
}
