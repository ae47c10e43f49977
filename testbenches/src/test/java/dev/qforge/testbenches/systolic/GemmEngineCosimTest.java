package dev.qforge.testbenches.systolic;

import dev.qforge.generators.systolic.Dataflow;
import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmCycleModel;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.numerics.IntFormat;
import dev.qforge.numerics.TfliteRounding;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The GEMM engines (both dataflows) against their golden and cycle models: one Verilator model per
 * grid shape serves every GEMM shape (M, K, N are runtime values).
 */
@Cosim
class GemmEngineCosimTest {
    /** Grid shapes and maxima; each is one model build. */
    static Stream<Arguments> engines() {
        return Stream.of(
                Arguments.of(SystolicConfig.int8(1, 1, 8, 9, 8, true).withTypes(4, true, 2)),
                Arguments.of(SystolicConfig.int8(2, 3, 16, 16, 16, false).withPacking()),
                Arguments.of(SystolicConfig.int8(3, 2, 16, 16, 16, true).withTypes(8, false, 4)),
                Arguments.of(SystolicConfig.int8(4, 4, 32, 64, 32, true)),
                Arguments.of(SystolicConfig.int8(8, 8, 32, 64, 32, false).withTypes(4, true, 4).withPacking()),
                Arguments.of(SystolicConfig.int8(16, 16, 32, 64, 64, true)),
                Arguments.of(SystolicConfig.int8(4, 4, 32, 64, 32, false).withRequant(TfliteRounding.DOUBLE_ROUNDING)),
                Arguments.of(SystolicConfig.int8(2, 1, 8, 9, 8, false).withRequant(TfliteRounding.SINGLE_ROUNDING)),
                Arguments.of(SystolicConfig.int8Os(1, 1, 8, 9, 8).withTypes(2, true, 2)),
                Arguments.of(SystolicConfig.int8Os(3, 5, 16, 16, 16).withTypes(4, true, 4).withPacking()),
                Arguments.of(SystolicConfig.int8Os(3, 2, 16, 16, 16).withTypes(8, false, 8)),
                Arguments.of(new SystolicConfig(4, 4, 32, 64, 32, 8, true, 8, 0, true, Dataflow.OS, false, null)),
                Arguments.of(SystolicConfig.int8Os(2, 3, 16, 16, 16).withRequant(TfliteRounding.SINGLE_ROUNDING).withPacking()),
                Arguments.of(SystolicConfig.int8Os(16, 16, 40, 64, 40)));
    }

