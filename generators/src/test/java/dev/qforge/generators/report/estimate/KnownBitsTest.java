package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;
import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;
import static dev.qforge.generators.report.estimate.Passes.driverOp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnownBitsTest {
    /** A value padded with ones, read through a wire: its padding's "any bit set" is a constant, the rest is not. */
    private static Module padded() {
        return new Module("Padded") {{
            Signal x = input("x", uint(8));
            Signal v = wire("v", uint(16));
            v.set(Expr.cat(x, Expr.u(0xFF, 8)));
            Signal low = reg("low", bool());
            low.set(v.slice(7, 0).orReduce().not());
            Signal high = reg("high", bool());
            high.set(v.slice(15, 8).orReduce());
            output("y", uint(2)).set(Expr.cat(low, high));
        }};
    }

    @Test
    void constantsJoinedIntoAWireAreKnownThroughIt() {
        Module m = padded();
        ModuleModel model = Passes.model(m, Target.XC7);
        assertTrue(model.cones().isFoldedToConstant(driverOp(m, "low")));
        assertFalse(model.cones().isFoldedToConstant(driverOp(m, "high")));
    }

    /** Folded logic costs no LUT: only the 8-input OR of x remains (two LUT6s on xc7). */
    @Test
    void foldedLogicCostsNothing() {
        assertEquals(2, Passes.model(padded(), Target.XC7).resources().get(Resource.LUT));
    }

    /** The known zero low bits of a concatenation shorten an adder's carry chain as a constant shift does. */
    @Test
    void knownZeroLowBitsShortenTheCarryChain() {
        Module m = new Module("PaddedSum") {{
            Signal x = input("x", uint(8));
            Signal v = wire("v", uint(16));
            v.set(Expr.cat(x, Expr.u(0, 8)));
            Signal q = reg("q", uint(16));
            q.set(v.plus(input("b", uint(16))).truncate(16));
            output("y", uint(16)).set(q);
        }};
        assertEquals(8, Passes.model(m, Target.UP5K).arithmetic().carryBits(driverOp(m, "q")));
    }

    /**
     * A register loaded (under an enable) with three bits above seven zeros holds those zeros for good
     * (opt_dff makes them constants): a right shift of it by up to 15 has 30 multiplexer bits that can
     * carry data, not the 40 of a shifter of ten unknown bits.
     */
    @Test
    void constantBitsOfARegisterAreKnownToTheShifterAfterIt() {
        Module m = new Module("PaddedShift") {{
            Signal n = reg("n", uint(10));
            when(input("en", bool()), () -> n.set(Expr.cat(input("x", uint(3)), Expr.u(0, 7))));
            Signal q = reg("q", uint(10));
            q.set(n.shr(input("s", uint(4))));
            output("y", uint(10)).set(q);
        }};
        ModuleModel model = Passes.model(m, Target.XC7);
        assertEquals(7, model.liveness().known().lowZeros(Passes.signal(m, "n")));
        int muxBits = 0;
        for (BitSet stage : model.arithmetic().shifterStages(driverOp(m, "q"))) {
            muxBits += stage.cardinality();
        }
        assertEquals(30, muxBits);
    }
}
