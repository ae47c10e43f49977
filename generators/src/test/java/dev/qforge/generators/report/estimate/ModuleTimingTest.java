package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Vec;
import dev.qforge.generators.report.Target;
import org.junit.jupiter.api.Test;

import static dev.qforge.dsl.HwType.uint;
import static dev.qforge.generators.report.estimate.Passes.driverOp;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ModuleTimingTest {
    /** x * 10240 = (x << 13) + (x << 11): one carry chain of the product's width, not a multiplier array. */
    @Test
    void aConstantMultiplyIsAShiftAddChain() {
        Module m = new Module("TimesConstant") {{
            Signal q = reg("q", uint(26));
            q.set(input("x", uint(12)).times(10240));
            output("y", uint(26)).set(q);
        }};
        ModuleModel hx8k = Passes.model(m, Target.HX8K);
        assertEquals("x -> shift-add x10240 -> q", hx8k.worstPathThrough());
        // clock-to-output 0.51 + x's net (two adder inputs per bit: 0.34) + carry start 0.59 + 26 x 0.184 + setup 0.10 ns
        assertEquals(0.51 + 0.34 + 0.59 + 26 * 0.184 + 0.10, hx8k.worstPathNs(), 1e-9);
    }

    /** A 16:1 multiplexer is four levels of 2:1 multiplexers on iCE40 (a 4:1 needs six inputs); a LUT6 tree on Xilinx. */
    @Test
    void aMultiplexerTreeTakesALevelPerStageOnIce40() {
        Module m = new Module("Mux16") {{
            Vec words = inputs("w", 16, uint(8));
            output("y", uint(8)).set(words.at(input("sel", uint(4))));
        }};
        LutCones hx8k = Passes.model(m, Target.HX8K).cones();
        assertEquals(4, hx8k.coneLevels(driverOp(m, "y")));
        LutCones xcup = Passes.model(m, Target.XCUP).cones();
        assertEquals(xcup.treeLevels(xcup.coneInputs(driverOp(m, "y"))), xcup.coneLevels(driverOp(m, "y")));
    }
}
