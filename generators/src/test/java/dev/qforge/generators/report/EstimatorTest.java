package dev.qforge.generators.report;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.generators.ModuleBlockInfo;
import dev.qforge.lib.Counter;
import dev.qforge.lib.MacPe;
import dev.qforge.lib.SyncFifo;
import dev.qforge.lib.SystolicArray;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sint;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimator's mapping rules on library blocks (the sweep against Yosys itself lives in the fpga module). */
class EstimatorTest {
    private static Resources total(Design d, Target t) {
        return Estimator.estimate(d).get(t).total();
    }

    @Test
    void macPeMapsItsMultiplierToADspAndItsRegistersToFlipFlops() {
        Design d = Design.elaborate(new MacPe(8, 8, 32));
        Resources xcup = total(d, Target.XCUP);
        assertEquals(32, xcup.get(Resource.LUT), "the 32-bit accumulate adder");
        assertEquals(48, xcup.get(Resource.FF), "weight, a and psum registers");
        assertEquals(1, xcup.get(Resource.DSP));
        Resources xc7 = total(d, Target.XC7);
        assertEquals(0, xc7.get(Resource.LUT), "DSP48E1 takes the adder");
        assertEquals(16, xc7.get(Resource.FF), "and the psum register");
        Resources hx8k = total(d, Target.HX8K);
        assertEquals(0, hx8k.get(Resource.DSP), "HX8K has no DSP");
        assertTrue(hx8k.get(Resource.LUT) > 200, "the 8x8 multiplier in LUT4s: " + hx8k);
    }

    @Test
    void narrowProductsStayInLuts() {
        Design d = Design.elaborate(new MacPe(4, 4, 16));
        assertEquals(0, total(d, Target.XCUP).get(Resource.DSP), "an 8-bit product is under mul2dsp's 9-bit minimum");
        assertEquals(0, total(d, Target.UP5K).get(Resource.DSP), "and under the 11-bit minimum of iCE40");
    }

    /** One target's estimate alone (a spec's check) is that target's of the estimate on every target. */
    @Test
    void oneTargetAloneIsEstimatedAsAmongAll() {
        Design d = Design.elaborate(new SystolicArray(3, 2, 8, 8, 24));
        Map<Target, Estimator.TargetEstimate> all = Estimator.estimate(d);
        for (Target t : Target.values()) {
            assertEquals(Map.of(t, all.get(t)), Estimator.estimate(d, EnumSet.of(t)), t.id());
        }
    }

    @Test
    void modulesAreCountedPerInstance() {
        Design d = Design.elaborate(new SystolicArray(3, 2, 8, 8, 24));
        Map<String, Long> counts = Estimator.instanceCounts(d);
        assertEquals(6L, counts.get("MacPe_s8xs8_acc24"));
        assertEquals(1L, counts.get("SystolicArray"));
        assertEquals(6, total(d, Target.XCUP).get(Resource.DSP));
        Estimator.ModuleFigures pe = Estimator.estimate(d).get(Target.XCUP).modules().get(0);
        assertEquals(24 + 8 + 8, pe.perInstance().get(Resource.FF));
        assertEquals(6 * 40, pe.total().get(Resource.FF));
    }

    @Test
    void largeMemoriesGoToBlockRam() {
        Design d = Design.elaborate(new SyncFifo(16, 512));
        assertEquals(1, total(d, Target.XCUP).get(Resource.BRAM), "512 x 16 fits one RAMB18");
        assertEquals(2, total(d, Target.UP5K).get(Resource.BRAM), "two 256 x 16 EBRs");
        Design small = Design.elaborate(new SyncFifo(8, 16));
        assertEquals(0, total(small, Target.XCUP).get(Resource.BRAM), "16 words stay in LUT RAM on Xilinx");
    }

    @Test
    void incrementByAConstantNeedsNoLutOnXilinx() {
        Design d = Design.elaborate(new Counter(16));
        assertEquals(0, total(d, Target.XCUP).get(Resource.LUT));
        assertEquals(16, total(d, Target.XCUP).get(Resource.FF));
        assertTrue(total(d, Target.HX8K).get(Resource.LUT) >= 16, "iCE40 computes each sum bit in a LUT4");
    }

