package dev.qforge.generators.attention;

import dev.qforge.generators.Accuracy;

import java.util.Locale;
import java.util.Random;

/**
 * The engine's error against float64 attention ({@link AttentionGolden#reference}) on a seeded
 * workload of realistic scores: one sequence of min(max-seq, {@value #MAX_STEPS}) decode steps with
 * Gaussian int8 rows, q and k of the standard deviation that gives logits of standard deviation
 * {@value #LOGIT_STD} at the engine's score scale (at most {@value #MAX_STD}), v of standard deviation
 * {@value #V_STD}; every output of every step and head counts. An int4 cache's quantization is part
 * of the error (the reference sees the int8 rows).
 */
public final class AttentionAccuracy {
    /** Decode steps at most: a report stays quick while the error settles (it hardly moves past 100 rows). */
    public static final int MAX_STEPS = 256;
    public static final double LOGIT_STD = 2;
    public static final double MAX_STD = 60;
    public static final double V_STD = 60;
    public static final long SEED = 1;
    public static final String REFERENCE = "float64 attention softmax(q K^T score-scale) V";

    private AttentionAccuracy() { }

    /** The standard deviation of q and k giving logits of standard deviation LOGIT_STD: sigma^2 sqrt(d) scoreScale = LOGIT_STD. */
    public static double qkStd(AttentionConfig cfg) {
        return Math.min(MAX_STD, Math.sqrt(LOGIT_STD / (Math.sqrt(cfg.headDim()) * cfg.scoreScale())));
    }

    /** The error of cfg's golden model (bit-exact with the engine) on the workload above. */
    public static Accuracy measure(AttentionConfig cfg) {
        int steps = Math.min(cfg.maxSeq(), MAX_STEPS);
        double std = qkStd(cfg);
        Random rnd = new Random(SEED);
        AttentionGolden golden = new AttentionGolden(cfg);
        Accuracy.Tally tally = new Accuracy.Tally();
        for (int t = 0; t < steps; t++) {
            int[][] q = new int[cfg.heads()][];
            for (int h = 0; h < q.length; h++) {
                q[h] = gaussian(rnd, cfg.headDim(), std);
            }
            int[][] k = new int[cfg.kvHeads()][];
            int[][] v = new int[cfg.kvHeads()][];
            for (int g = 0; g < k.length; g++) {
                k[g] = gaussian(rnd, cfg.headDim(), std);
                v[g] = gaussian(rnd, cfg.headDim(), V_STD);
            }
            AttentionGolden.Output o = golden.decode(t == 0, q, k, v);
            add(tally, cfg, q, golden, o);
        }
        return tally.toAccuracy(REFERENCE, String.format(Locale.ROOT, "%d decode steps, Gaussian int8 rows (seed %d): q, k std %.1f "
                + "(logits std %.0f), v std %.0f", steps, SEED, std, LOGIT_STD, V_STD));
    }

    /** Adds every head's output of one step against the float64 reference over its K/V head's rows in the golden model. */
    public static void add(Accuracy.Tally tally, AttentionConfig cfg, int[][] q, AttentionGolden golden, AttentionGolden.Output o) {
        for (int h = 0; h < q.length; h++) {
            int g = h / cfg.groupSize();
            double[] ref = AttentionGolden.reference(q[h], golden.keys(g), golden.values(g), cfg.scoreScale());
            for (int i = 0; i < ref.length; i++) {
                tally.add(o.o()[h][i], ref[i]);
            }
        }
    }

    /** n int8 values, Gaussian of the given standard deviation, rounded half up and saturated. */
    public static int[] gaussian(Random rnd, int n, double std) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = (int) Math.max(-128, Math.min(127, Math.round(rnd.nextGaussian() * std)));
        }
        return a;
    }
}
