package dev.qforge.spec.compose;

import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.GemmGolden;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.spec.Spec;
import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.check.Checker;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.systolic.GemmRunner;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        SystolicConfig first = config(spec, "l0");
        SystolicConfig second = config(spec, "l1");
        GemmGolden g0 = new GemmGolden(first);
        GemmGolden g1 = new GemmGolden(second);
        long seed = 15;
        Random rnd = new Random(seed);
        StreamRunBeats beats = new StreamRunBeats();
        List<long[]> expected = new ArrayList<>();
        List<String> origin = new ArrayList<>();
        int[][] shapes = {{1, 1, 1}, {3, 4, 2}, {7, 5, 1}, {16, 64, 2}, {5, 9, 2}, {16, 13, 2}};
        for (int[] s : shapes) {
            int m = s[0];
            Gemm layer0 = GemmRunner.randomGemm(first, rnd, m, s[1], first.cols());
            int[][] hidden = new int[m][];
            List<long[]> out0 = g0.resultBeats(layer0);
            for (int i = 0; i < m; i++) {
                hidden[i] = java.util.Arrays.stream(out0.get(i)).mapToInt(v -> (int) v).toArray();
            }
            Gemm layer1 = new Gemm(hidden, GemmRunner.random(rnd, first.cols(), s[2], -128, 127), null, 0)
                    .withRequant(GemmRunner.randomRequant(second, rnd, s[2]));
            beats.add("l0_cfg", List.of(g0.cfgBeat(layer0))).add("l0_quant", g0.quantBeats(layer0, rnd)).add("l0_wgt", g0.weightBeats(layer0, rnd))
                    .add("x", g0.activationBeats(layer0, rnd)).add("l1_cfg", List.of(g1.cfgBeat(layer1)))
                    .add("l1_quant", g1.quantBeats(layer1, rnd)).add("l1_wgt", g1.weightBeats(layer1, rnd));
            List<long[]> out1 = g1.resultBeats(layer1);
            for (int i = 0; i < out1.size(); i++) {
                origin.add("layers " + layer0 + " then " + layer1 + ", result beat " + i);
            }
            expected.addAll(out1);
        }
        Simulator sim = cosim.open(spec.design().top(), seed);
        sim.reset();
        StreamRun run = beats.run(0.3).receive("y", expected.size()).stalls("y", 0.5);
        StreamResult r = sim.transact(run);
        r.expectBeats("y", expected, origin::get);
        assertTrue(r.complete(), "every result beat arrived");
        assertEquals(expected.size(), origin.size());
    }

    private static SystolicConfig config(CheckedSpec spec, String block) {
        return ((GemmEngineBlock) spec.blocks().stream().filter(b -> b.name().equals(block)).findFirst().orElseThrow().info()).config();
    }

    /** Each input stream's beats in order, sent with {@code bubbles} probability of an idle cycle. */
    private static final class StreamRunBeats {
        private final java.util.Map<String, List<long[]>> beats = new java.util.LinkedHashMap<>();

        StreamRunBeats add(String stream, List<long[]> b) {
            beats.computeIfAbsent(stream, k -> new ArrayList<>()).addAll(b);
            return this;
        }

        StreamRun run(double bubbles) {
            StreamRun run = new StreamRun();
            beats.forEach((s, b) -> run.sendBeats(s, b).bubbles(s, bubbles));
            return run;
        }
    }
}
