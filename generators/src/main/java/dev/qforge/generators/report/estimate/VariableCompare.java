package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Op;

/**
 * A compare of two variables as Yosys 0.23 maps it on Xilinx, when that is a carry chain. synth_xilinx runs
 * cmp2lcu before alumacc, which cuts the compare from the top into chunks within a budget of LUT_WIDTH (6)
 * per chunk, each giving the lookahead unit ($lcu) a propagate (the chunks are equal) and a generate (the
 * chunk's greater-than, its sign bits swapped on a signed top chunk): a LUT tree each over the chunk's bits of
 * both operands. A bit costs the budget 2, but 1 while either operand has a constant bit anywhere at or below
 * it (cmp2lcu tests the whole remaining vector, not the bit): a zero-extended operand's top bits, or a value
 * shifted over zeros ({@code rem << 1 >= sum}, whose constant bit 0 makes every chunk 6 bits, 12 inputs, 3 LUTs
 * each way). From three chunks on the $lcu is a CARRY4/CARRY8 chain, which ABC cannot see through; an $lcu of
 * one or two chunks is generic logic that ABC maps as a whole.
 *
 * <p>Measured (ports a and b, registered result; LUTs and CARRY4s, xc7 and xcup alike, signed or unsigned,
 * {@code <} or {@code <=}): 7 bits 6/1, 8 bits 6/1, 9 bits 6/1, 10 bits 8/1, 12 bits 8/1, 13 bits 10/2,
 * 16 bits 12/2, 24 bits 16/2, 32 bits 22/3. In context the carry-out is one net to its reader: {@code a > b ?
 * a : b} of 8 bits 14 LUTs (6 and a LUT3 per bit); the running maximum of 24-bit signed e with {@code e - max}
 * beside it 16 more than without the compare; {@code {rem, 0} >= sum} (22 bits) 22 more, on one CARRY4.
 */
record VariableCompare(int luts) {
    /** The compare's chain on Xilinx ({@code lutWidth} 6), or null when it is none (a constant operand, at most two chunks). */
    static VariableCompare of(Op op, int lutWidth, KnownBits known) {
        if ((op.kind() != Op.Kind.LT && op.kind() != Op.Kind.LE) || Operators.constantOperand(op) >= 0) {
            return null;
        }
        Expr a = op.operand(0);
        Expr b = op.operand(1);
        boolean signed = a.isSigned();
        int wa = ConstantCompare.operandWidth(signed, a);
        int wb = ConstantCompare.operandWidth(signed, b);
        int w = Math.max(wa, wb);
        // per bit from the top, whether each operand's bit there is a constant (above an unsigned operand's width: zero)
        boolean[][] constant = new boolean[2][w];
        for (int i = 0; i < w; i++) {
            constant[0][i] = constantBit(signed, a, wa, i, known);
            constant[1][i] = constantBit(signed, b, wb, i, known);
        }
        int chunks = 0;
        int luts = 0;
        int budget = 0;
        int inputs = 0;
        for (int i = w - 1; i >= 0; i--) {
            boolean constA = anyBelow(constant[0], i);
            boolean constB = anyBelow(constant[1], i);
            int cost = constA && constB ? 0 : constA || constB ? 1 : 2;
            if (chunks == 0 || budget < cost) {
                luts += 2 * lutsFor(inputs, lutWidth);
                chunks++;
                budget = lutWidth;
                inputs = 0;
            }
            budget -= cost;
            inputs += (constant[0][i] ? 0 : 1) + (constant[1][i] ? 0 : 1);
        }
        luts += 2 * lutsFor(inputs, lutWidth);
        return chunks <= 2 ? null : new VariableCompare(luts);
    }

    /** Whether bit {@code i} of operand {@code x} ({@code w} bits after wreduce) is a constant in cmp2lcu: above w a zero extension's, else a known bit. */
    private static boolean constantBit(boolean signed, Expr x, int w, int i, KnownBits known) {
        return i >= w ? !signed : known.of(x).known(i);
    }

    private static boolean anyBelow(boolean[] constant, int top) {
        for (int i = 0; i <= top; i++) {
            if (constant[i]) {
                return true;
            }
        }
        return false;
    }

    /** LUTs of one function of {@code inputs} inputs that splits into a tree (an equality, a greater-than chunk by chunk). */
    private static int lutsFor(int inputs, int lutWidth) {
        return inputs <= 1 ? 0 : Operators.ceilDiv(inputs - 1, lutWidth - 1);
    }
}
