package dev.qforge.testbenches.systolic;

import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.MxBlocks;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.numerics.Mx;
import dev.qforge.numerics.MxElementType;
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
 * The MX x MX GEMM engines ({@link GemmEngines#mx()}) against their golden and cycle models, one
 * Verilator model per variant: the int8 engine's shape sweep plus K at and around the block size,
 * bit for bit, back to back (cycle for cycle against the cycle model) and under input bubbles and
 * output back-pressure; then the scales' and elements' special cases and limits.
 */
@Cosim
class MxGemmCosimTest {
    static Stream<SystolicConfig> engines() {
        return GemmEngines.mx();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void resultsAndCyclesMatchTheModels(SystolicConfig cfg, CosimSession cosim) {
        GemmEngineCosimTest.sweepAroundGroups(cfg, cosim, Mx.BLOCK_SIZE);
    }

    /**
     * NaN scales on either side; the element limits (largest magnitudes of both signs at the
     * largest K under the window's top, the smallest subnormal under its bottom, +-0); a nonzero
     * block just below and above the window (NaN) beside an all-zero block under the smallest
     * scales (0); each NaN and infinity code, an infinity times zero, +Inf and -Inf in one
     * result; and a cancellation across blocks at the window's top that leaves one at its bottom.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void specialCasesAndLimits(SystolicConfig cfg, CosimSession cosim) {
        Simulator sim = GemmEngineCosimTest.open(cosim, cfg, 7);
        MxBlocks mx = cfg.mx();
        Random rnd = new Random(7);
        int m = Math.min(3, cfg.maxM());
        int n = Math.min(cfg.cols() + 1, cfg.maxN());
        int k = Math.min(cfg.maxK(), 2 * Mx.BLOCK_SIZE);
        List<Gemm> gemms = new ArrayList<>();
        // NaN scales: one activation block, one weight block
        Gemm g = GemmRunner.randomMxGemm(mx, rnd, m, k, n);
        g.actScales()[rnd.nextInt(m)][rnd.nextInt(g.scales().length)] = Mx.SCALE_NAN;
        g.scales()[rnd.nextInt(g.scales().length)][rnd.nextInt(n)] = Mx.SCALE_NAN;
        gemms.add(g);
        // the largest magnitudes at the largest K, the window's top exponent
        int[][] big = {{largest(mx.act(), false), largest(mx.weight(), false)}, {largest(mx.act(), true), largest(mx.weight(), false)},
                       {largest(mx.act(), true), largest(mx.weight(), true)}};
        for (int[] codes : big) {
            gemms.add(filled(m, cfg.maxK(), n, codes[0], codes[1], mx.maxExp()));
        }
        // the smallest subnormal (MXINT8: 2^-6) under the window's bottom; +0 and -0
        gemms.add(filled(m, k, n, 1, 1, mx.minExp()));
        gemms.add(filled(m, k, n, negativeZero(mx.act()), 1, mx.minExp()));
        gemms.add(filled(m, k, n, 1, negativeZero(mx.weight()), mx.maxExp()));
        // just outside the window: NaN for a nonzero block; an all-zero block under scale bytes 0 adds 0
        if (mx.minExp() - 1 + Mx.SCALE_BIAS >= 0) {
            gemms.add(filled(m, k, n, 1, 1, mx.minExp() - 1));
        }
        gemms.add(filled(m, k, n, 1, 1, mx.maxExp() + 1));
        Gemm zeros = GemmRunner.randomMxGemm(mx, rnd, m, k, n);
        for (int i = 0; i < m; i++) {
            Arrays.fill(zeros.a()[i], 0, Math.min(k, Mx.BLOCK_SIZE), 0);
            zeros.actScales()[i][0] = 0;
        }
        Arrays.fill(zeros.scales()[0], 0);
        gemms.add(zeros);
        // every NaN and infinity code, on each side it can be
        for (boolean onAct : new boolean[] {true, false}) {
            MxElementType t = onAct ? mx.act() : mx.weight();
            for (int code = 0; code < 1 << t.bits(); code++) {
                if (t.isNaN(code) || t.isInfinite(code)) {
                    Gemm s = GemmRunner.randomMxGemm(mx, rnd, m, k, n);
                    int kk = rnd.nextInt(k);
                    if (onAct) {
                        s.a()[rnd.nextInt(m)][kk] = code;
                        s.b()[kk][rnd.nextInt(n)] = 0; // an infinity times zero in one column
                    } else {
                        s.b()[kk][rnd.nextInt(n)] = code;
                        s.a()[rnd.nextInt(m)][kk] = 0;
                    }
                    gemms.add(s);
                }
            }
        }
        // +Inf and -Inf in one result: NaN
        if (mx.act() == MxElementType.FP8_E5M2) {
            Gemm s = GemmRunner.randomMxGemm(mx, rnd, m, k, n);
            s.a()[0][0] = 0x7C;
            s.a()[0][k - 1] = 0xFC;
            gemms.add(s);
        }
        // cancellation: block 0 = -block 1 at the window's top, block 2 one product at its bottom
        if (cfg.maxK() > 2 * Mx.BLOCK_SIZE) {
            int kc = 2 * Mx.BLOCK_SIZE + 1;
            int one = mx.act().encode(1.0);
            Gemm c = filled(1, kc, n, one, mx.weight().encode(1.0), mx.maxExp());
            for (int kk = Mx.BLOCK_SIZE; kk < 2 * Mx.BLOCK_SIZE; kk++) {
                c.a()[0][kk] = mx.act().encode(-1.0);
            }
            c.actScales()[0][2] = mx.minExp() - mx.maxExp() + c.actScales()[0][2];
            gemms.add(c);
        }
        GemmEngineCosimTest.assertCyclesMatchTheModel(cfg, gemms, GemmRunner.run(sim, cfg, gemms, rnd, 0, 0));
        GemmRunner.run(sim, cfg, gemms, rnd, 0.2, 0.5);
    }

    /** The code of the largest magnitude of t (MXINT8: 0x80, -2, for the negative one). */
    private static int largest(MxElementType t, boolean negative) {
        if (t == MxElementType.INT8) {
            return negative ? 0x80 : 0x7F;
        }
        return t.encode(negative ? -t.maxNormal() : t.maxNormal());
    }

    private static int negativeZero(MxElementType t) {
        return t == MxElementType.INT8 ? 0 : 1 << (t.bits() - 1);
    }

    /**
     * Every code of A equal to {@code a}, of B to {@code b}, every block's combined scale exponent
     * {@code e}: Xb = 127 and Xa = 127 + e (or Xa = 0 and Xb = 254 + e when that is below 0).
     */
    private static Gemm filled(int m, int k, int n, int a, int b, int e) {
        int blocks = (k + Mx.BLOCK_SIZE - 1) / Mx.BLOCK_SIZE;
        long xa = Math.max(0, Mx.SCALE_BIAS + e);
        long xb = e + 2L * Mx.SCALE_BIAS - xa;
        long[][] actScales = new long[m][blocks];
        long[][] scales = new long[blocks][n];
        for (long[] row : actScales) {
            Arrays.fill(row, xa);
        }
        for (long[] row : scales) {
            Arrays.fill(row, xb);
        }
        Gemm f = Gemm.filled(m, k, n, a, b, null, 0);
        return Gemm.mx(f.a(), f.b(), scales, actScales);
    }
}
