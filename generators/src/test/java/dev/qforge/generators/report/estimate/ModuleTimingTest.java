package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Vec;
import dev.qforge.generators.report.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.qforge.dsl.HwType.sint;
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
        // clock-to-output 0.45 + x's net (two adder inputs per bit: 0.29) + carry start 0.71 + 26 x 0.184 + setup 0.10 ns
        assertEquals(0.45 + 0.29 + 0.71 + 26 * 0.184 + 0.10, hx8k.worstPathNs(), 1e-9);
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

    /**
     * A multiply of registers only it reads into a register is a DSP-internal pipeline stage
     * (AREG/BREG -> MREG), timed at the datasheet's DSP Fmax with all registers used: DS923 DSP48E2
     * 775 MHz (-2), DS181 DSP48E1 464 MHz (-1). When an operand register is read elsewhere too, it
     * stays in the fabric and the path is clock-to-output + combinational DSP multiply + setup.
     */
    @ParameterizedTest
    @CsvSource({"xcup, 775, 3.25", "xc7, 464, 4.80"})
    void aFullyRegisteredMultiplyIsADspPipelineStage(String target, double datasheetMhz, double fabricNs) {
        Target t = Target.valueOf(target.toUpperCase());
        ModuleModel pipelined = Passes.model(registeredMultiply(false), t);
        assertEquals("a -> DSP pipeline stage -> p", pipelined.worstPathThrough());
        assertEquals(1000 / datasheetMhz, pipelined.worstPathNs(), 1e-9);
        ModuleModel shared = Passes.model(registeredMultiply(true), t);
        assertEquals("a -> DSP 8x8 multiplier -> p", shared.worstPathThrough());
        assertEquals(fabricNs, shared.worstPathNs(), 1e-9);
    }

    /** A register that two DSP multiplies read (each DSP's A register holds a copy) still starts their pipeline stages. */
    @Test
    void aRegisterReadByTwoDspMultipliesStartsBothStages() {
        Module m = new Module("SharedOperand") {{
            Signal a = reg("a", sint(16));
            Signal b = reg("b", sint(16));
            Signal c = reg("c", sint(16));
            a.set(input("x", sint(16)));
            b.set(input("w", sint(16)));
            c.set(input("v", sint(16)));
            Signal ab = reg("ab", sint(32));
            Signal ac = reg("ac", sint(32));
            ab.set(a.times(b));
            ac.set(a.times(c));
            output("y_ab", sint(32)).set(ab);
            output("y_ac", sint(32)).set(ac);
        }};
        ModuleModel xcup = Passes.model(m, Target.XCUP);
        assertEquals(1000 / 775.0, xcup.worstPathNs(), 1e-9);
    }

    /** p = a * b of registered int8 operands, registered; {@code aSharedOut}: a also leaves on a port. */
    private static Module registeredMultiply(boolean aSharedOut) {
        return new Module("RegisteredMultiply" + aSharedOut) {{
            Signal a = reg("a", sint(8));
            Signal b = reg("b", sint(8));
            Signal p = reg("p", sint(16));
            a.set(input("x", sint(8)));
            b.set(input("w", sint(8)));
            p.set(a.times(b));
            output("y", sint(16)).set(p);
            if (aSharedOut) {
                output("a_out", sint(8)).set(a);
            }
        }};
    }
}
