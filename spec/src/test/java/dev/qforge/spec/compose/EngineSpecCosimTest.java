package dev.qforge.spec.compose;

import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.spec.Spec;
import dev.qforge.spec.check.Block;
import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.check.Checker;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.systolic.GemmRunner;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The examples whose composed top is one GEMM engine with its results leaving through a FIFO
 * (cnn_int8.qf, ice40_small.qf) in Verilator against the composition of the blocks' golden models:
 * the engine's golden results, in order (the FIFO's model). Random GEMMs back to back, K and N
 * past the array's rows and columns (tiled), with bubbles on every input stream and back-pressure
 * on the output.
 */
@Cosim
class EngineSpecCosimTest {
    @ParameterizedTest
    @CsvSource({"ice40_small.qf, 40", "cnn_int8.qf, 56"})
    void engineThenFifoMatchesTheEnginesGoldenModel(String file, long seed, CosimSession cosim) throws Exception {
        CheckedSpec spec = Spec.check(Path.of("../examples/specs", file), Checker.Mode.BUILD);
        assertEquals(List.of("gemm"), spec.blocks().stream().map(Block::name).toList());
        ComposedBeats beats = new ComposedBeats(spec);
        SystolicConfig cfg = beats.engine("gemm");
        Random rnd = new Random(seed);
        int r = cfg.rows();
        int c = cfg.cols();
        List<Gemm> gemms = new ArrayList<>();
        for (int[] s : new int[][] {{1, 1, 1}, {3, r + 3, c + 1}, {5, 2 * r, 2 * c}, {9, 7, 3}, {2, 3 * r + 1, c}}) {
            gemms.add(GemmRunner.randomGemm(cfg, rnd, s[0], s[1], s[2]));
        }
        beats.gemms("gemm", gemms, rnd);
        Simulator sim = cosim.open(spec.design().top(), seed);
        sim.reset();
        beats.run(sim, 0.3, 0.5);
    }
}
