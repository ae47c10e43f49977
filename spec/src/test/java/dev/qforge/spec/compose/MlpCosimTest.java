package dev.qforge.spec.compose;

import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmGolden;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.spec.Spec;
import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.check.Checker;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.systolic.GemmRunner;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * examples/specs/mlp_int8.qf's composed top (two GEMM engines, the first one's results feeding
 * the second through a FIFO) in Verilator against the two engines' golden models composed: the
 * first engine's golden int8 results are the second GEMM's activations. Random GEMMs back to back,
 * with bubbles on every input stream and back-pressure on the output.
 */
@Cosim
class MlpCosimTest {
    static final Path SPEC = Path.of("../examples/specs/mlp_int8.qf");

    @Test
    void chainMatchesTheComposedGoldenModelsUnderBackPressure(CosimSession cosim) throws Exception {
        CheckedSpec spec = Spec.check(SPEC, Checker.Mode.BUILD);
        ComposedBeats beats = new ComposedBeats(spec);
        SystolicConfig first = beats.engine("l0");
        SystolicConfig second = beats.engine("l1");
        long seed = 15;
        Random rnd = new Random(seed);
        List<Gemm> layers0 = new ArrayList<>();
        List<Gemm> layers1 = new ArrayList<>();
        int[][] shapes = {{1, 1, 1}, {3, 4, 2}, {7, 5, 1}, {16, 64, 2}, {5, 9, 2}, {16, 13, 2}};
        for (int[] s : shapes) {
            int m = s[0];
            Gemm layer0 = GemmRunner.randomGemm(first, rnd, m, s[1], first.cols());
            int[][] hidden = ComposedBeats.rows(new GemmGolden(first).resultBeats(layer0), m, first.cols(), first.cols());
            layers0.add(layer0);
            layers1.add(new Gemm(hidden, GemmRunner.random(rnd, first.cols(), s[2], -128, 127), null, 0)
                    .withRequant(GemmRunner.randomRequant(second, rnd, s[2])));
        }
        GemmRunner.Beats b0 = beats.gemms("l0", layers0, rnd);
        GemmRunner.Beats b1 = beats.gemms("l1", layers1, rnd);
        ComposedBeats.chained("l0.out -> l1.act", b0.expected(), b1.inputs().get("act"));
        Simulator sim = cosim.open(spec.design().top(), seed);
        sim.reset();
        beats.run(sim, 0.3, 0.5);
    }
}
