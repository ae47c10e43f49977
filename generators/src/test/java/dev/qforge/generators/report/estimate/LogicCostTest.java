package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;
import static dev.qforge.generators.report.estimate.Passes.signal;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LogicCostTest {
    /** q loads a when s1, else b when s2, else holds. */
    private static Module twoLoads() {
        return new Module("TwoLoads") {{
            Signal q = reg("q", uint(8));
            Signal a = input("a", uint(8));
            Signal b = input("b", uint(8));
            when(input("s1", bool()), () -> q.set(a)).elsewhen(input("s2", bool()), () -> q.set(b));
            output("y", uint(8)).set(q);
        }};
    }

    /**
     * Per bit a select of a or b by s1 (s2 tells nothing apart: both drivers are under it or not):
     * 3 inputs, one LUT per bit; and the clock enable s1 | s2, one LUT.
     */
    @ParameterizedTest
    @CsvSource({"XCUP, 9", "XC7, 9", "UP5K, 9", "HX8K, 9"})
    void aSelectPerBitAndAnEnable(Target t, long luts) {
        Module m = twoLoads();
        ModuleModel model = Passes.model(m, t);
        assertEquals(3, model.logic().selectInputs(signal(m, "q")));
        Tally tally = new Tally();
        new LogicCost(model.liveness(), model.arithmetic(), model.cones(), model.dsps(), new ConditionLeaves(t, model.drivers()), tally);
        assertEquals(luts, tally.get(Resource.LUT));
    }

    /**
     * SyncFifo's occupancy counter counts up under push & ~fetch and down under fetch & ~push, both
     * logic of 8 leaves (stored, in_valid, out_ready, out_valid_q). opt_share makes +1 and -1 one $alu,
     * and on Xilinx ABC computes the conditions again in each bit's LUTs (an 8-input function, 2 LUTs
     * per bit) and maps the enable as a LUT8 on UltraScale+ (4 LUTs): Yosys 0.23 maps the FIFO to 35
     * LUTs on both (8 of them LUT RAM); on iCE40 the conditions are built once (43 LUT4s).
     */
    @ParameterizedTest
    @CsvSource({"XCUP, 37", "XC7, 35", "UP5K, 39"})
    void anUpDownCountersConditionsAreComputedPerBit(Target t, long luts) {
        assertEquals(luts, Passes.model(new dev.qforge.lib.SyncFifo(8, 16), t).resources().get(Resource.LUT));
    }

    /**
     * The same operator written twice (a stream's fire() in two places, each lane's own address
     * decoder) is one cell after Yosys' opt_merge: each 4-bit compare of two signals costs its LUTs
     * once: two 8-input equalities, each written twice, take 4 LUTs on xc7 and 6 on iCE40 (Yosys 0.23 too;
     * 8 and 12 if the repeats cost).
     */
    @ParameterizedTest
    @CsvSource({"XC7, 4", "HX8K, 6"})
    void aRepeatedOperatorCostsOnce(Target t, long luts) {
        Module m = new Module("Repeats") {{
            Signal a = input("a", uint(4));
            Signal b = input("b", uint(4));
            Signal c = input("c", uint(4));
            output("y0", bool()).set(a.eq(b));
            output("y1", bool()).set(a.eq(b));
            output("y2", bool()).set(a.eq(c).not());
            output("y3", bool()).set(a.eq(c).not());
        }};
        ModuleModel model = Passes.model(m, t);
        assertEquals(luts, model.resources().get(Resource.LUT));
    }

    /**
     * A register file's write port, 2^n one-bit registers each loaded when we and wa equal its
     * index ({@code Vec.setAtWhen}, two lanes under the same decode): the enables are the outputs of
     * one decoder, as ABC builds it. Yosys 0.23: 8, 20, 41, 80 LUT4s for n = 3..6 (the model: 8, 20,
     * 40, 84); 8, 16, 32, 64 LUTs on xc7 (the model 68 for n = 6); 2 or 3 LUTs per register before.
     */
    @ParameterizedTest
    @CsvSource({"UP5K, 3, 8", "UP5K, 4, 20", "UP5K, 5, 40", "UP5K, 6, 84", "XC7, 5, 32", "XC7, 6, 68"})
    void aWritePortsEnablesAreOneDecoder(Target t, int n, long luts) {
        Module m = new Module("WritePort") {{
            Signal we = input("we", bool());
            Signal wa = input("wa", uint(n));
            for (int lane = 0; lane < 2; lane++) {
                dev.qforge.dsl.Vec buf = regs("buf" + lane, 1 << n, bool());
                buf.setAtWhen(we, wa, input("d" + lane, bool()));
                for (int i = 0; i < 1 << n; i++) {
                    output("q" + lane + "_" + i, bool()).set(buf.get(i));
                }
            }
        }};
        assertEquals(luts, Passes.model(m, t).resources().get(Resource.LUT));
    }

    /**
     * q (16 bits, reset) cleared and loaded from d or (with {@code select}) from {@code sel ? a : b}: flat as {@code if (clr) q <= 0;
     * else if (en) q <= value}, or nested in a state's branch as the divider's quotient, {@code if (state != 0) if (state == 1)
     * { if (start) q <= 0; } else if (state == 2) q <= value}.
     */
    private static Module cleared(boolean nested, boolean select, boolean reset) {
        return new Module("Cleared" + nested + select + reset) {{
            Signal q = reset ? reg("q", uint(16), 0) : reg("q", uint(16));
            Expr value = select ? Expr.mux(input("sel", bool()), input("a", uint(16)), input("b", uint(16))) : input("d", uint(16));
            if (nested) {
                Signal state = input("state", uint(3));
                Signal start = input("start", bool());
                when(state.eq(0).not(), () -> when(state.eq(1), () -> when(start, () -> q.set(Expr.u(0, 16))))
                        .elsewhen(state.eq(2), () -> q.set(value)));
            } else {
                when(input("clr", bool()), () -> q.set(Expr.u(0, 16))).elsewhen(input("en", bool()), () -> q.set(value));
            }
            output("y", uint(16)).set(q);
        }};
    }

    /**
     * A constant loaded behind more than one condition is a reset the enable gates, which FDRE cannot take: a LUT per bit on
     * Xilinx (GatedReset). Yosys 0.23, LUTs on xc7/xcup: flat 1/1; nested 16/16 (the model 20); nested without the reset 17/17
     * (the model 20); nested with a select for the value 17/17, the constant's condition in the select's LUTs (the model 21).
     * On iCE40 SB_DFFESR gates its reset by the enable: nested without the reset 2 (the model 4).
     */
    @ParameterizedTest
    @CsvSource({"false, false, true, XC7, 1", "false, false, true, XCUP, 1", "true, false, true, XC7, 20", "true, false, true, XCUP, 20",
        "true, false, false, XC7, 20", "true, true, true, XC7, 21", "true, false, false, UP5K, 4"})
    void aConstantTheEnableGatesIsALutPerBitOnXilinx(boolean nested, boolean select, boolean reset, Target t, long luts) {
        assertEquals(luts, Passes.luts(cleared(nested, select, reset), t));
    }
}
