package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Resources;
import dev.qforge.generators.report.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.qforge.dsl.Expr.cat;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RegisterCostTest {
    /** A chain of {@code stages} 8-bit registers without reset. */
    private static Module delayLine(int stages) {
        return new Module("Delay" + stages) {{
            Signal prev = input("a", uint(8));
            for (int i = 0; i < stages; i++) {
                Signal r = reg("r" + i, uint(8));
                r.set(prev);
                prev = r;
            }
            output("y", uint(8)).set(prev);
        }};
    }

    /** Three or more stages become one SRL per bit on Xilinx (up to 32 stages each); iCE40 keeps the flip-flops, each in a logic cell of its own. */
    @ParameterizedTest
    @CsvSource({
        "XCUP, 2, 0, 16, 0", "XCUP, 3, 8, 0, 0", "XC7, 32, 8, 0, 0", "XC7, 33, 16, 0, 0",
        "HX8K, 3, 0, 24, 24", "UP5K, 5, 0, 40, 40"})
    void shiftRegisters(Target t, int stages, long luts, long flipFlops, long logicCells) {
        Resources r = Passes.model(delayLine(stages), t).resources();
        assertEquals(luts, r.get(Resource.LUT));
        assertEquals(flipFlops, r.get(Resource.FF));
        assertEquals(logicCells, r.get(Resource.LC));
    }

    /**
     * Yosys' shregmap works bit by bit: the bits a slice takes from a register that nothing else
     * reads chain on (r0's low byte through two more registers: one SRL per bit), the others stay
     * flip-flops (the high byte, two stages); and so through a concatenation (r1 as the high byte
     * of w, into c, then c2). The same bits read once more break the chain.
     */
    @ParameterizedTest
    @CsvSource({"false, 16, 16", "true, 8, 40"})
    void shiftRegistersThroughSlicesAndConcatenations(boolean readTwice, long luts, long flipFlops) {
        Module m = new Module("Sliced" + readTwice) {{
            Signal r0 = reg("r0", uint(16));
            r0.set(input("a", uint(16)));
            Signal lo1 = reg("lo1", uint(8));
            lo1.set(r0.slice(7, 0));
            Signal lo2 = reg("lo2", uint(8));
            lo2.set(lo1);
            Signal hi1 = reg("hi1", uint(8));
            hi1.set(r0.slice(15, 8));
            output("y", uint(24)).set(cat(hi1, lo2, readTwice ? r0.slice(7, 0) : Expr.u(0, 8)));
            Signal r1 = reg("r1", uint(8));
            r1.set(input("b", uint(8)));
            Expr w = cat(r1, input("d", uint(8)));
            Signal c = reg("c", uint(8));
            c.set(w.slice(15, 8));
            Signal c2 = reg("c2", uint(8));
            c2.set(c);
            output("z", uint(16)).set(cat(c2, w.slice(7, 0)));
        }};
        Resources r = Passes.model(m, Target.XCUP).resources();
        assertEquals(luts, r.get(Resource.LUT));
        assertEquals(flipFlops, r.get(Resource.FF));
    }

    /** A register of a sign-extended value: Yosys merges the flip-flops of the repeated bit. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void extensionBitsShareOneFlipFlop(Target t) {
        Module m = new Module("Extended") {{
            Signal q = reg("q", sint(16), 0);
            q.set(input("a", sint(5)).signExtend(16));
            output("y", sint(16)).set(q);
        }};
        assertEquals(5, Passes.model(m, t).resources().get(Resource.FF));
    }
}
