package dev.qforge.fpga.synth;

import dev.qforge.dsl.Design;
import dev.qforge.fpga.RequiresTools;
import dev.qforge.generators.report.Estimator;
import dev.qforge.generators.report.Report;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Packed engines on UltraScale+ as Yosys maps them: one DSP48E2 per packed PE, so the MACs per DSP
 * are the columns a PE packs (4 int4 x int4, 3 int8 x int4, 2 int8 x int8), in Yosys's count and in
 * the estimate the report shows. Each engine is two rows of two full packed PEs; the synthesis is
 * cached, so a rerun starts no tool.
 */
class PackedDspTest {
    @ParameterizedTest(name = "int{0} x int{1}: {3} MACs per DSP48E2")
    @CsvSource({
            "4, 4, 8, 4",
            "8, 4, 6, 3",
            "8, 8, 4, 2",
    })
    void everyDspOfTheGridComputesItsPackedMacs(int actBits, int weightBits, int cols, int macsPerDsp) {
        RequiresTools.require("yosys");
        int rows = 2;
        SystolicConfig cfg = SystolicConfig.int8(rows, cols, 8, 8, 8, false).withTypes(actBits, true, weightBits).withPacking();
        assertEquals(macsPerDsp, cfg.columnsPerPe());
        GemmEngineBlock block = new GemmEngineBlock("packed", cfg);
        Design d = Design.elaborate(block.top());
        Yosys yosys = Yosys.find(SynthCache.standard(), Duration.ofMinutes(20)).orElseThrow();
        long synthesized = yosys.synthesize(d, Target.XCUP).total().get(Resource.DSP);
        long estimated = Estimator.estimate(d).get(Target.XCUP).total().get(Resource.DSP);
        assertEquals(rows * cols / macsPerDsp, synthesized, "DSP48E2s Yosys maps the " + rows + " x " + cols + " grid to");
        assertEquals(synthesized, estimated, "the report's DSP count");
        Report.TargetReport xcup = Report.of(block, d, Estimator.estimate(d), Map.of()).targets().stream()
                .filter(t -> t.target().equals(Target.XCUP.id())).findFirst().orElseThrow();
        assertEquals((double) macsPerDsp, xcup.throughput().macsPerDsp(), "the report's MACs per DSP");
    }
}
