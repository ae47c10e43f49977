package dev.qforge.generators.report.estimate;

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
}
