package dev.qforge.fpga.ooc;

import dev.qforge.dsl.Design;
import dev.qforge.fpga.RequiresTools;
import dev.qforge.fpga.ReportBuilder;
import dev.qforge.fpga.synth.Nextpnr;
import dev.qforge.fpga.synth.SynthCache;
import dev.qforge.fpga.synth.Synthesis;
import dev.qforge.fpga.synth.Tool;
import dev.qforge.fpga.synth.Yosys;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Resources;
import dev.qforge.generators.report.Target;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.testbenches.lint.HdlLint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A block with more ports than its package has pins is placed and routed inside its I/O wrapper:
 * the wrapper keeps the whole block (module by module the same cells as the block alone), and on
 * a package where the block fits on its own pins the wrapped placement agrees with it.
 */
class OutOfContextPlacementTest {
    /** 2 x 2 int8: 92 port bits, more than the UP5K sg48's 39 pins, fewer than the HX8K ct256's 206. */
    private static final GemmEngineBlock ENGINE = new GemmEngineBlock("gemm_ws_2x2", SystolicConfig.int8(2, 2, 8, 8, 8, false));
    private static final Design DESIGN = Design.elaborate(ENGINE.top());

    private static Yosys yosys() {
        return Yosys.find(SynthCache.standard(), Duration.ofMinutes(20)).orElseThrow();
    }

    private static Nextpnr nextpnr() {
        return Nextpnr.find(SynthCache.standard(), Duration.ofMinutes(20)).orElseThrow();
    }

    @Test
    void theWrapperKeepsTheBlockAndPlacesLikeTheBlockOnItsOwnPins() {
        RequiresTools.require("yosys", "nextpnr-ice40");
        Design design = DESIGN;
        Yosys yosys = yosys();
        Nextpnr nextpnr = nextpnr();
        int ioBits = ReportBuilder.ioBits(design);
        assertEquals(92, ioBits);

        Synthesis alone = yosys.synthesize(design, Target.HX8K);
        Nextpnr.Result own = nextpnr.placeAndRoute(alone, ioBits);
        Nextpnr.Result wrapped = OutOfContextPlacement.place(yosys, nextpnr, design, alone, ioBits);
        assertTrue(own.fits() && wrapped.fits(), own.reason() + " / " + wrapped.reason());
        long ownLc = own.utilization().get("ICESTORM_LC").used();
        long wrappedLc = wrapped.utilization().get("ICESTORM_LC").used();
        // the wrapper adds a flip-flop per input bit and an XOR tree over the outputs, packed with the block's
        // own logic as nextpnr finds: measured 1252 -> 1311 LC (83.1 -> 84.5 MHz) with the engine's PE-stage-1
        // control, 1314 -> 1415 LC with the registered control of the DSP-pipelined engine (nextpnr-ice40 0.4);
        // so at most two LC per port bit, and never fewer than the block's own
        assertTrue(wrappedLc >= ownLc && wrappedLc <= ownLc + 2L * ioBits, "own pins " + ownLc + " LC, wrapped " + wrappedLc + " LC");
        double change = wrapped.fmaxMhz() / own.fmaxMhz() - 1;
        assertTrue(Math.abs(change) < 0.25, "own pins " + own.fmaxMhz() + " MHz, wrapped " + wrapped.fmaxMhz() + " MHz");
        assertEquals(4, wrapped.utilization().get("SB_IO").used()); // clk, rst, serial_in, parity_out
        assertTrue(wrapped.reason().startsWith("out of context (92 I/O port bits, the ct256 package has 206 pins): placed inside IoWrapper_GemmEngine_ws_2x2_"), wrapped.reason());
    }

    @Test
    void aBlockWiderThanItsPackageGetsAPlaceAndRouteFmax() {
        RequiresTools.require("yosys", "nextpnr-ice40");
        Design design = DESIGN;
        Yosys yosys = yosys();
        Nextpnr nextpnr = nextpnr();
        Synthesis alone = yosys.synthesize(design, Target.UP5K);
        assertTrue(OutOfContextPlacement.needed(alone, 92));
        Nextpnr.Result r = OutOfContextPlacement.place(yosys, nextpnr, design, alone, 92);
        assertTrue(r.fits(), r.reason());
        assertNotNull(r.fmaxMhz());
        assertTrue(r.utilization().get("ICESTORM_LC").used() > 500, r.utilization().toString()); // 615 measured
        assertEquals(4L, r.utilization().get("ICESTORM_DSP").used()); // one multiplier a processing element
    }

    @Test
    void aBlockWhoseLogicCannotFitIsNotWrapped() {
        RequiresTools.require("yosys");
        Design design = DESIGN;
        Yosys yosys = yosys();
        Synthesis real = yosys.synthesize(design, Target.UP5K);
        // the same synthesis, claiming more flip-flops than the device has logic cells
        Synthesis huge = new Synthesis(Target.UP5K, real.tool(), real.command(), real.modules(),
                Resources.of(Map.of(Resource.LUT, 4000L, Resource.FF, 6000L)), real.netlist());
        Nextpnr.Result r = OutOfContextPlacement.place(yosys, null, design, huge, 92);
        assertTrue(!r.fits() && r.fmaxMhz() == null);
        assertEquals("the block synthesizes to 4,000 LUTs and 6,000 flip-flops, at least 6,000 logic cells where the up5k has 5,280", r.reason());
    }

    @Test
    void theWrapperIsLintCleanAndLatchFree(@TempDir Path tmp) {
        RequiresTools.require("verilator", "yosys");
        Design wrapped = Design.elaborate(new IoWrapper(ENGINE.top()));
        HdlLint.assertVerilatorSilent(wrapped, tmp.resolve("lint"));
        HdlLint.assertYosysClean(wrapped, tmp.resolve("yosys"));
    }

    @Test
    void aWrapperThatLostLogicIsRefused() {
        Resources alone = Resources.of(Map.of(Resource.LUT, 40L, Resource.FF, 12L));
        Resources less = Resources.of(Map.of(Resource.LUT, 35L, Resource.FF, 12L));
        Resources remapped = Resources.of(Map.of(Resource.LUT, 44L, Resource.FF, 12L));
        Resources fewerRegisters = Resources.of(Map.of(Resource.LUT, 40L, Resource.FF, 11L));
        Tool.ToolException e = assertThrows(Tool.ToolException.class,
                () -> OutOfContextPlacement.requireLogicKept(Map.of("Pe", alone), Map.of("Pe", less, "IoWrapper_Pe", alone), "IoWrapper_Pe"));
        assertEquals("out-of-context placement refused: module Pe synthesized to " + alone + " alone but to " + less
                + " inside IoWrapper_Pe, so its timing would not be the block's", e.getMessage());
        assertThrows(Tool.ToolException.class,
                () -> OutOfContextPlacement.requireLogicKept(Map.of("Pe", alone), Map.of("Pe", fewerRegisters), "IoWrapper_Pe"));
        assertThrows(Tool.ToolException.class, () -> OutOfContextPlacement.requireLogicKept(Map.of("Pe", alone), Map.of(), "IoWrapper_Pe"));
        // ABC maps a module's LUTs differently in another hierarchy: 4 of 40 is within the slack
        OutOfContextPlacement.requireLogicKept(Map.of("Pe", alone), Map.of("Pe", remapped, "IoWrapper_Pe", less), "IoWrapper_Pe");
    }
}
