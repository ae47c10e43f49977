package dev.qforge.testbenches.systolic;

import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.testbenches.icarus.IcarusCrossCheck;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** A second simulator: recorded GEMM runs (bubbles and back-pressure included) replayed in Icarus agree with Verilator on every output of every cycle. */
@Cosim(tools = {"verilator", "iverilog"})
class GemmEngineIcarusTest {
    /**
     * Four of the co-simulated variants (their Verilator models are shared): both dataflows, bias,
     * requant, packing, 2 and 3 PE stages, group scales (K 5 and 11 across groups of 8), MX
     * operands (K 40 across blocks of 32).
     */
    static Stream<SystolicConfig> engines() {
        return Stream.of(GemmEngines.WS_UINT8_BIAS_P3, GemmEngines.OS_PACKED_REQUANT_P2, GemmEngines.W4A8_G8, GemmEngines.MX_E4M3_FP4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void icarusAgreesWithVerilator(SystolicConfig cfg, CosimSession cosim) {
        Simulator sim = cosim.open(GemmEngineBlock.engine(cfg), 21);
        IcarusCrossCheck check = IcarusCrossCheck.record(sim).reset();
        Random rnd = new Random(21);
        // K and N fold on both grids, M on the output-stationary one
        List<Gemm> gemms = List.of(GemmRunner.randomGemm(cfg, rnd, 7, 5, 4), GemmRunner.randomGemm(cfg, rnd, 2, cfg.group() == null ? 3 : 11, 1));
        check.add(GemmRunner.run(sim, cfg, gemms, rnd, 0.3, 0.3, true)).assertIcarusAgrees(Path.of("target", "cosim-icarus"));
    }
}
