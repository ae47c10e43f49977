package dev.qforge.testbenches.systolic;

import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmCycleModel;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.numerics.IntFormat;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The GEMM engines ({@link GemmEngines#cosimulated()}, both dataflows) against their golden and
 * cycle models: one Verilator model per variant serves every GEMM shape (M, K, N are runtime
 * values). Every run is checked bit for bit; runs without bubbles and back-pressure also cycle
 * for cycle against the cycle model.
 */
@Cosim
class GemmEngineCosimTest {
    static Stream<SystolicConfig> engines() {
        return GemmEngines.cosimulated();
    }

    static Stream<SystolicConfig> requantEngines() {
        return engines().filter(c -> c.requant() != null);
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
        long seed = cfg.shortName().hashCode();
        Simulator sim = open(cosim, cfg, seed);
        Random rnd = new Random(seed);
        List<Gemm> gemms = new ArrayList<>();
        List<Gemm> again = new ArrayList<>();
        for (int[] s : shapes(cfg)) {
            gemms.add(GemmRunner.randomGemm(cfg, rnd, s[0], s[1], s[2]));
            again.add(GemmRunner.randomGemm(cfg, rnd, s[0], s[1], s[2]));
        }
        assertCyclesMatchTheModel(cfg, gemms, GemmRunner.run(sim, cfg, gemms, rnd, 0, 0));
        // the same shapes with new data, input bubbles and output back-pressure
        GemmRunner.run(sim, cfg, again, rnd, 0.3, 0.4);
    }

    /**
     * The extreme products (int8: -128 x -128 and -128 x 127; uint8: 0 and 255 against zero points
     * 255 and 0; the same for the narrower types) accumulated over the largest K, with the extreme
     * biases.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void accumulatorBounds(SystolicConfig cfg, CosimSession cosim) {
        Simulator sim = open(cosim, cfg, 7);
        int m = Math.min(3, cfg.maxM());
        int n = cfg.maxN();
        int k = cfg.maxK();
        Extremes x = new Extremes(cfg);
        List<Gemm> gemms = new ArrayList<>();
        gemms.add(Gemm.filled(m, k, n, x.aLow, x.wMin, cfg.bias() ? filled(n, Integer.MAX_VALUE) : null, x.zpLow));
        gemms.add(Gemm.filled(m, k, n, x.aLow, x.wMax, cfg.bias() ? filled(n, Integer.MIN_VALUE) : null, x.zpLow));
        gemms.add(Gemm.filled(m, k, n, x.aHigh, x.wMin, cfg.bias() ? filled(n, Integer.MIN_VALUE) : null, 0));
        gemms.add(Gemm.filled(m, k, n, x.aHigh, x.wMax, cfg.bias() ? filled(n, -1) : null, 0));
        Random rnd = new Random(7);
        if (cfg.requant() != null) {
            gemms.replaceAll(g -> g.withRequant(GemmRunner.randomRequant(cfg, rnd, n)));
        }
        runDirected(sim, cfg, gemms, rnd);
    }

    /**
     * Requantization edges: results saturating at -128 and 127 (scale 1 or 2 on sums pushed past
     * the int8 range by a +-2^20 bias), output zero points at -128 and 127, a RELU clamp, a single
     * value clamp, and the largest multiplier with shifts 1, 0 and -31.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("requantEngines")
    void requantEdges(SystolicConfig cfg, CosimSession cosim) {
        Simulator sim = open(cosim, cfg, 11);
        int n = cfg.maxN();
        int k = cfg.maxK();
        Extremes x = new Extremes(cfg);
        List<Gemm> gemms = new ArrayList<>();
        int[][] zpAndClamp = {{-128, -128, 127}, {127, -128, 127}, {0, 0, 127}, {-128, -128, -128}, {127, 127, 127}};
        for (int[] z : zpAndClamp) {
            for (int shift : new int[] {1, 0, -31}) {
                // shift 1 only where x * 2 fits int32 (DOUBLE_ROUNDING's contract): these sums stay below 2^22
                Gemm.Requant r = new Gemm.Requant(filled(n, Integer.MAX_VALUE), filled(n, shift), z[0], z[1], z[2]);
                gemms.add(Gemm.filled(2, k, n, x.aLow, x.wMin, filled(n, 1 << 20), x.zpLow).withRequant(r));
                gemms.add(Gemm.filled(2, k, n, x.aLow, x.wMax, filled(n, -(1 << 20)), x.zpLow).withRequant(r));
                gemms.add(Gemm.filled(2, k, n, x.aHigh, x.wMax, filled(n, -5), 0).withRequant(r));
            }
        }
        runDirected(sim, cfg, gemms, new Random(11));
    }

    /** The engine's types at their ends: (a - zp) lowest with aLow and zpLow, highest with aHigh and zero point 0. */
    private static final class Extremes {
        final int aLow;
        final int zpLow;
        final int aHigh;
        final int wMin;
        final int wMax;

        Extremes(SystolicConfig cfg) {
            IntFormat a = cfg.actFormat();
            aLow = a.signed() ? (int) a.min() : 0;
            zpLow = a.signed() ? 0 : (int) a.max();
            aHigh = (int) a.max();
            wMin = (int) cfg.weightFormat().min();
            wMax = (int) cfg.weightFormat().max();
        }
    }

    /**
     * The int8 engine's shape sweep plus K around the engine's scale group ({@code group} rows of K:
     * one short, exact, one over, two groups and a fold over), back to back against the cycle model,
     * then new GEMMs of the same shapes under bubbles and back-pressure.
     */
    static void sweepAroundGroups(SystolicConfig cfg, CosimSession cosim, int group) {
        long seed = cfg.shortName().hashCode();
        Simulator sim = open(cosim, cfg, seed);
        Random rnd = new Random(seed);
        List<int[]> sweep = new ArrayList<>(shapes(cfg));
        for (int k : new int[] {group - 1, group, group + 1, 2 * group + cfg.rows() - 1}) {
            sweep.add(new int[] {Math.min(3, cfg.maxM()), Math.max(1, Math.min(k, cfg.maxK())), Math.min(cfg.cols() + 1, cfg.maxN())});
        }
        List<Gemm> gemms = new ArrayList<>();
        List<Gemm> again = new ArrayList<>();
        for (int[] s : sweep) {
            gemms.add(GemmRunner.randomGemm(cfg, rnd, s[0], s[1], s[2]));
            again.add(GemmRunner.randomGemm(cfg, rnd, s[0], s[1], s[2]));
        }
        assertCyclesMatchTheModel(cfg, gemms, GemmRunner.run(sim, cfg, gemms, rnd, 0, 0));
        GemmRunner.run(sim, cfg, again, rnd, 0.3, 0.4);
    }

    static Simulator open(CosimSession cosim, SystolicConfig cfg, long seed) {
        Simulator sim = cosim.open(GemmEngineBlock.engine(cfg), seed);
        sim.reset();
        return sim;
    }

    /** Directed GEMMs: back to back against the cycle model, then under bubbles and back-pressure. */
    private static void runDirected(Simulator sim, SystolicConfig cfg, List<Gemm> gemms, Random rnd) {
        assertCyclesMatchTheModel(cfg, gemms, GemmRunner.run(sim, cfg, gemms, rnd, 0, 0));
        GemmRunner.run(sim, cfg, gemms, rnd, 0.2, 0.5);
    }

    /** A run without bubbles or back-pressure: every GEMM's latencies and initiation interval are the cycle model's. */
    static void assertCyclesMatchTheModel(SystolicConfig cfg, List<Gemm> gemms, StreamResult r) {
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
    }

    private static int[] filled(int n, int v) {
        int[] x = new int[n];
        Arrays.fill(x, v);
        return x;
    }
}
