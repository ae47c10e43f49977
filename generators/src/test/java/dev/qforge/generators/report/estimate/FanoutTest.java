package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.report.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static dev.qforge.generators.report.estimate.Passes.signal;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FanoutTest {
    private static Fanout fanout(Module m, Target t) {
        ModuleModel model = Passes.model(m, t);
        return new Fanout(model.liveness(), model.arithmetic());
    }

    /** A one-bit enable of a w-bit register drives w clock enables; the data bits one flip-flop each. */
    @ParameterizedTest
    @ValueSource(ints = {1, 8, 33})
    void anEnableDrivesEveryFlipFlopOfItsRegister(int w) {
        Module m = new Module("Enabled") {{
            Signal q = reg("q", uint(w));
            q.setWhen(input("en", bool()), input("d", uint(w)));
            output("y", uint(w)).set(q);
        }};
        Fanout f = fanout(m, Target.HX8K);
        assertEquals(w, f.loads(signal(m, "en")));
        assertEquals(1, f.loads(signal(m, "d")));
        assertEquals(1, f.loads(signal(m, "q")), "the output port");
    }

    /** A multiplexer's select drives every bit of it; each data bit one LUT input, counted per reader. */
    @Test
    void aSelectDrivesEveryBitOfItsMultiplexer() {
        Module m = new Module("Select") {{
            Signal a = input("a", uint(12));
            Signal b = input("b", uint(12));
            output("y", uint(12)).set(Expr.mux(input("s", bool()), a, b));
            output("z", uint(12)).set(a.xor(b));
        }};
        Fanout f = fanout(m, Target.HX8K);
        assertEquals(12, f.loads(signal(m, "s")));
        assertEquals(2, f.loads(signal(m, "a")), "the multiplexer and the XOR");
    }

    /** Each bit of a LUT multiplier's operand drives a partial product per bit of the other operand. */
    @Test
    void aLutMultipliersOperandsDriveEveryPartialProduct() {
        Module m = new Module("LutProduct") {{
            Signal p = reg("p", sint(21));
            p.set(input("a", sint(5)).times(input("b", sint(16))));
            output("y", sint(21)).set(p);
        }};
        Fanout f = fanout(m, Target.HX8K);
        assertEquals(16, f.loads(signal(m, "a")));
        assertEquals(5, f.loads(signal(m, "b")));
    }

    /** A bit read through a slice loads that bit only: bits read one each drive one input, not the sum over all bits. */
    @Test
    void aSliceLoadsOnlyTheBitsItTakes() {
        Module m = new Module("Bits") {{
            Signal x = input("x", uint(32));
            Signal g = input("g", bool());
            for (int i = 0; i < 32; i++) {
                output("y" + i, bool()).set(x.bit(i).and(g));
            }
            output("low", uint(4)).set(x.slice(3, 0).xor(input("k", uint(4))));
        }};
        Fanout f = fanout(m, Target.HX8K);
        assertEquals(2, f.loads(signal(m, "x")), "bits 0..3: their AND and the XOR; the other bits one AND each");
        assertEquals(32, f.loads(signal(m, "g")));
    }

    /** A condition telling three drivers apart is read once per bit of the register, not once per driver. */
    @Test
    void aConditionIsReadOncePerBitHoweverManyDriversItTellsApart() {
        Module m = new Module("ThreeWay") {{
            Signal q = reg("q", uint(8));
            Signal c = input("c", bool());
            when(c, () -> q.set(input("a", uint(8)))).elsewhen(input("s", bool()), () -> q.set(input("b", uint(8))))
                    .otherwise(() -> q.set(input("d", uint(8))));
            output("y", uint(8)).set(q);
        }};
        assertEquals(8, fanout(m, Target.HX8K).loads(signal(m, "c")));
    }

    /** A wire that renames a register is the register's net: its readers load the register, and it drives nothing itself. */
    @Test
    void aRenamingWireLoadsTheSignalItRenames() {
        Module m = new Module("Alias") {{
            Signal q = reg("q", bool());
            q.set(input("d", bool()));
            Signal en = wire("en", bool());
            en.set(q);
            for (int i = 0; i < 3; i++) {
                output("y" + i, bool()).set(en.and(input("x" + i, bool())));
            }
            output("z", bool()).set(q.or(input("w", bool())));
        }};
        Fanout f = fanout(m, Target.HX8K);
        assertEquals(4, f.loads(signal(m, "q")), "the three ANDs through en and the OR");
        assertEquals(0, f.loads(signal(m, "en")));
    }

    /** Past 32 loads a net's routing stops growing (nextpnr buffers it): 256 loads route as 32 do. */
    @Test
    void routingSaturatesAtThirtyTwoLoads() {
        Target.Delays hx8k = Target.HX8K.delays();
        assertEquals(5 * hx8k.fanoutPerDoubling(), hx8k.fanout(256), 1e-12);
        assertEquals(4 * hx8k.fanoutPerDoubling(), hx8k.fanout(16), 1e-12);
    }
}
