package dev.qforge.testbenches.systolic;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.Module;
import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.testbenches.icarus.IcarusSim;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Frames;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A second simulator: recorded GEMM runs (bubbles and back-pressure included) replayed in Icarus agree with Verilator on every output of every cycle. */
@Cosim(tools = {"verilator", "iverilog"})
class GemmEngineIcarusTest {
    /** Two of the co-simulated variants (their Verilator models are shared): both dataflows, bias, requant, packing, 2 and 3 PE stages. */
    static Stream<SystolicConfig> engines() {
        return Stream.of(GemmEngines.WS_UINT8_BIAS_P3, GemmEngines.OS_PACKED_REQUANT_P2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void icarusAgreesWithVerilator(SystolicConfig cfg, CosimSession cosim) {
        Module engine = GemmEngineBlock.engine(cfg);
        Simulator sim = cosim.open(engine, 21);
        Frames resetFrame = sim.frames(1);
        resetFrame.set(0, "rst", 1);
        Frames resetOut = sim.run(resetFrame);
        sim.poke("rst", 0);
        Random rnd = new Random(21);
        // K and N fold on both grids, M on the output-stationary one
        List<Gemm> gemms = List.of(GemmRunner.randomGemm(cfg, rnd, 7, 5, 4), GemmRunner.randomGemm(cfg, rnd, 2, 3, 1));
        StreamResult r = GemmRunner.run(sim, cfg, gemms, rnd, 0.3, 0.3, true);
        Frames in = Frames.concat(resetFrame, r.recordedInputs());
        IcarusSim.Outputs icarus = IcarusSim.run(Design.elaborate(GemmEngineBlock.engine(cfg)), in,
                Path.of("target", "cosim-icarus", in.layout().top()));
        List<String> diffs = IcarusSim.compare(Frames.concat(resetOut, r.recordedOutputs()), icarus, 10);
        assertTrue(diffs.isEmpty(), "Icarus and Verilator disagree on " + in.layout().top() + ":\n  " + String.join("\n  ", diffs));
    }
}