    @Test
    void criticalPathRunsAcrossInstances() {
        Estimator.TargetEstimate e = Estimator.estimate(Design.elaborate(new SystolicArray(2, 2, 8, 8, 32))).get(Target.XCUP);
        // as long as pe_0_0 (a) -> pe_0_1 (...): a top input arrives like a register's output
        assertEquals("a_in_0 -> pe_0_0 (a_in -> DSP 8x8 multiplier -> 32-bit adder -> psum)", e.criticalPath());
        assertTrue(e.fmaxMhz() > 100 && e.fmaxMhz() < 775, "Fmax " + e.fmaxMhz());
        Estimator.TargetEstimate counter = Estimator.estimate(Design.elaborate(new Counter(4))).get(Target.XCUP);
        assertEquals(775.0, counter.fmaxMhz(), "a short path is limited by the clock network");
    }

    /** Four enabled 8-bit registers in a row (Yosys 0.23: 8 SRL16E on Xilinx, 32 SB_DFFE on iCE40). */
    static final class Pipe4 extends Module {
        Pipe4() {
            super("Pipe4");
            Signal en = input("en", bool());
            Expr v = input("d", uint(8));
            for (int i = 0; i < 4; i++) {
                Signal r = reg("s" + i, uint(8));
                r.setWhen(en, v);
                v = r;
            }
            output("q", uint(8)).set(v);
        }
    }

    @Test
    void registerChainsBecomeShiftRegistersOnXilinx() {
        Design d = Design.elaborate(new Pipe4());
        for (Target t : new Target[] {Target.XCUP, Target.XC7}) {
            assertEquals(0, total(d, t).get(Resource.FF), t.id());
            assertEquals(8, total(d, t).get(Resource.LUT), "one SRL16E per bit on " + t.id());
        }
        assertEquals(32, total(d, Target.HX8K).get(Resource.FF), "iCE40 has no shift-register LUTs");
    }

    /** A 16-bit register of which only the low 4 bits are read (Yosys 0.23: 4 flip-flops, 4 LUTs). */
    static final class LowBits extends Module {
        LowBits() {
            super("LowBits");
            Signal r = reg("r", uint(16));
            r.set(input("a", uint(16)).xor(input("b", uint(16))));
            output("q", uint(4)).set(r.slice(3, 0));
        }
    }

    @Test
    void bitsNothingReadsAreRemoved() {
        Design d = Design.elaborate(new LowBits());
        for (Target t : Target.values()) {
            assertEquals(4, total(d, t).get(Resource.FF), t.id());
            assertEquals(4, total(d, t).get(Resource.LUT), t.id());
        }
    }

    /** An enabled register fed by {@code 0 < n ? a : 0} (Yosys 0.23: 8 LUT5 on Xilinx; on iCE40 SB_DFFESR and 1 LUT). */
    static final class Masked extends Module {
        Masked() {
            super("Masked");
            Signal en = input("en", bool());
            Signal n = input("n", uint(4));
            Signal q = reg("q", uint(8));
            q.setWhen(en, Expr.mux(n.gt(0), input("a", uint(8)), Expr.u(0, 8)));
            output("y", uint(8)).set(q);
        }
    }

    @Test
    void aMaskInFrontOfAFlipFlopIsItsResetOnIce40() {
        Design d = Design.elaborate(new Masked());
        assertEquals(8, total(d, Target.XC7).get(Resource.LUT), "the select and the data in one LUT per bit");
        assertEquals(1, total(d, Target.HX8K).get(Resource.LUT), "the reset condition, once");
        assertEquals(8, total(d, Target.HX8K).get(Resource.FF));
    }

