package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Const;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Op;

import java.math.BigInteger;

/**
 * A compare of a value with a constant as Yosys' wreduce leaves it, before alumacc (iCE40, {@link
 * CarryCompare}) or cmp2lcu (Xilinx, {@link LookaheadCompare}) map it: the value's significant bits,
 * with one more (a zero sign bit) for an unsigned value in a signed compare, and the constant's.
 *
 * @param at            which operand is the constant: 0 for {@code K < x} and {@code K <= x}, 1 for {@code x < K} and {@code x <= K}
 * @param width         the value's bits after wreduce
 * @param constantWidth the constant's bits (a sign bit included when signed)
 */
record ConstantCompare(int at, Expr value, BigInteger constant, boolean signed, int width, int constantWidth) {
    /** The compare {@code op} with a constant, or null when it is no compare or neither operand is a constant. */
    static ConstantCompare of(Op op) {
        int at = Operators.constantOperand(op);
        if (at < 0) {
            return null;
        }
        BigInteger k = ((Const) op.operand(at)).value();
        Expr x = op.operand(1 - at);
        boolean signed = x.isSigned();
        return new ConstantCompare(at, x, k, signed, operandWidth(signed, x), signed ? k.bitLength() + 1 : Math.max(1, k.bitLength()));
    }

    /** A compare operand's bits as wreduce leaves them: its significant bits, and in a signed compare one more for an unsigned value's zero sign bit. */
    static int operandWidth(boolean signed, Expr x) {
        int w = Operators.significantWidth(x);
        return signed && !Operators.strip(x).isSigned() && w < x.width() ? w + 1 : w;
    }

    /** Whether the constant lies outside the value's range (the compare is then a constant). */
    boolean outOfRange() {
        return constantWidth > width;
    }

    /** The constant's bits at the value's width. */
    BigInteger bits() {
        return constant.mod(BigInteger.ONE.shiftLeft(width));
    }
}
