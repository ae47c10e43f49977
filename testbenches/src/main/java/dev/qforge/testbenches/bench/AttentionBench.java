package dev.qforge.testbenches.bench;

import dev.qforge.dsl.Design;
import dev.qforge.generators.Accuracy;
import dev.qforge.generators.attention.AttentionAccuracy;
import dev.qforge.generators.attention.AttentionConfig;
import dev.qforge.generators.attention.AttentionConfig.Softmax;
import dev.qforge.generators.attention.AttentionCycleModel;
import dev.qforge.generators.attention.AttentionDecode;
import dev.qforge.generators.attention.AttentionGolden;
import dev.qforge.generators.report.Estimator;
import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;
import dev.qforge.testbenches.attention.AttentionBeats;
import dev.qforge.testbenches.verilator.Model;
import dev.qforge.testbenches.verilator.ModelCompiler;
import dev.qforge.testbenches.verilator.SimOptions;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The attention engine in Verilator: one sequence of {@code tokens} tokens (a prompt of up to max-seq, then decode steps) with
 * Gaussian int8 rows (logits of standard deviation about 2), every output beat checked against
 * the golden model, every token's cycles against the cycle model; then the last token's cycles and
 * lane utilization (over a full cache when tokens = max-seq + 1), the prompt's prefill cycles against the
 * cycle model, tokens/s (decode and prefill) at each target's estimated
 * Fmax with the estimated resources (BRAM: the K/V cache), and the accuracy against float64 attention
 * over the int8 rows (an int4 cache's quantization included), of the engine's softmax variant and, from its golden
 * model on the same rows, of the other variant. Prints one {@code key=value} line per figure group.
 */
public final class AttentionBench {
    private static final double QK_STD = 30;

    private AttentionBench() { }

    /** The score scale of the bench's rows: logits of standard deviation about 2. */
    public static double scoreScale(int headDim) {
        return 2 / (QK_STD * QK_STD * Math.sqrt(headDim));
    }

    public static void run(AttentionConfig cfg, int tokens) {
        int headDim = cfg.headDim();
        int maxSeq = cfg.maxSeq();
        int lanes = cfg.lanes();
        int heads = cfg.heads();
        Design design = Design.elaborate(new AttentionDecode(cfg));
        Random rnd = new Random(1);
        AttentionGolden golden = new AttentionGolden(cfg);
        AttentionConfig otherCfg = cfg.withSoftmax(cfg.softmax() == Softmax.BASE2 ? Softmax.IBERT : Softmax.BASE2);
        AttentionGolden otherGolden = new AttentionGolden(otherCfg);
        List<long[]> in = new ArrayList<>();
        List<long[]> expected = new ArrayList<>();
        Accuracy.Tally accuracy = new Accuracy.Tally();
        Accuracy.Tally otherAccuracy = new Accuracy.Tally();
        for (int t = 0; t < tokens; t++) {
            int[][] q = new int[heads][];
            for (int h = 0; h < heads; h++) {
                q[h] = AttentionAccuracy.gaussian(rnd, headDim, QK_STD);
            }
            int[][] k = new int[cfg.kvHeads()][];
            int[][] v = new int[cfg.kvHeads()][];
            for (int g = 0; g < k.length; g++) {
                k[g] = AttentionAccuracy.gaussian(rnd, headDim, QK_STD);
                v[g] = AttentionAccuracy.gaussian(rnd, headDim, AttentionAccuracy.V_STD);
            }
            AttentionGolden.Output o = golden.decode(t == 0, q, k, v);
            AttentionAccuracy.add(accuracy, cfg, q, golden, o);
            AttentionAccuracy.add(otherAccuracy, otherCfg, q, otherGolden, otherGolden.decode(t == 0, q, k, v));
            in.addAll(AttentionBeats.in(cfg, t == 0, q, k, v));
            expected.addAll(AttentionBeats.out(cfg, o));
        }
        Model model = ModelCompiler.shared().forSpeed().model(design);
        StreamResult r;
        // one transaction of up to L + 1 tokens: at L 2048 about 17 M cycles, longer than the default silence allowed
        try (Simulator sim = model.start(SimOptions.defaults().withSeed(1).withRecordMb(0).withTimeout(Duration.ofHours(1)))) {
            sim.reset();
            r = sim.transact(new StreamRun().sendBeats("in", in).receive("out", expected.size()).maxCycles(Integer.MAX_VALUE));
            r.expectBeats("out", expected);
        }
        long[] inCycles = r.cycles("in");
        long[] outCycles = r.cycles("out");
        AttentionCycleModel cycleModel = new AttentionCycleModel(cfg);
        int c = cfg.chunks();
        int exact = 0;
        for (int t = 0; t < tokens; t++) {
            int n = Math.min(t + 1, maxSeq);
            long end = t + 1 < tokens ? inCycles[(t + 1) * c] : outCycles[t * c + c - 1] + 1;
            exact += end - inCycles[t * c] == cycleModel.cyclesPerToken(n, t >= maxSeq) ? 1 : 0;
        }
        int n = Math.min(tokens, maxSeq);
        boolean lastDropped = tokens > maxSeq;
        long measured = outCycles[(tokens - 1) * c + c - 1] + 1 - inCycles[(tokens - 1) * c];
        System.out.println(String.format(Locale.ROOT, "attention d=%d max_seq=%d lanes=%d heads=%d kv_heads=%d kv=%s kv_group=%d softmax=%s "
                + "tokens=%d", headDim, maxSeq, lanes, heads, cfg.kvHeads(), cfg.kv().optionName(), cfg.kvGroup(), cfg.softmax().optionName(), tokens));
        System.out.println(String.format(Locale.ROOT, "last token: rows=%d cycles_per_token=%d model=%d lane_utilization=%.3f; "
                        + "tokens_matching_model=%d/%d", n, measured, cycleModel.cyclesPerToken(n, lastDropped), cycleModel.laneUtilization(n, lastDropped),
                exact, tokens));
        // the tokens up to max-seq are a prompt (first on the first): a prefill request from an empty cache
        int prompt = Math.min(tokens, maxSeq);
        long prefill = (prompt < tokens ? inCycles[prompt * c] : outCycles[tokens * c - 1] + 1) - inCycles[0];
        System.out.println(String.format(Locale.ROOT, "prefill of the first %d tokens: cycles=%d model=%d cycles_per_token=%.1f "
                + "lane_utilization=%.3f", prompt, prefill, cycleModel.prefillCycles(0, prompt), (double) prefill / prompt,
                cycleModel.prefillLaneUtilization(0, prompt)));
        for (Softmax s : Softmax.values()) {
            Accuracy.Tally a = s == cfg.softmax() ? accuracy : otherAccuracy;
            System.out.println(String.format(Locale.ROOT, "accuracy vs float64 attention: softmax=%s%s max_error_lsb=%.3f mean_error_lsb=%.3f "
                    + "outputs=%d", s.optionName(), s == cfg.softmax() ? " (simulated)" : " (golden model)", a.max(), a.mean(), a.count()));
        }
        long fullCache = cycleModel.cyclesPerToken(maxSeq, true);
        for (Map.Entry<Target, Estimator.TargetEstimate> e : Estimator.estimate(design).entrySet()) {
            Estimator.TargetEstimate est = e.getValue();
            System.out.println(String.format(Locale.ROOT, "target=%s fmax_mhz=%.1f fits=%b tokens_per_s_last=%.0f tokens_per_s_full_cache=%.0f "
                            + "tokens_per_s_prefill=%.0f lut=%d dsp=%d bram=%d", e.getKey().id(), est.fmaxMhz(), est.fits(), est.fmaxMhz() * 1e6 / measured,
                    est.fmaxMhz() * 1e6 / fullCache, est.fmaxMhz() * 1e6 * prompt / prefill, est.total().get(Resource.LUT),
                    est.total().get(Resource.DSP), est.total().get(Resource.BRAM)));
        }
    }
}
