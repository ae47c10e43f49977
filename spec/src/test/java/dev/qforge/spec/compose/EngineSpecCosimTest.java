package dev.qforge.spec.compose;

import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.GemmGolden;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.spec.Spec;
import dev.qforge.spec.check.Block;
import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.check.Checker;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.systolic.GemmRunner;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        SystolicConfig cfg = ((GemmEngineBlock) spec.blocks().get(0).info()).config();
        GemmGolden golden = new GemmGolden(cfg);
        Random rnd = new Random(seed);
        Map<String, List<long[]>> sent = new LinkedHashMap<>();
        List<long[]> expected = new ArrayList<>();
        List<String> origin = new ArrayList<>();
        int r = cfg.rows();
        int c = cfg.cols();
        int[][] shapes = {{1, 1, 1}, {3, r + 3, c + 1}, {5, 2 * r, 2 * c}, {9, 7, 3}, {2, 3 * r + 1, c}};
        String out = null;
        for (int[] s : shapes) {
            Gemm g = GemmRunner.randomGemm(cfg, rnd, s[0], s[1], s[2]);
            for (ComposedTop.Export e : ((ComposedTop) spec.design().top()).exports()) {
                List<long[]> beats = switch (e.port()) {
                    case "cfg" -> List.of(golden.cfgBeat(g));
                    case "quant" -> golden.quantBeats(g, rnd);
                    case "bias" -> golden.biasBeats(g, rnd);
                    case "scale" -> golden.scaleBeats(g, rnd);
                    case "wgt" -> golden.weightBeats(g, rnd);
                    case "act" -> golden.activationBeats(g, rnd);
                    case "out" -> null;
                    default -> throw new AssertionError("a stream the test does not drive: " + e);
                };
                if (beats == null) {
                    out = e.top();
                } else {
                    sent.computeIfAbsent(e.top(), k -> new ArrayList<>()).addAll(beats);
                }
            }
            List<long[]> result = golden.resultBeats(g);
            for (int i = 0; i < result.size(); i++) {
                origin.add(g + ", result beat " + i);
            }
            expected.addAll(result);
        }
        Simulator sim = cosim.open(spec.design().top(), seed);
        sim.reset();
        StreamRun run = new StreamRun();
        sent.forEach((s, b) -> run.sendBeats(s, b).bubbles(s, 0.3));
        StreamResult res = sim.transact(run.receive(out, expected.size()).stalls(out, 0.5));
        res.expectBeats(out, expected, origin::get);
        assertTrue(res.complete(), "every result beat arrived");
    }
}