    /** GEMM shapes for an engine: 1, primes, non-multiples of R and C, a single fold and the maxima. */
    static List<int[]> shapes(SystolicConfig cfg) {
        List<int[]> s = new ArrayList<>();
        int[] ms = {1, 2, 7, cfg.maxM()};
        int[] ks = {1, cfg.rows(), cfg.rows() + 1, 13, cfg.maxK()};
        int[] ns = {1, cfg.cols(), cfg.cols() + 1, 11, cfg.maxN()};
        for (int i = 0; i < ks.length; i++) {
            for (int j = 0; j < ns.length; j++) {
                int m = ms[(i + 2 * j) % ms.length];
                s.add(new int[] {Math.min(m, cfg.maxM()), Math.min(ks[i], cfg.maxK()), Math.min(ns[j], cfg.maxN())});
            }
        }
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void resultsAndCyclesMatchTheModels(SystolicConfig cfg, CosimSession cosim) {
        long seed = cfg.rows() * 100L + cfg.cols();
        Simulator sim = cosim.open(GemmEngineBlock.engine(cfg), seed);
        sim.reset();
        Random rnd = new Random(seed);
        List<int[]> shapes = shapes(cfg);
        List<Gemm> gemms = new ArrayList<>();
        for (int[] s : shapes) {
            gemms.add(GemmRunner.randomGemm(cfg, rnd, s[0], s[1], s[2]));
        }

        // No bubbles, no back-pressure: every count must equal the cycle model's.
        StreamResult r = GemmRunner.run(sim, cfg, gemms, rnd, 0, 0);
        GemmCycleModel model = new GemmCycleModel(cfg);
        long[] cfgAt = r.cycles("cfg");
        long[] outAt = r.cycles("out");
        int beat = 0;
        for (int i = 0; i < gemms.size(); i++) {
            Gemm g = gemms.get(i);
            GemmCycleModel.Prediction p = model.predict(g.m(), g.k(), g.n());
            int beats = g.m() * cfg.nFolds(g.n()); // the same for both dataflows
            assertEquals(p.firstInToFirstOut(), outAt[beat] - cfgAt[i], g + ": first in -> first out");
            assertEquals(p.firstInToLastOut(), outAt[beat + beats - 1] - cfgAt[i], g + ": first in -> last out");
            if (i + 1 < gemms.size()) {
                assertEquals(p.initiationInterval(), cfgAt[i + 1] - cfgAt[i], g + ": initiation interval");
            }
            beat += beats;
        }

        // The same GEMMs with new data, input bubbles and output back-pressure.
        List<Gemm> again = new ArrayList<>();
        for (int[] s : shapes) {
            again.add(GemmRunner.randomGemm(cfg, rnd, s[0], s[1], s[2]));
        }
        GemmRunner.run(sim, cfg, again, rnd, 0.3, 0.4);
    }

    /**
     * The extreme products (int8: -128 x -128 and -128 x 127; uint8: 0 and 255 against zero points
     * 255 and 0) accumulated over the largest K, with the extreme biases.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void accumulatorBounds(SystolicConfig cfg, CosimSession cosim) {
        Simulator sim = cosim.open(GemmEngineBlock.engine(cfg), 7);
        sim.reset();
        int m = Math.min(3, cfg.maxM());
        int n = cfg.maxN();
        int k = cfg.maxK();
        IntFormat a = cfg.actFormat();
        int wMin = (int) cfg.weightFormat().min();
        int wMax = (int) cfg.weightFormat().max();
        // (a - zp) at its lowest and highest
        int aLow = a.signed() ? (int) a.min() : 0;
        int zpLow = a.signed() ? 0 : (int) a.max();
        int aHigh = (int) a.max();
        List<Gemm> gemms = new ArrayList<>();
        gemms.add(Gemm.filled(m, k, n, aLow, wMin, cfg.bias() ? filled(n, Integer.MAX_VALUE) : null, zpLow));
        gemms.add(Gemm.filled(m, k, n, aLow, wMax, cfg.bias() ? filled(n, Integer.MIN_VALUE) : null, zpLow));
        gemms.add(Gemm.filled(m, k, n, aHigh, wMin, cfg.bias() ? filled(n, Integer.MIN_VALUE) : null, 0));
        gemms.add(Gemm.filled(m, k, n, aHigh, wMax, cfg.bias() ? filled(n, -1) : null, 0));
        Random rnd = new Random(7);
        if (cfg.requant() != null) {
            gemms.replaceAll(g -> g.withRequant(GemmRunner.randomRequant(cfg, rnd, n)));
        }
        GemmRunner.run(sim, cfg, gemms, rnd, 0.2, 0.5);
    }

    /**
     * Requantization edges: results saturating at -128 and 127 (scale 1 on large sums), output zero
     * points at -128 and 127, a RELU clamp, and the largest multiplier.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("requantEngines")
    void requantEdges(SystolicConfig cfg, CosimSession cosim) {
        Simulator sim = cosim.open(GemmEngineBlock.engine(cfg), 11);
        sim.reset();
        int n = cfg.maxN();
        int k = cfg.maxK();
        List<Gemm> gemms = new ArrayList<>();
        int[][] zpAndClamp = {{-128, -128, 127}, {127, -128, 127}, {0, 0, 127}, {-128, -128, -128}, {127, 127, 127}};
        int[][] shifts = {{1}, {0}, {-31}};
        for (int[] z : zpAndClamp) {
            for (int[] sh : shifts) {
                // shift 1 only where x * 2 fits int32 (DOUBLE_ROUNDING's contract): the sums here stay below 2^21
                int[] mult = filled(n, Integer.MAX_VALUE);
                int[] shift = filled(n, sh[0]);
                Gemm.Requant r = new Gemm.Requant(mult, shift, z[0], z[1], z[2]);
                gemms.add(Gemm.filled(2, k, n, -128, -128, null, 0).withRequant(r));
                gemms.add(Gemm.filled(2, k, n, -128, 127, filled(n, -5), 0).withRequant(r));
            }
        }
        GemmRunner.run(sim, cfg, gemms, new Random(11), 0.2, 0.3);
    }

    static Stream<Arguments> requantEngines() {
        return engines().filter(a -> ((SystolicConfig) a.get()[0]).requant() != null);
    }

    private static int[] filled(int n, int v) {
        int[] x = new int[n];
        java.util.Arrays.fill(x, v);
        return x;
    }
}