    /** Three parities of five input bits: a, a ^ b ^ c ^ d ^ e (which contains the first) and a ^ a ^ b (which is b). */
    static final class Parities extends Module {
        Parities() {
            super("Parities");
            Signal x = input("x", uint(5));
            Expr abc = x.bit(0).xor(x.bit(1)).xor(x.bit(2));
            output("p0", bool()).set(abc);
            output("p1", bool()).set(abc.xor(x.bit(3)).xor(x.bit(4)));
            output("p2", bool()).set(x.bit(0).xor(x.bit(0)).xor(x.bit(1)));
        }
    }

    @Test
    void xorNetworksShareTermsAndCancelRepeatedBits() {
        Design d = Design.elaborate(new Parities());
        // p0: one LUT4 over a, b, c; p1: one over p0, d, e (two over its five bits alone); p2: the wire b
        assertEquals(2, total(d, Target.HX8K).get(Resource.LUT));
        assertEquals(2, total(d, Target.XCUP).get(Resource.LUT));
    }

    /** A register loaded with a constant on one condition and a value on another (a CRC's init and update). */
    static final class InitOrLoad extends Module {
        InitOrLoad() {
            super("InitOrLoad");
            Signal init = input("init", bool());
            Signal valid = input("valid", bool());
            Signal q = reg("q", uint(8));
            Signal a = input("a", uint(8));
            when(init, () -> q.set(Expr.u(0xA5, 8))).elsewhen(valid, () -> q.set(a));
            output("y", uint(8)).set(q);
        }
    }

    @Test
    void aConstantDriverIsTheFlipFlopsSynchronousSetAndReset() {
        Design d = Design.elaborate(new InitOrLoad());
        // init drives the set/reset pins straight; the clock enable is init | valid; no select per bit
        assertEquals(1, total(d, Target.XC7).get(Resource.LUT));
        assertEquals(8, total(d, Target.XC7).get(Resource.FF));
    }

    /** The low 4 bits of a 16-bit input times a 4-bit input, registered. */
    static final class TruncatedOperand extends Module {
        TruncatedOperand() {
            super("TruncatedOperand");
            Signal q = reg("q", sint(8));
            q.set(input("a", sint(16)).truncate(4).times(input("b", sint(4))));
            output("y", sint(8)).set(q);
        }
    }

    @Test
    void onlyTheLowBitsOfATruncatedOperandAreMultiplied() {
        Design d = Design.elaborate(new TruncatedOperand());
        // a 4 x 4 LUT multiplier (36 LUT6s measured inside a PE), not a 16 x 4 one (144)
        assertEquals(0, total(d, Target.XCUP).get(Resource.DSP));
        assertEquals(36, total(d, Target.XCUP).get(Resource.LUT));
    }

    /** Two 4-bit differences into 5-bit registers (the dequantizer's q - zp). */
    static final class Difference extends Module {
        Difference() {
            super("Difference");
            Signal q = reg("q", sint(5));
            q.set(input("a", sint(4)).minus(input("b", sint(4))));
            output("y", sint(5)).set(q);
        }
    }

    @Test
    void aSumAboveBothOperandsSharesTheTopBitsLutOnXilinx() {
        Design d = Design.elaborate(new Difference());
        // Yosys: 4 LUT2 and a CARRY4 per difference on xcup and xc7 (GroupDequant); iCE40 sums every bit in its own LUT4
        assertEquals(4, total(d, Target.XCUP).get(Resource.LUT));
        assertEquals(4, total(d, Target.XC7).get(Resource.LUT));
        assertEquals(5, total(d, Target.HX8K).get(Resource.LUT));
    }

    /** A 5 x 16 multiply from two input ports into a register (the path a user's dequantizer had), and that register read out through an adder. */
    static final class PortPaths extends Module {
        PortPaths() {
            super("PortPaths");
            Signal q = reg("q", sint(21));
            q.set(input("a", sint(5)).times(input("b", sint(16))));
            output("y", sint(22)).set(q.plus(input("c", sint(21))));
        }
    }

