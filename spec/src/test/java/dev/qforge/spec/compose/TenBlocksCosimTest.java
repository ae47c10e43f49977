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
 * examples/specs/ten_blocks.qf's composed top (ten weight-stationary GEMM engines in a chain, one to three
 * PE stages, TFLite and gemmlowp rounding, int8 and int4 weights, three FIFOs) in Verilator
 * against the ten engines' golden models composed: each engine's golden int8 results are the next
 * one's activations. Random GEMMs back to back (each layer's N one fold of its columns, the next
 * layer's K), with bubbles on every input stream and back-pressure on the output.
 */
@Cosim
class TenBlocksCosimTest {
    static final Path SPEC = Path.of("../examples/specs/ten_blocks.qf");
    private static final int LAYERS = 10;

    @Test
    void chainMatchesTheTenGoldenModelsComposed(CosimSession cosim) throws Exception {
        CheckedSpec spec = Spec.check(SPEC, Checker.Mode.BUILD);
        ComposedBeats beats = new ComposedBeats(spec);
        long seed = 10;
        Random rnd = new Random(seed);
        List<List<Gemm>> layers = new ArrayList<>();
        for (int i = 0; i < LAYERS; i++) {
            layers.add(new ArrayList<>());
        }
        // the first layer's K: one row, a fold and a remainder, two folds
        int[][] shapes = {{1, 1}, {3, 9}, {16, 4}, {7, 8}};
        for (int[] s : shapes) {
            int m = s[0];
            int[][] a = null;
            for (int i = 0; i < LAYERS; i++) {
                SystolicConfig cfg = beats.engine("l" + i);
                Gemm g = GemmRunner.randomGemm(cfg, rnd, m, i == 0 ? s[1] : a[0].length, cfg.cols());
                if (i > 0) {
                    g = ComposedBeats.withActivations(g, a);
                }
                layers.get(i).add(g);
                a = ComposedBeats.rows(new GemmGolden(cfg).resultBeats(g), m, cfg.cols(), cfg.cols());
            }
        }
        GemmRunner.Beats previous = null;
        for (int i = 0; i < LAYERS; i++) {
            GemmRunner.Beats b = beats.gemms("l" + i, layers.get(i), rnd);
            if (previous != null) {
                ComposedBeats.chained("l" + (i - 1) + ".out -> l" + i + ".act", previous.expected(), b.inputs().get("act"));
            }
            previous = b;
        }
        Simulator sim = cosim.open(spec.design().top(), seed);
        sim.reset();
        beats.run(sim, 0.3, 0.5);
    }
}
