package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.report.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.BinaryOperator;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static dev.qforge.generators.report.estimate.Passes.luts;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Compares of two variables on Xilinx ({@link VariableCompare}) against Yosys 0.23 (synth_xilinx, LUT1-LUT6 cells
 * of the whole module, the same on xc7 and xcup), two input ports compared into a register.
 */
class VariableCompareTest {
    private static Module compare(HwType ta, HwType tb, BinaryOperator<Expr> cmp) {
        return new Module("Cmp") {{
            Signal a = input("a", ta);
            Signal b = input("b", tb);
            Signal y = reg("y_q", bool());
            y.set(cmp.apply(a, b));
            output("y", bool()).set(y);
        }};
    }

    /**
     * From 7 bits a compare is a carry chain of 3-bit chunks, an equality and a greater-than LUT each (LUT2s on a
     * one-bit chunk), whatever its form and sign. Yosys 0.23 LUTs (CARRY4s): 7, 8 and 9 bits 6 (1), 10 and 12 bits 8
     * (1), 13 bits 10 (2), 16 bits 12 (2), 24 bits 16 (2), 32 bits 22 (3); signed {@code <=} of 8 bits 6 (1), 16 bits 12 (2).
     */
    @ParameterizedTest
    @CsvSource({
        "7, false, lt, 6", "8, false, lt, 6", "9, false, lt, 6", "10, false, lt, 8", "12, false, lt, 8", "13, false, lt, 10",
        "16, false, lt, 12", "24, false, lt, 16", "32, false, lt, 22", "8, true, lt, 6", "16, true, lt, 12", "8, true, le, 6",
        "16, true, le, 12"})
    void aWideCompareIsAChainOfThreeBitChunks(int w, boolean signed, String form, long expected) {
        HwType t = signed ? sint(w) : uint(w);
        BinaryOperator<Expr> cmp = form.equals("lt") ? Expr::lt : Expr::le;
        assertEquals(expected, luts(compare(t, t, cmp), Target.XC7));
        assertEquals(expected, luts(compare(t, t, cmp), Target.XCUP));
    }

    /** A sign-extended operand repeats its sign bit, no constant: signed 8-bit a < 16-bit b, 12 LUTs (2 CARRY4s) as 16 bits. */
    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"XC7", "XCUP"})
    void aSignExtendedOperandComparesAtTheWiderWidth(Target target) {
        assertEquals(12, luts(compare(sint(8), sint(16), (a, b) -> a.extend(16).lt(b)), target));
    }

    /**
     * A constant bit in an operand halves what a bit costs cmp2lcu's budget, so the chunks grow to 6 bits, 12
     * inputs, 3 LUTs each way. A restoring divider's step, {@code rem << 1 >= sum} beside {@code rem << 1 - sum}
     * (22-bit rem and sum, registered): 65 LUTs in Yosys 0.23, 43 without the compare (the compare 22, 4 chunks on
     * one CARRY4; 16 as 3-bit chunks).
     */
    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"XC7", "XCUP"})
    void aConstantBitMakesSixBitChunks(Target target) {
        assertEquals(22, luts(dividerStep(true), target) - luts(dividerStep(false), target));
    }

    private static Module dividerStep(boolean compared) {
        return new Module("Step") {{
            Signal si = input("si", uint(22));
            Signal ld = input("ld", bool());
            Signal sum = reg("sum", uint(22));
            sum.set(si);
            Signal rem = reg("rem", uint(22));
            Expr rem2 = rem.shl(1);
            rem.set(Expr.mux(ld, si, rem2.minus(sum.extend(23)).truncate(22)));
            Signal f = reg("f_q", bool());
            f.set(compared ? rem2.ge(sum.extend(23)) : Expr.bool(false));
            output("f", bool()).set(f);
            output("rem_out", uint(22)).set(rem);
        }};
    }
}
