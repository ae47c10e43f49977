package dev.qforge.testbenches.systolic;

import dev.qforge.conformance.ConformanceVectors;
import dev.qforge.conformance.ConformanceVectors.OnnxCase;
import dev.qforge.conformance.ConformanceVectors.TfliteCase;
import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.generators.systolic.SystolicOptions;
import dev.qforge.numerics.TfliteRounding;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RTL of GEMM engines against the frameworks' own outputs ({@link ConformanceVectors}): every
 * element each engine delivers is compared with what TFLite 2.21's interpreter or onnxruntime
 * computed, not with the golden model. The TFLite layers (per-channel and per-tensor weights, input
 * zero points -128..91 folded into the bias, RELU/RELU6/none, rows where the two roundings differ)
 * run on the engine {@code qforge demo} builds and on the default {@code generate systolic --requant}
 * engine; ONNX MatMulInteger's int32 results on engines without requant. All cases of an engine go
 * through one Verilator model, back to back and again under bubbles and back-pressure.
 */
@Cosim
class GemmConformanceCosimTest {
    /** What {@code qforge demo} builds (cli DemoCommand): 8 x 8 int8, M, K, N up to 64, per-column requant in the default rounding. */
    static final SystolicConfig DEMO = SystolicConfig.int8(8, 8, 64, 64, 64, false).withRequant(TfliteRounding.DEFAULT);

    static Stream<SystolicConfig> tfliteEngines() {
        // generate systolic --requant: every other option at its default
        return Stream.of(DEMO, SystolicOptions.parse(Map.of("requant", TfliteRounding.DEFAULT.optionName())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tfliteEngines")
    void tfliteFullyConnectedLayers(SystolicConfig cfg, CosimSession cosim) {
        assertEquals(TfliteRounding.SINGLE_ROUNDING, cfg.requant(), "the default rounding is the one TFLite 2.21 ships");
        List<Gemm> gemms = new ArrayList<>();
        List<int[][]> expected = new ArrayList<>();
        for (TfliteCase c : ConformanceVectors.tflite()) {
            gemms.add(Gemm.tfliteFullyConnected(c.inputRows(), c.inputZeroPoint(), c.filter(), c.bias(), c.requant()));
            expected.add(c.outputRows());
        }
        runAgainst(cosim, cfg, gemms, expected);
    }

    /**
     * MatMulInteger with int8 B and no B zero point: uint8 A on an engine that subtracts its zero
     * point at runtime; int8 A (zero point 0, or folded into the bias) on a bias engine.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("onnxEngines")
    void onnxMatMulInteger(SystolicConfig cfg, CosimSession cosim) {
        List<Gemm> gemms = new ArrayList<>();
        List<int[][]> expected = new ArrayList<>();
        for (OnnxCase c : ConformanceVectors.onnx()) {
            boolean aSigned = c.aType().equals("int8");
            if (c.op().equals("MatMulInteger") && c.bType().equals("int8") && c.bZeroPoint().length == 1 && c.bZeroPoint()[0] == 0
                    && aSigned == cfg.actSigned()) {
                Gemm g = Gemm.onnxMatMulInteger(c.aRows(), c.aZeroPoint(), aSigned, c.bRows(), c.bZeroPoint());
                // a bias engine takes a bias beat on every GEMM: a zero bias where there is no zero point to fold
                gemms.add(cfg.bias() && g.bias() == null ? new Gemm(g.a(), g.b(), new int[g.n()]) : g);
                expected.add(c.yRows());
            }
        }
        assertTrue(gemms.size() >= 1, "the vectors hold MatMulInteger cases for " + cfg);
        runAgainst(cosim, cfg, gemms, expected);
    }

    static Stream<SystolicConfig> onnxEngines() {
        return Stream.of(SystolicConfig.int8(4, 4, 16, 64, 16, false).withTypes(8, false, 8),
                SystolicConfig.int8(16, 16, 32, 64, 64, true)); // GemmEngines' int8 bias engine: its model is shared
    }

    /**
     * Runs the GEMMs back to back, then again under bubbles and back-pressure, and compares every
     * result lane inside N with the framework's output (lanes past N, which no framework has, with
     * the engine's documented padding).
     */
    private static void runAgainst(CosimSession cosim, SystolicConfig cfg, List<Gemm> gemms, List<int[][]> expected) {
        Simulator sim = cosim.open(GemmEngineBlock.engine(cfg), 21);
        sim.reset();
        Random junk = new Random(21);
        for (double[] pressure : new double[][] {{0, 0}, {0.3, 0.4}}) {
            GemmRunner.Transaction golden = GemmRunner.transaction(cfg, gemms, junk, pressure[0], pressure[1]);
            List<long[]> framework = new ArrayList<>();
            for (int i = 0; i < gemms.size(); i++) {
                int[][] y = expected.get(i);
                for (int n0 = 0; n0 < gemms.get(i).n(); n0 += cfg.cols()) {
                    for (int[] row : y) {
                        long[] beat = golden.expected().get(framework.size()).clone();
                        for (int c = 0; c < cfg.cols() && n0 + c < row.length; c++) {
                            beat[c] = row[n0 + c];
                        }
                        framework.add(beat);
                    }
                }
            }
            assertEquals(golden.expected().size(), framework.size());
            GemmRunner.Transaction t = new GemmRunner.Transaction(golden.run(), framework, golden.origin());
            GemmRunner.check(sim, t, sim.transact(t.run()));
        }
    }
}