    @Test
    void pathsFromInputPortsCountAsFromARegister() {
        Estimator.TargetEstimate xcup = Estimator.estimate(Design.elaborate(new PortPaths())).get(Target.XCUP);
        // clock-to-output 0.40 + DSP multiply 2.80 + setup 0.05 ns
        assertEquals("a -> DSP 5x16 multiplier -> q", xcup.criticalPath());
        assertEquals(3.25, xcup.criticalPathNs(), 1e-9);
        assertEquals(307.7, xcup.fmaxMhz());
    }

    @Test
    void aLutMultiplierIntoARegisterEndsInItsOwnCarryChain() {
        Estimator.TargetEstimate hx8k = Estimator.estimate(Design.elaborate(new PortPaths())).get(Target.HX8K);
        // clock-to-output 0.51 + the routing of a's net (each bit drives 16 partial products: 0.34 per doubling)
        // + 1.45 per doubling of the 5-bit operand + its 21-bit carry chain (0.59 + 21 x 0.184) + setup 0.10 ns
        assertEquals("a -> LUT 5x16 multiplier -> q", hx8k.criticalPath());
        assertEquals(0.51 + 0.34 * 4 + 1.45 * Math.log(5) / Math.log(2) + 0.59 + 21 * 0.184 + 0.10, hx8k.criticalPathNs(), 0.005); // reported to 0.01 ns
    }

    @Test
    void pathsIntoOutputPortsMustSettleBeforeTheNextEdge() {
        Estimator.TargetEstimate hx8k = Estimator.estimate(Design.elaborate(new AddToOutput())).get(Target.HX8K);
        // the output adder is timed as if a register captured y: clock-to-output 0.51 + carry start 0.59 + 17 x 0.184 + setup 0.10 ns
        assertEquals("r -> 17-bit adder -> y", hx8k.criticalPath());
        assertEquals(4.33, hx8k.criticalPathNs(), 1e-9); // 4.328, reported to 0.01 ns
        Estimator.TargetEstimate xc7 = Estimator.estimate(Design.elaborate(new AddToOutput())).get(Target.XC7);
        // clock-to-output 0.70 + carry start 0.80 + 17 bits x 0.03 + setup 0.10 ns
        assertEquals("r -> 17-bit adder -> y", xc7.criticalPath());
        assertEquals(2.11, xc7.criticalPathNs(), 1e-9);
    }

    /** A register plus an input, straight to an output. */
    static final class AddToOutput extends Module {
        AddToOutput() {
            super("AddToOutput");
            Signal r = reg("r", uint(16));
            r.set(input("a", uint(16)));
            output("y", uint(17)).set(r.plus(input("b", uint(16))));
        }
    }

    /** Nine 16 x 16 products, one SB_MAC16 each: one more than the UP5K has. */
    static final class NineMultipliers extends Module {
        NineMultipliers() {
            super("NineMultipliers");
            for (int i = 0; i < 9; i++) {
                Signal p = reg("p" + i, sint(32));
                p.set(input("a" + i, sint(16)).times(input("b" + i, sint(16))));
                output("y" + i, sint(32)).set(p);
            }
        }
    }

    @Test
    void aDesignLargerThanTheDeviceHasNoFmax() {
        Design d = Design.elaborate(new NineMultipliers());
        Map<Target, Estimator.TargetEstimate> e = Estimator.estimate(d);
        assertEquals("9 SB_MAC16 estimated, the up5k has 8", e.get(Target.UP5K).doesNotFit());
        assertTrue(e.get(Target.XCUP).fits(), "a Xilinx target is a family: some member holds it");
        Report r = Report.of(new ModuleBlockInfo("nine", d.top(), Map.of()), d, e, Map.of());
        Report.Timing up5k = r.targets().stream().filter(t -> t.target().equals("up5k")).findFirst().orElseThrow().timing();
        assertNull(up5k.fmaxMhz());
        String text = TextReport.render(r);
        assertTrue(text.contains("| up5k   |          8.69 | does not fit   |"), text);
        assertTrue(text.contains("does not fit: 9 SB_MAC16 estimated, the up5k has 8"), text);
    }
}
