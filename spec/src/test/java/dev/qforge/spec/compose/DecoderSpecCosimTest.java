package dev.qforge.spec.compose;

import dev.qforge.generators.attention.AttentionBlock;
import dev.qforge.generators.attention.AttentionConfig;
import dev.qforge.generators.attention.AttentionGolden;
import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmGolden;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.numerics.TfliteRequant;
import dev.qforge.spec.Spec;
import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.check.Checker;
import dev.qforge.testbenches.attention.AttentionBeats;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.systolic.GemmRunner;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * examples/specs/w4a8_decoder.qf's composed top in Verilator against its blocks' golden models
 * composed, as a decoder block runs them: the QKV projection's int8 results (per token: each
 * head's query, the key, the value) are the attention engine's rows, two sequences of tokens
 * through its int4 cache; the attention's outputs are the grouped output projection's
 * activations; the FFN's up projection feeds the grouped down projection through the top's FIFO.
 * Every input stream with bubbles, every output with back-pressure, in one transaction.
 */
@Cosim
class DecoderSpecCosimTest {
    static final Path SPEC = Path.of("../examples/specs/w4a8_decoder.qf");

    @Test
    void decoderBlockMatchesItsGoldenModelsComposed(CosimSession cosim) throws Exception {
        CheckedSpec spec = Spec.check(SPEC, Checker.Mode.BUILD);
        ComposedBeats beats = new ComposedBeats(spec);
        AttentionConfig att = ((AttentionBlock) spec.blocks().stream().filter(b -> b.name().equals("attn")).findFirst().orElseThrow().info()).config();
        SystolicConfig qkv = beats.engine("qkv");
        SystolicConfig up = beats.engine("ffn_up");
        SystolicConfig down = beats.engine("ffn_down");
        long seed = 84;
        Random rnd = new Random(seed);
        int d = att.headDim();
        int heads = att.heads();
        AttentionGolden attention = new AttentionGolden(att);
        List<Gemm> qkvGemms = new ArrayList<>();
        List<Gemm> oGemms = new ArrayList<>();
        List<long[]> attnOut = new ArrayList<>();
        List<String> attnOrigin = new ArrayList<>();
        // two sequences of tokens, each one GEMM of the QKV projection (K past two folds of rows), the
        // first as its own sequence, the second starting a new one
        for (int tokens : new int[] {5, 3}) {
            Gemm g = spread(qkv, GemmRunner.randomGemm(qkv, rnd, tokens, 2 * qkv.rows() + 3, (heads + 2) * d), rnd);
            qkvGemms.add(g);
            int[][] y = ComposedBeats.rows(new GemmGolden(qkv).resultBeats(g), tokens, (heads + 2) * d, qkv.cols());
            int[][] context = new int[tokens][heads * d];
            for (int t = 0; t < tokens; t++) {
                int[][] q = new int[heads][];
                for (int h = 0; h < heads; h++) {
                    q[h] = Arrays.copyOfRange(y[t], h * d, (h + 1) * d);
                }
                int[] k = Arrays.copyOfRange(y[t], heads * d, (heads + 1) * d);
                int[] v = Arrays.copyOfRange(y[t], (heads + 1) * d, (heads + 2) * d);
                AttentionGolden.Output o = attention.decode(t == 0, q, k, v);
                beats.send("attn", "in", AttentionBeats.in(att, t == 0, q, k, v));
                List<long[]> out = AttentionBeats.out(att, o);
                attnOut.addAll(out);
                for (int i = 0; i < out.size(); i++) {
                    attnOrigin.add("token " + t + " of a sequence of " + tokens + ", out beat " + i);
                }
                for (int h = 0; h < heads; h++) {
                    System.arraycopy(o.o()[h], 0, context[t], h * d, d);
                }
            }
            // the output projection of the attention's context: N past a fold of columns
            oGemms.add(ComposedBeats.withActivations(GemmRunner.randomGemm(beats.engine("o_proj"), rnd, tokens, heads * d, 11), context));
        }
        beats.expect("attn", "out", attnOut, attnOrigin);
        // and one of random activations over three groups of K, the last one partial
        oGemms.add(GemmRunner.randomGemm(beats.engine("o_proj"), rnd, 2, 300, 8));
        beats.gemms("qkv", qkvGemms, rnd);
        beats.gemms("o_proj", oGemms, rnd);
        // the FFN: the up projection's N is one fold of its columns, the down projection's K
        List<Gemm> upGemms = new ArrayList<>();
        List<Gemm> downGemms = new ArrayList<>();
        for (int[] s : new int[][] {{1, 20, 4}, {6, 13, 3}, {16, 8, 4}}) {
            Gemm u = GemmRunner.randomGemm(up, rnd, s[0], s[1], up.cols());
            upGemms.add(u);
            int[][] hidden = ComposedBeats.rows(new GemmGolden(up).resultBeats(u), s[0], up.cols(), up.cols());
            downGemms.add(ComposedBeats.withActivations(GemmRunner.randomGemm(down, rnd, s[0], up.cols(), s[2]), hidden));
        }
        GemmRunner.Beats upBeats = beats.gemms("ffn_up", upGemms, rnd);
        GemmRunner.Beats downBeats = beats.gemms("ffn_down", downGemms, rnd);
        ComposedBeats.chained("ffn_up.out -> ffn_down.act", upBeats.expected(), downBeats.inputs().get("act"));
        Simulator sim = cosim.open(spec.design().top(), seed);
        sim.reset();
        beats.run(sim, 0.3, 0.4);
    }

    /**
     * {@code g} without a bias and with output scales near 1 / the accumulator's spread (2^-5 ..
     * 2^-7 here), so that the int8 query, key and value rows differ from token to token and the
     * softmax has something to choose (a random requantization's bias and scale make them nearly
     * constant columns).
     */
    private static Gemm spread(SystolicConfig cfg, Gemm g, Random rnd) {
        int n = g.n();
        int[] mult = new int[n];
        int[] shift = new int[n];
        for (int j = 0; j < n; j++) {
            TfliteRequant.QuantizedMultiplier q = TfliteRequant.quantizeMultiplier(Math.pow(2, -5 - 2 * rnd.nextDouble()), cfg.requant());
            mult[j] = q.multiplier();
            shift[j] = q.shift();
        }
        return new Gemm(g.a(), g.b(), new int[n], g.zeroPoint(), new Gemm.Requant(mult, shift, 0, -128, 127));
    }
}
