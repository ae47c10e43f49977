package dev.qforge.generators.systolic;

import dev.qforge.numerics.IntFormat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The golden model of {@link GemmEngine}: for a {@link Gemm} it builds the beats the user sends on
 * each input stream, in the order the engine documents, and the result beats the engine must
 * deliver, in order.
 */
public final class GemmGolden {
    private final SystolicConfig cfg;

    public GemmGolden(SystolicConfig cfg) {
        this.cfg = cfg;
    }

    /** The cfg beat: {m, k, n}, and the zero point when activations are unsigned. */
    public long[] cfgBeat(Gemm g) {
        check(g);
        return cfg.actSigned() ? new long[] {g.m(), g.k(), g.n()} : new long[] {g.m(), g.k(), g.n(), g.zeroPoint()};
    }

    /** The bias beats, one per N fold (empty without bias). */
    public List<long[]> biasBeats(Gemm g, Random junk) {
        check(g);
        List<long[]> beats = new ArrayList<>();
        if (!cfg.bias()) {
            return beats;
        }
        for (int n0 = 0; n0 < g.n(); n0 += cfg.cols()) {
            long[] beat = new long[cfg.cols()];
            for (int c = 0; c < cfg.cols(); c++) {
                beat[c] = n0 + c < g.n() ? g.bias()[n0 + c] : pad(junk, IntFormat.INT32);
            }
            beats.add(beat);
        }
        return beats;
    }

    /**
     * The weight beats, one row of B's N slice each. Weight-stationary: per N fold, per K fold,
     * the rows of the B tile; output-stationary: per N fold, per M fold, all K rows.
     */
    public List<long[]> weightBeats(Gemm g, Random junk) {
        check(g);
        IntFormat w = cfg.weightFormat();
        List<long[]> beats = new ArrayList<>();
        for (int n0 = 0; n0 < g.n(); n0 += cfg.cols()) {
            for (int f0 = 0; f0 < outerFoldEnd(g); f0 += cfg.rows()) {
                int kEnd = cfg.dataflow() == Dataflow.WS ? Math.min(g.k(), f0 + cfg.rows()) : g.k();
                for (int k = cfg.dataflow() == Dataflow.WS ? f0 : 0; k < kEnd; k++) {
                    long[] beat = new long[cfg.cols()];
                    for (int c = 0; c < cfg.cols(); c++) {
                        beat[c] = n0 + c < g.n() ? w.requireInRange(g.b()[k][n0 + c], "b[" + k + "][" + (n0 + c) + "]") : pad(junk, w);
                    }
                    beats.add(beat);
                }
            }
        }
        return beats;
    }

    /**
     * The activation beats. Weight-stationary: per N fold, per K fold, the M rows of A's K slice;
     * output-stationary: per N fold, per M fold, K beats, beat k holding column k of A's M slice.
     */
    public List<long[]> activationBeats(Gemm g, Random junk) {
        check(g);
        IntFormat a = cfg.actFormat();
        List<long[]> beats = new ArrayList<>();
        if (cfg.dataflow() == Dataflow.OS) {
            for (int n0 = 0; n0 < g.n(); n0 += cfg.cols()) {
                for (int m0 = 0; m0 < g.m(); m0 += cfg.rows()) {
                    for (int k = 0; k < g.k(); k++) {
                        long[] beat = new long[cfg.rows()];
                        for (int r = 0; r < cfg.rows(); r++) {
                            beat[r] = m0 + r < g.m() ? a.requireInRange(g.a()[m0 + r][k], "a[" + (m0 + r) + "][" + k + "]") : pad(junk, a);
                        }
                        beats.add(beat);
                    }
                }
            }
            return beats;
        }
        for (int n0 = 0; n0 < g.n(); n0 += cfg.cols()) {
            for (int k0 = 0; k0 < g.k(); k0 += cfg.rows()) {
                for (int m = 0; m < g.m(); m++) {
                    long[] beat = new long[cfg.rows()];
                    for (int r = 0; r < cfg.rows(); r++) {
                        beat[r] = k0 + r < g.k() ? a.requireInRange(g.a()[m][k0 + r], "a[" + m + "][" + (k0 + r) + "]") : pad(junk, a);
                    }
                    beats.add(beat);
                }
            }
        }
        return beats;
    }

    /** The result beats, per N fold the M rows of Y's N slice (in M folds of R rows when output-stationary); lanes past N are 0. */
    public List<long[]> resultBeats(Gemm g) {
        check(g);
        List<long[]> beats = new ArrayList<>();
        for (int n0 = 0; n0 < g.n(); n0 += cfg.cols()) {
            for (int m = 0; m < g.m(); m++) {
                long[] beat = new long[cfg.cols()];
                for (int c = 0; c < cfg.cols() && n0 + c < g.n(); c++) {
                    beat[c] = dot(g, m, n0 + c);
                }
                beats.add(beat);
            }
        }
        return beats;
    }

    /** bias[n] + sum_k (a[m][k] - zeroPoint) * b[k][n], exactly (the accumulator width is derived so it cannot overflow). */
    private static long dot(Gemm g, int m, int n) {
        long sum = g.bias() == null ? 0 : g.bias()[n];
        for (int k = 0; k < g.k(); k++) {
            sum += (long) (g.a()[m][k] - g.zeroPoint()) * g.b()[k][n];
        }
        return sum;
    }

    /** The folds inside an N fold: K folds (weight-stationary) or M folds (output-stationary), stepping by R. */
    private int outerFoldEnd(Gemm g) {
        return cfg.dataflow() == Dataflow.WS ? g.k() : g.m();
    }

    private void check(Gemm g) {
        cfg.requireShape(g.m(), g.k(), g.n());
        if (cfg.actSigned() ? g.zeroPoint() != 0 : !cfg.actFormat().contains(g.zeroPoint())) {
            throw new IllegalArgumentException("zeroPoint must be " + (cfg.actSigned() ? "0 for signed activations"
                    : "in " + cfg.actFormat() + " range [0, " + cfg.actFormat().max() + "]") + ", got " + g.zeroPoint());
        }
        if (cfg.bias() != (g.bias() != null)) {
            throw new IllegalArgumentException("this engine " + (cfg.bias() ? "needs" : "has no") + " bias, but the GEMM has "
                    + (g.bias() != null ? "one" : "none"));
        }
    }

    private static long pad(Random junk, IntFormat f) {
        return junk == null ? 0 : f.min() + (long) (junk.nextDouble() * (f.max() - f.min() + 1));
    }
}
