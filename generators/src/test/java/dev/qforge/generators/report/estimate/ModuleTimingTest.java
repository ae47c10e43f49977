package dev.qforge.generators.report.estimate;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.dsl.Vec;
import dev.qforge.generators.report.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static dev.qforge.generators.report.estimate.Passes.driverOp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * A LUT multiply added into a sum as wide as its product merges with the adder (alumacc's $macc:
     * one carry chain); added into a wider sum, which reads it sign-extended, it keeps its own chain,
     * a carry start and the LUT leaving it more on iCE40.
     */
    @Test
    void aLutProductReadExtendedKeepsItsOwnCarryChainOnIce40() {
        Module whole = macc(8);
        Module extended = macc(10);
        ModuleModel w = Passes.model(whole, Target.HX8K);
        ModuleModel e = Passes.model(extended, Target.HX8K);
        assertEquals("a -> LUT 4x4 multiplier -> 8-bit adder -> acc", w.worstPathThrough());
        assertEquals("a -> LUT 4x4 multiplier -> 10-bit adder -> acc", e.worstPathThrough());
        Target.Delays d = Target.HX8K.delays();
        assertEquals(d.carryStart() + d.lutLevel() + 2 * d.carryPerBit(), e.worstPathNs() - w.worstPathNs(), 1e-9);
    }

    private static Module macc(int accBits) {
        return new Module("Macc" + accBits) {{
            Signal acc = reg("acc", sint(accBits));
            acc.set(acc.plus(input("a", sint(4)).times(input("b", sint(4)))).truncate(accBits));
            output("y", sint(accBits)).set(acc);
        }};
    }

    /**
     * A sum that two registers read packs into the logic cell of one of them only: the other takes
     * it through a pass-through LUT of its own on iCE40 (a LUT level), besides the net's second load.
     */
    @Test
    void aSumTwoRegistersReadPassesThroughALutOnIce40() {
        ModuleModel one = Passes.model(sums(false), Target.HX8K);
        ModuleModel two = Passes.model(sums(true), Target.HX8K);
        assertEquals("acc -> 9-bit adder -> acc", one.worstPathThrough());
        assertEquals("acc -> 9-bit adder -> pass-through LUT -> acc", two.worstPathThrough());
        Target.Delays d = Target.HX8K.delays();
        assertEquals(d.lutLevel() + d.fanout(2), two.worstPathNs() - one.worstPathNs(), 1e-9);
    }

    private static Module sums(boolean copied) {
        return new Module(copied ? "SumTwice" : "SumOnce") {{
            Signal acc = reg("acc", uint(9));
            Signal sum = wire("sum", uint(9));
            sum.set(acc.plus(input("x", uint(8))).truncate(9));
            acc.set(sum);
            if (copied) {
                Signal copy = reg("copy", uint(9));
                copy.set(sum);
                output("c", uint(9)).set(copy);
            }
            output("y", uint(9)).set(acc);
        }};
    }

    /**
     * {@code c + (sel ? 0 : a + b)}: the choice packs into the inner sum's LUT4s on iCE40, whose bits still leave in
     * chain order, so the outer chain ripples a carry step and a LUT level behind the inner one, not its whole length
     * after it (the bfp quantizer's rounding, 49.8 MHz in nextpnr).
     */
    @Test
    void aSumChosenAgainstAConstantStillRipplesIntoTheNextChainOnIce40() {
        ModuleModel packed = Passes.model(choice(false), Target.HX8K);
        ModuleModel apart = Passes.model(choice(true), Target.HX8K);
        assertEquals("a -> 17-bit adder -> chained 18-bit adder -> q", packed.worstPathThrough());
        Target.Delays d = Target.HX8K.delays();
        assertEquals(d.clockToOut() + d.carry(17) + d.carry(1) + d.lutLevel() + d.setup(), packed.worstPathNs(), 1e-9);
        // a two-input select keeps the choice a LUT of its own, after which the outer chain ripples its whole length
        assertEquals("a -> 17-bit adder -> mux -> 18-bit adder -> q", apart.worstPathThrough());
        assertTrue(apart.worstPathNs() > packed.worstPathNs() + d.carry(17) - d.carry(1));
    }

    private static Module choice(boolean twoInputSelect) {
        return new Module(twoInputSelect ? "ChoiceApart" : "ChoicePacked") {{
            Signal a = reg("a", uint(16));
            Signal b = reg("b", uint(16));
            Signal c = reg("c", uint(17));
            Signal s = reg("s", bool());
            a.set(input("x", uint(16)));
            b.set(input("y", uint(16)));
            c.set(input("z", uint(17)));
            s.set(input("w", bool()));
            Expr sel = twoInputSelect ? s.and(input("v", bool())) : s;
            Signal q = reg("q", uint(18));
            q.set(c.plus(Expr.mux(sel, Expr.u(0, 17), a.plus(b))));
            output("o", uint(18)).set(q);
        }};
    }

    /** A comparison of two registers is a carry chain whose carry-out leaves through a logic cell's LUT on iCE40. */
    @Test
    void aComparisonsCarryOutLeavesThroughALutOnIce40() {
        Module m = new Module("Less") {{
            Signal a = reg("a", uint(8));
            Signal b = reg("b", uint(8));
            a.set(input("x", uint(8)));
            b.set(input("y", uint(8)));
            Signal lt = reg("lt", bool());
            lt.set(a.lt(b));
            output("q", bool()).set(lt);
        }};
        ModuleModel hx8k = Passes.model(m, Target.HX8K);
        assertEquals("a -> 8-bit compare -> lt", hx8k.worstPathThrough());
        Target.Delays d = Target.HX8K.delays();
        assertEquals(d.clockToOut() + d.carry(8) + d.lutLevel() + d.setup(), hx8k.worstPathNs(), 1e-9);
    }

    /**
     * A late comparison ANDed with four early bits, ORed with two more: the AND is absorbed into the
     * OR's cone, and ABC still maps the late input near the root, one LUT after it (not the two a
     * seven-input tree takes when the AND's four early inputs are counted as late as the comparison).
     */
    @Test
    void aLateInputInsideAnAbsorbedOperandJoinsTheLastLutOnIce40() {
        Module m = new Module("LateAnd") {{
            Signal p = reg("p", uint(8));
            Signal q = reg("q", uint(8));
            p.set(input("x", uint(8)));
            q.set(input("z", uint(8)));
            Signal[] r = new Signal[6];
            for (int i = 0; i < 6; i++) {
                r[i] = reg("r" + i, bool());
                r[i].set(input("b" + i, bool()));
            }
            Signal y = reg("y", bool());
            y.set(r[0].and(r[1]).and(r[2]).and(r[3]).and(p.lt(q)).or(r[4].and(r[5])));
            output("o", bool()).set(y);
        }};
        ModuleModel hx8k = Passes.model(m, Target.HX8K);
        assertEquals("p -> 8-bit compare -> logic -> y", hx8k.worstPathThrough());
        Target.Delays d = Target.HX8K.delays();
        assertEquals(d.clockToOut() + d.carry(8) + 2 * d.lutLevel() + d.setup(), hx8k.worstPathNs(), 1e-9);
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
     * An OR over 64 register bits built of two-input ORs, each also read by a register of its own
     * (so no cone absorbs another): ABC maps it for depth, duplicating the shared terms, as three
     * LUT4 levels, not six, on iCE40.
     */
    @Test
    void aChainOfSharedLogicIsTimedAsOneTreeOverItsLeavesOnIce40() {
        Module m = new Module("OrTree") {{
            Signal r = reg("r", uint(64));
            r.set(input("x", uint(64)));
            Expr[] level = new Expr[64];
            for (int i = 0; i < 64; i++) {
                level[i] = r.bit(i);
            }
            int n = 0;
            for (int width = 64; width > 1; width /= 2) {
                for (int i = 0; i < width / 2; i++) {
                    level[i] = level[2 * i].or(level[2 * i + 1]);
                    Signal tap = reg("tap" + n++, bool());
                    tap.set(level[i]);
                    output("t" + (n - 1), bool()).set(tap);
                }
            }
        }};
        ModuleModel hx8k = Passes.model(m, Target.HX8K);
        // clock-to-output 0.51 + three LUT levels of 0.91 + the last operand's two-load net 0.34 + setup 0.10 ns
        assertEquals(0.51 + 3 * 0.91 + 0.34 + 0.10, hx8k.worstPathNs(), 1e-9);
    }

    /**
     * A register choosing among three values under three conditions has a six-input select, two LUT4
     * levels when all arrive together; a condition decoded from a 32-bit comparison arrives levels
     * later and joins the select's last LUT alone.
     */
    @Test
    void aLateConditionJoinsTheSelectsLastLutOnIce40() {
        Module m = new Module("LateSelect") {{
            Signal a = reg("a", uint(8));
            Signal b = reg("b", uint(8));
            Signal c = reg("c", uint(8));
            Signal u = reg("u", uint(32));
            Signal v = reg("v", uint(32));
            a.set(input("ia", uint(8)));
            b.set(input("ib", uint(8)));
            c.set(input("ic", uint(8)));
            u.set(input("iu", uint(32)));
            v.set(input("iv", uint(32)));
            Signal q = reg("q", uint(8));
            when(u.eq(v), () -> q.set(a)).elsewhen(input("s", bool()), () -> q.set(b)).elsewhen(input("t", bool()), () -> q.set(c));
            output("y", uint(8)).set(q);
        }};
        ModuleModel hx8k = Passes.model(m, Target.HX8K);
        assertEquals("u -> logic -> select q -> q", hx8k.worstPathThrough());
        // clock-to-output 0.51 + the 64-input equality (three LUT levels) + its net to the eight select
        // LUTs (three doublings of 0.34) + one select level + setup, all 0.91-ns levels
        assertEquals(0.51 + 3 * 0.91 + 3 * 0.34 + 0.91 + 0.10, hx8k.worstPathNs(), 1e-9);
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

    /**
     * nextpnr-ice40 promotes a clock enable driving more than 15 flip-flops to a global buffer:
     * registers loaded under the same conditions share the net, so two 8-bit registers are promoted
     * together and one 15-bit register is not. The enable, a LUT over init and valid, then runs
     * through the buffer (Crc16's path on HX8K).
     */
    @ParameterizedTest
    @CsvSource({"16, 0, true", "8, 8, true", "15, 0, false"})
    void aWideClockEnableRunsThroughAGlobalBufferOnIce40(int first, int second, boolean promoted) {
        Module m = new Module("Loaded" + first + "_" + second) {{
            Signal init = input("init", bool());
            Signal valid = input("valid", bool());
            Signal a = reg("a", uint(first));
            Signal b = second > 0 ? reg("b", uint(second)) : null;
            when(init, () -> {
                a.set(Expr.u(0, first));
                if (b != null) {
                    b.set(Expr.u(0, second));
                }
            }).elsewhen(valid, () -> {
                a.set(input("x", uint(first)));
                if (b != null) {
                    b.set(input("y", uint(second)));
                }
            });
            output("a_out", uint(first)).set(a);
            if (b != null) {
                output("b_out", uint(second)).set(b);
            }
        }};
        ModuleModel hx8k = Passes.model(m, Target.HX8K);
        Target.Delays d = Target.HX8K.delays();
        if (promoted) {
            assertEquals("init -> enable a -> global buffer -> a", hx8k.worstPathThrough());
            // init's net to the 16 selects and enables it loads, the enable's LUT, the buffer, setup
            assertEquals(d.clockToOut() + d.fanout(16) + d.lutLevel() + d.globalEnable() + d.setup(), hx8k.worstPathNs(), 1e-9);
        } else {
            assertEquals(false, hx8k.worstPathThrough().contains("global buffer"), hx8k.worstPathThrough());
        }
        assertEquals(false, Passes.model(m, Target.XCUP).worstPathThrough().contains("global buffer"));
    }

    /**
     * A compare with a constant on iCE40 is the carry chain opt leaves (9 < x of 10 bits: 8 cells), left through a LUT,
     * then the choice it makes: nextpnr-ice40 on HX8K places it at 197.0 MHz (registered x and result, a LUT after the
     * choice; the chain's first cell 0.3 ns, 0.1 a further one, the LUT it leaves through 0.9 with its routing), the
     * model at 181.4. The bfp8 quantizer's saturation, 127 < x of 8 bits, is x[7]: no chain, the choice's LUT alone.
     */
    @Test
    void aCompareWithAConstantIsTheChainOptLeavesOnIce40() {
        ModuleModel chain = Passes.model(saturate(10, 9), Target.HX8K);
        assertEquals("x -> 8-bit compare -> logic -> q", chain.worstPathThrough());
        assertEquals(197.0, 1000 / chain.worstPathNs(), 197.0 * 0.08);
        ModuleModel bit = Passes.model(saturate(8, 127), Target.HX8K);
        assertEquals("x -> logic -> q", bit.worstPathThrough());
        Target.Delays d = Target.HX8K.delays();
        // clock-to-output, x's net (0.34 ns), one LUT level (two over all 8 bits), setup
        assertEquals(d.clockToOut() + 0.34 + d.lutLevel() + d.setup(), bit.worstPathNs(), 1e-9);
    }

    private static Module saturate(int bits, long bound) {
        return new Module("Saturate" + bits) {{
            Signal x = reg("x", uint(bits));
            x.set(input("xi", uint(bits)));
            Signal q = reg("q", uint(4));
            q.set(Expr.mux(x.gt(bound), Expr.u(9, 4), x.slice(3, 0)).xor(input("a", uint(4))));
            output("y", uint(4)).set(q);
        }};
    }
}
