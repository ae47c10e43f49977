package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;
import dev.qforge.lib.MacPe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static dev.qforge.generators.report.estimate.Passes.driverOp;
import static dev.qforge.generators.report.estimate.Passes.signal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DspAbsorptionTest {
    /** Registered operands without reset, multiplied into a register: a DSP's A, B and M/P registers. */
    static final class RegisteredProduct extends Module {
        RegisteredProduct() {
            super("RegisteredProduct");
            Signal ra = reg("ra", sint(8));
            Signal rb = reg("rb", sint(8));
            Signal p = reg("p", sint(16));
            ra.set(input("a", sint(8)));
            rb.set(input("b", sint(8)));
            p.set(ra.times(rb));
            output("y", sint(16)).set(p);
        }
    }

    /** xc7 (DSP48E1) and the UP5K (SB_MAC16) take the registers in; DSP48E2s take none in Yosys 0.23; HX8K has no DSP. */
    @ParameterizedTest
    @CsvSource({"XC7, true, 0", "UP5K, true, 0", "XCUP, false, 32", "HX8K, false, 32"})
    void registersAroundAMultiplierGoIntoTheDsp(Target t, boolean absorbed, long flipFlops) {
        Module m = new RegisteredProduct();
        ModuleModel model = Passes.model(m, t);
        for (String r : new String[] {"ra", "rb", "p"}) {
            assertEquals(absorbed, model.dsps().isAbsorbed(signal(m, r)), r);
        }
        assertEquals(flipFlops, model.resources().get(Resource.FF));
    }

    /** A register only DSP multipliers read (a shared scale): each DSP takes a copy as its input register. */
    static final class SharedScale extends Module {
        SharedScale() {
            super("SharedScale");
            Signal scale = reg("scale", sint(16));
            when(input("load", bool()), () -> scale.set(input("s", sint(16))));
            for (int i = 0; i < 2; i++) {
                output("y" + i, sint(24)).set(input("x" + i, sint(8)).times(scale));
            }
        }
    }

    /** Yosys 0.23: 2 DSPs and no fabric flip-flop on xc7 and the UP5K; DSP48E2s take none in Yosys 0.23, so the 16 stay. */
    @ParameterizedTest
    @CsvSource({"XC7, true, 0", "UP5K, true, 0", "XCUP, false, 16"})
    void aRegisterReadByDspsAloneIsCopiedIntoEach(Target t, boolean absorbed, long flipFlops) {
        Module m = new SharedScale();
        ModuleModel model = Passes.model(m, t);
        assertEquals(absorbed, model.dsps().isAbsorbed(signal(m, "scale")));
        assertEquals(2, model.resources().get(Resource.DSP));
        assertEquals(flipFlops, model.resources().get(Resource.FF));
    }

    /**
     * A register read by a DSP multiplier through a slice, and through a further register by another:
     * on xc7 the first input register of each DSP48E1 (AREG = 2). Yosys 0.23: 2 DSP48E1 and no
     * flip-flop on xc7; 112 flip-flops on xcup (32 + 16 + 2 x 32).
     */
    @ParameterizedTest
    @CsvSource({"XC7, true, 0", "XCUP, false, 112"})
    void aRegisterFeedingDspsAndTheirInputRegistersIsTheirFirstStage(Target t, boolean absorbed, long flipFlops) {
        Module m = new Module("TwoStage") {{
            Signal x = reg("x", uint(32));
            Signal xl = reg("xl", uint(16));
            Signal p0 = reg("p0", sint(32));
            Signal p1 = reg("p1", sint(32));
            Signal coef = input("m", sint(16));
            x.set(input("xin", uint(32)));
            xl.set(x.slice(15, 0));
            p0.set(x.slice(31, 16).asSInt().times(coef));
            p1.set(xl.asSInt().times(coef));
            output("y0", sint(32)).set(p0);
            output("y1", sint(32)).set(p1);
        }};
        ModuleModel model = Passes.model(m, t);
        assertEquals(absorbed, model.dsps().isAbsorbed(signal(m, "x")));
        assertEquals(2, model.resources().get(Resource.DSP));
        assertEquals(flipFlops, model.resources().get(Resource.FF));
    }

    @Test
    void theDsp48e1TakesThePostAdderAndItsRegister() {
        Module m = new MacPe(8, 8, 32);
        DspAbsorption xc7 = Passes.model(m, Target.XC7).dsps();
        assertTrue(xc7.isAbsorbed(driverOp(m, "psum")), "psum_in + a_in * weight");
        assertTrue(xc7.isAbsorbed(signal(m, "psum")));
        assertFalse(xc7.isAbsorbed(signal(m, "weight")), "w_out reads it too");
        DspAbsorption up5k = Passes.model(m, Target.UP5K).dsps();
        assertFalse(up5k.isAbsorbed(signal(m, "psum")), "the SB_MAC16 takes no post-adder here");
        assertFalse(up5k.isAbsorbed(driverOp(m, "psum")));
    }

    /**
     * Yosys takes a constant factor's trailing zeros out of the multiply, so the product reaches
     * the adder shifted and xilinx_dsp, which packs an adder only when its operand starts with P's
     * bit 0, leaves the sum in CARRY4s (the examples/ FIR's x * 10240: B = 5 in the DSP48E1).
     */
    @ParameterizedTest
    @CsvSource({"5, true", "10240, false"})
    void aProductShiftedByItsConstantsTrailingZerosKeepsItsAdder(long factor, boolean absorbed) {
        Module m = new Module("ConstantTap") {{
            Signal q = reg("q", sint(31));
            q.set(input("x", sint(12)).times(Expr.s(factor, 16)).plus(input("acc", sint(30))));
            output("y", sint(31)).set(q);
        }};
        assertEquals(absorbed, Passes.model(m, Target.XC7).dsps().isAbsorbed(driverOp(m, "q")));
    }

    /** A product over two SB_MAC16 tiles into a register: the first tile's output register holds its low 16 bits. */
    @Test
    void aTiledProductsLowBitsStayInTheFirstTile() {
        Module m = new Module("TiledProduct") {{
            Signal p = reg("p", sint(40));
            p.set(input("a", sint(24)).times(input("b", sint(16))));
            output("y", sint(40)).set(p);
        }};
        ModuleModel model = Passes.model(m, Target.UP5K);
        assertEquals(2, model.arithmetic().dspCount(driverOp(m, "p")));
        assertEquals(16, model.dsps().absorbedBits(signal(m, "p")));
        assertEquals(40 - 16, model.resources().get(Resource.FF));
    }

    /** On xc7 a sum read alone from a DSP's product register is the next post-adder, and its register that DSP's P. */
    @Test
    void aSumOfARegisteredProductIsAPostAdderOnXc7() {
        Module m = new Module("RegisteredSum") {{
            Signal m1 = reg("m1", sint(16));
            m1.set(input("a", sint(8)).times(input("b", sint(8))));
            Signal p = reg("p", sint(17));
            p.set(m1.plus(input("c", sint(16))));
            output("y", sint(17)).set(p);
        }};
        DspAbsorption xc7 = Passes.model(m, Target.XC7).dsps();
        assertTrue(xc7.isAbsorbed(signal(m, "m1")), "M");
        assertTrue(xc7.isAbsorbed(driverOp(m, "p")), "the post-adder");
        assertTrue(xc7.isAbsorbed(signal(m, "p")), "P");
        assertFalse(Passes.model(m, Target.XCUP).dsps().isAbsorbed(signal(m, "p")), "DSP48E2s absorb none in Yosys 0.23");
    }

    /**
     * A four-register delay line into a DSP48E1, its product registered (M), summed into a register
     * (post-adder and P), and that sum added on into a further register. Yosys 0.23
     * ({@code synth_xilinx -family xc7}, the same RTL): 1 DSP48E1 with A2, A1, B2, M and P and the
     * post-adder; the first two delay registers stay flip-flops (a two-register chain is no SRL) and
     * the adder reading P stays in slices with its register: 80 FDRE (2 x 16 + 48). With
     * {@code -family xcup}: 1 DSP48E2, 16 SRL16E (the four-register delay line) and 129 FDRE (16 + 32 + 33 + 48).
     */
    @Test
    void aDsp48e1TakesTwoInputStagesAndNoAdderAfterP() {
        Module m = new Module("DelayedMac") {{
            Signal en = input("en", bool());
            Signal c = input("c", sint(32));
            Expr a = input("a", sint(16));
            for (int i = 1; i <= 4; i++) {
                Signal r = reg("a" + i, sint(16));
                r.setWhen(en, a);
                a = r;
            }
            Signal b1 = reg("b1", sint(16));
            b1.setWhen(en, input("b", sint(16)));
            Signal mr = reg("m", sint(32));
            mr.setWhen(en, a.times(b1));
            Signal p = reg("p", sint(33));
            p.setWhen(en, mr.plus(c));
            Signal q = reg("q", sint(48));
            q.setWhen(en, p.shl(15).plus(c).truncate(48));
            output("y", sint(48)).set(q);
        }};
        ModuleModel model = Passes.model(m, Target.XC7);
        for (String r : new String[] {"a3", "a4", "b1", "m", "p"}) {
            assertTrue(model.dsps().isAbsorbed(signal(m, r)), r);
        }
        for (String r : new String[] {"a1", "a2", "q"}) {
            assertFalse(model.dsps().isAbsorbed(signal(m, r)), r);
        }
        assertTrue(model.dsps().isAbsorbed(driverOp(m, "p")), "the post-adder reads M");
        assertFalse(model.dsps().isAbsorbed(driverOp(m, "q")), "an adder reading P stays in slices");
        assertEquals(1, model.resources().get(Resource.DSP));
        assertEquals(80, model.resources().get(Resource.FF));
        assertEquals(129, Passes.model(m, Target.XCUP).resources().get(Resource.FF), "DSP48E2s absorb none in Yosys 0.23");
    }

    /**
     * Two registered products concatenated into one register: on xc7 the register is the P of both
     * DSPs. Yosys 0.23 ({@code synth_xilinx -family xc7}, the same RTL): 2 DSP48E1 (A2, B2, M, P), no
     * flip-flop and no LUT; DSP48E2s absorb none, so xcup keeps all 64 + 64 + 64.
     */
    @ParameterizedTest
    @CsvSource({"XC7, true, 0", "XCUP, false, 192"})
    void aRegisterTakingTwoProductRegistersIsTheirP(Target t, boolean absorbed, long flipFlops) {
        Module m = new Module("ProductPair") {{
            Signal en = input("en", bool());
            Signal[] in = new Signal[4];
            for (int i = 0; i < 4; i++) {
                in[i] = reg("r" + i, sint(16));
                in[i].setWhen(en, input("i" + i, sint(16)));
            }
            Signal m1 = reg("m1", sint(32));
            m1.setWhen(en, in[0].times(in[1]));
            Signal m2 = reg("m2", sint(32));
            m2.setWhen(en, in[2].times(in[3]));
            Signal q = reg("q", uint(64));
            q.setWhen(en, Expr.cat(m1, m2));
            output("y", uint(64)).set(q);
        }};
        ModuleModel model = Passes.model(m, t);
        assertEquals(absorbed, model.dsps().isAbsorbed(signal(m, "q")));
        assertEquals(2, model.resources().get(Resource.DSP));
        assertEquals(flipFlops, model.resources().get(Resource.FF));
    }
}
