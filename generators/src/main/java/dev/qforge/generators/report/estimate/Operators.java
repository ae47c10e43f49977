package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Const;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Op;
import dev.qforge.generators.report.Target;

import java.math.BigInteger;

/** What an operator is to Yosys, read from the IR alone: wiring, LUT logic, a shift, its significant bits. */
final class Operators {
    private Operators() { }

    /** Operators that only rename, extend or regroup bits. */
    static boolean isWiring(Op op) {
        return switch (op.kind()) {
            case EXTEND, RETYPE, SLICE, CAT, SHL -> true;
            default -> false;
        };
    }

    /**
     * Logic ABC maps freely into LUTs: bitwise operators, equality, reductions, and comparisons with
     * a constant that are no carry chain (on iCE40 those cmp2lut makes a LUT or whose chain folds, see
     * {@link CarryCompare}; on Xilinx those of at most two of cmp2lcu's chunks, see {@link LookaheadCompare});
     * other comparisons use the carry chain.
     */
    static boolean isLogic(Op op, Target target) {
        return switch (op.kind()) {
            case AND, OR, XOR, NOT, MUX, EQ, NE, REDUCE_OR, REDUCE_AND, REDUCE_XOR -> true;
            case LT, LE -> constantOperand(op) >= 0
                    && (target.isIce40() ? CarryCompare.of(op) : LookaheadCompare.of(op, target.lutInputs())) == null;
            default -> false;
        };
    }

    /**
     * Low bits of the value that a compare with a constant does not read: below the constant's trailing
     * zeros ({@code x < K}, {@code K <= x}) or trailing ones ({@code K < x}, {@code x <= K}) the bits above
     * settle the outcome, and where the compare is logic Yosys' opt and ABC drop the rest (synth_ice40, registered
     * x: {@code 127 < x} of 8 bits is x[7], no LUT; {@code 1023 < x} of 12 bits, unsigned or signed, one LUT4 over
     * x[11:10]; the bfp8 quantizer's saturation, which nextpnr-ice40 times as no LUT level of its own; synth_xilinx:
     * {@code x < 1024} of 12 bits one LUT, {@code 2047 < x} none, {@code 7 < x} two). At most all but the top bit; 0
     * when the constant is out of the value's range (the result is constant).
     */
    static int settledLowBits(Op cmp) {
        int at = constantOperand(cmp);
        if (at < 0) {
            return 0;
        }
        BigInteger k = ((Const) cmp.operand(at)).value();
        Expr x = cmp.operand(1 - at);
        int w = significantWidth(x);
        boolean signed = x.isSigned() && strip(x).isSigned();
        BigInteger lowest = signed ? BigInteger.ONE.shiftLeft(w - 1).negate() : BigInteger.ZERO;
        if (k.compareTo(lowest) < 0 || k.compareTo(lowest.add(BigInteger.ONE.shiftLeft(w))) >= 0) {
            return 0;
        }
        BigInteger bits = k.mod(BigInteger.ONE.shiftLeft(w));
        boolean trailingOnes = (cmp.kind() == Op.Kind.LT) == (at == 0);
        BigInteger settled = trailingOnes ? bits.not() : bits;
        return Math.min(w - 1, settled.signum() == 0 ? w : settled.getLowestSetBit());
    }

    /** Which operand of a compare ({@code <} or {@code <=}) is a constant: 0, 1, or -1 for none (or no compare). */
    static int constantOperand(Op cmp) {
        if (cmp.kind() != Op.Kind.LT && cmp.kind() != Op.Kind.LE) {
            return -1;
        }
        return cmp.operand(0) instanceof Const ? 0 : cmp.operand(1) instanceof Const ? 1 : -1;
    }

    /** {@code e} without the wiring in front of it. */
    static Expr unwire(Expr e) {
        while (e instanceof Op op && isWiring(op) && op.operandCount() == 1) {
            e = op.operand(0);
        }
        return e;
    }

    /** The operator behind retyping, extension and truncation (which cost nothing). */
    static Expr strip(Expr e) {
        while (e instanceof Op op && (op.kind() == Op.Kind.RETYPE || op.kind() == Op.Kind.EXTEND
                || (op.kind() == Op.Kind.SLICE && op.p1() == 0))) {
            e = op.operand(0);
        }
        return e;
    }

    /**
     * Bits that carry information: sign and zero extensions do not widen a multiplier, and a
     * truncation to low bits narrows it (the narrowest value on the way to the operator behind).
     */
    static int significantWidth(Expr e) {
        int w = e.width();
        Expr x = e;
        while (x instanceof Op op && (op.kind() == Op.Kind.RETYPE || op.kind() == Op.Kind.EXTEND
                || (op.kind() == Op.Kind.SLICE && op.p1() == 0))) {
            x = op.operand(0);
            w = Math.min(w, x.width());
        }
        return w;
    }

    /**
     * Bits of a register fed by {@code value} that are distinct flip-flops: extension bits repeat
     * one source bit (Yosys merges their flip-flops), and below a constant shift the sum
     * {@code (a << p) + b} is {@code b} itself.
     */
    static int distinctBits(Expr value, int width) {
        Expr v = value;
        while (v instanceof Op op && (op.kind() == Op.Kind.RETYPE || op.kind() == Op.Kind.SLICE && op.p1() == 0)) {
            v = op.operand(0);
        }
        if (v instanceof Op ext && ext.kind() == Op.Kind.EXTEND) {
            return Math.min(width, distinctBits(ext.operand(0), ext.operand(0).width()));
        }
        if (v instanceof Op add && add.kind() == Op.Kind.ADD) {
            for (int i = 0; i < 2; i++) {
                if (strip(add.operand(i)) instanceof Op shl && shl.kind() == Op.Kind.SHL
                        && significantWidth(add.operand(1 - i)) <= shl.p0() && shl.p0() < width) {
                    return distinctBits(add.operand(1 - i), significantWidth(add.operand(1 - i))) + width - shl.p0();
                }
            }
        }
        return width;
    }

    /** The constant operand of a multiplier, or null. */
    static BigInteger constantFactor(Op mul) {
        for (int i = 0; i < 2; i++) {
            if (strip(mul.operand(i)) instanceof Const c) {
                return c.value();
            }
        }
        return null;
    }

    /** Whether a multiplier is by a power of two or its negation: Yosys' opt_expr makes that a shift (and a negation). */
    static boolean isShift(Op mul) {
        BigInteger c = constantFactor(mul);
        return c != null && c.abs().bitCount() <= 1;
    }

    /** The shifted copies of the other operand a multiply by constant {@code c} adds up: its set bits, and one more for a negation. */
    static int shiftAddTerms(BigInteger c) {
        return c.abs().bitCount() + (c.signum() < 0 ? 1 : 0);
    }

    static boolean isZero(Expr e) {
        return e instanceof Const c && c.value().signum() == 0;
    }

    static boolean isAdder(Op op) {
        return op.kind() == Op.Kind.ADD || op.kind() == Op.Kind.SUB;
    }

    /** Whether {@code operand} is what subtraction {@code op} subtracts. */
    static boolean isSubtrahend(Op op, Expr operand) {
        return op.kind() == Op.Kind.SUB && unwire(op.operand(1)) == unwire(operand);
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
