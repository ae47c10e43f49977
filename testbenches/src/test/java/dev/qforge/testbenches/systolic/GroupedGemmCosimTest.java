package dev.qforge.testbenches.systolic;

import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GroupScale;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.numerics.BinaryFloat;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The grouped (mixed-precision) GEMM engines ({@link GemmEngines#grouped()}) against their golden
 * and cycle models, one Verilator model per variant: the int8 engine's shape sweep plus K at and
 * around the group size, bit for bit, back to back (cycle for cycle against the cycle model) and
 * under input bubbles and output back-pressure; then the scales' special cases and the extremes.
 */
@Cosim
class GroupedGemmCosimTest {
    static Stream<SystolicConfig> engines() {
        return GemmEngines.grouped();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void resultsAndCyclesMatchTheModels(SystolicConfig cfg, CosimSession cosim) {
        GemmEngineCosimTest.sweepAroundGroups(cfg, cosim, cfg.group().size());
    }

    /**
     * Scales at the edges, each in one group of otherwise ordinary scales: NaN, +-Inf (with a
     * nonzero and a zero group sum), +-Inf together, +-0, the window's smallest and largest
     * exponents with the largest significand, just outside the window on either side, the
     * format's subnormals; then the largest products at the largest K, and a cancellation
     * (2^high * S - 2^high * S + 2^low) that an fp32 running sum would lose.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void scaleEdgesAndExtremes(SystolicConfig cfg, CosimSession cosim) {
        Simulator sim = GemmEngineCosimTest.open(cosim, cfg, 5);
        GroupScale gs = cfg.group();
        BinaryFloat f = gs.scale();
        Random rnd = new Random(5);
        int m = Math.min(3, cfg.maxM());
        int n = Math.min(cfg.cols() + 1, cfg.maxN());
        int k = Math.min(cfg.maxK(), 2 * gs.size());
        double maxSignificand = 2 - Math.scalb(1.0, -f.mantissaBits());
        List<Long> specials = new ArrayList<>(List.of(f.canonicalNaN(), f.infinity(false), f.infinity(true), 0L,
                f.encode(-0.0), f.encode(Math.scalb(maxSignificand, gs.low())), f.encode(-Math.scalb(1.0, gs.low())),
                f.encode(Math.scalb(maxSignificand, gs.high())), f.encode(-Math.scalb(1.0, gs.high())), 1L, (1L << f.mantissaBits()) - 1));
        if (gs.low() > 1 - f.bias()) {
            specials.add(f.encode(Math.scalb(maxSignificand, gs.low() - 1)));
        }
        if (gs.high() < (1 << f.exponentBits()) - 2 - f.bias()) {
            specials.add(f.encode(Math.scalb(1.0, gs.high() + 1)));
        }
        List<Gemm> gemms = new ArrayList<>();
        for (long special : specials) {
            Gemm g = GemmRunner.randomGemm(cfg, rnd, m, k, n);
            long[][] s = g.scales();
            for (int j = 0; j < n; j++) {
                s[rnd.nextInt(s.length)][j] = special;
            }
            gemms.add(g.withScales(s));
        }
        // a zero group sum under an infinite scale: NaN
        Gemm zeros = GemmRunner.randomGemm(cfg, rnd, m, k, n);
        for (int[] row : zeros.a()) {
            Arrays.fill(row, cfg.actSigned() ? 0 : zeros.zeroPoint());
        }
        for (long[] row : zeros.scales()) {
            Arrays.fill(row, f.infinity(rnd.nextBoolean()));
        }
        gemms.add(zeros);
        // +Inf and -Inf in one row: NaN
        if (zeros.scales().length > 1) {
            Gemm both = GemmRunner.randomGemm(cfg, rnd, m, k, n);
            for (int[] row : both.a()) {
                Arrays.fill(row, (int) cfg.actFormat().max());
            }
            for (int[] row : both.b()) {
                Arrays.fill(row, 1);
            }
            Arrays.fill(both.scales()[0], f.infinity(false));
            Arrays.fill(both.scales()[1], f.infinity(true));
            gemms.add(both);
        }
        // the largest magnitudes: extreme codes over the largest K under the largest scales
        for (int wValue : new int[] {(int) cfg.weightFormat().min(), (int) cfg.weightFormat().max()}) {
            int aLow = cfg.actSigned() ? (int) cfg.actFormat().min() : 0;
            Gemm g = Gemm.filled(m, cfg.maxK(), n, aLow, wValue, null, cfg.actSigned() ? 0 : (int) cfg.actFormat().max());
            long[][] s = new long[cfg.maxGroups()][n];
            for (long[] row : s) {
                Arrays.fill(row, f.encode(Math.scalb(maxSignificand, gs.high())));
            }
            gemms.add(g.withScales(s));
        }
        // cancellation: group 0 and group 1 cancel at 2^high, group 2 adds 2^low
        if (cfg.maxK() > 2 * gs.size()) {
            Gemm g = Gemm.filled(1, Math.min(cfg.maxK(), 2 * gs.size() + 1), n, 1, 1, null, 0);
            long[][] s = new long[3][n];
            Arrays.fill(s[0], f.encode(Math.scalb(1.0, gs.high())));
            Arrays.fill(s[1], f.encode(-Math.scalb(1.0, gs.high())));
            Arrays.fill(s[2], f.encode(Math.scalb(1.0, gs.low())));
            gemms.add(g.withScales(s));
        }
        GemmEngineCosimTest.assertCyclesMatchTheModel(cfg, gemms, GemmRunner.run(sim, cfg, gemms, rnd, 0, 0));
        GemmRunner.run(sim, cfg, gemms, rnd, 0.2, 0.5);
    }
}
