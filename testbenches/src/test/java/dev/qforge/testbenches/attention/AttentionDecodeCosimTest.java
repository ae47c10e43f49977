package dev.qforge.testbenches.attention;

import dev.qforge.generators.attention.AttentionAccuracy;
import dev.qforge.generators.attention.AttentionConfig;
import dev.qforge.generators.attention.AttentionConfig.Kv;
import dev.qforge.generators.attention.AttentionConfig.Softmax;
import dev.qforge.generators.attention.AttentionCycleModel;
import dev.qforge.generators.attention.AttentionDecode;
import dev.qforge.generators.attention.AttentionGolden;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decode engine against {@link AttentionGolden}, bit for bit, and against
 * {@link AttentionCycleModel}, cycle for cycle. Three models with the base-2 softmax: a GQA group of
 * two query heads with d 16 in one beat a row (16 lanes, L 16) over an int4 cache in key groups of
 * 4 rows; one head with d 64 in eight beats a row (8 lanes, L 8) over an int8 cache; one head with
 * d 128 in eight beats a row (16 lanes, L 20) over an int4 cache in key groups of 8 rows, so 4 rows
 * stay int8 in the residual when the cache is full. Three with the I-BERT softmax, the other cache
 * for each d: d 16 (16 lanes, L 16) with four query heads over two K/V heads (GQA: two query heads
 * per K/V head) over int8, d 64 (8 lanes, L 8) over int4 in key groups of 4, d 128 (16 lanes, L 12)
 * over int8. Each runs sequences of 1, a prime, a power of
 * two and L rows, and past L (full cache: rows dropped), through one model.
 */
@Cosim
class AttentionDecodeCosimTest {
    /** q, k with this standard deviation, the score scale giving logits of standard deviation ~2. */
    private static final double QK_STD = 30;

    static Stream<AttentionConfig> configs() {
        return Stream.of(config(16, 16, 16, 2, Kv.INT4, 4, Softmax.BASE2), config(64, 8, 8, 1, Kv.INT8, 1, Softmax.BASE2),
                config(128, 20, 16, 1, Kv.INT4, 8, Softmax.BASE2), config(16, 16, 16, 4, Kv.INT8, 1, Softmax.IBERT, 2),
                config(64, 8, 8, 1, Kv.INT4, 4, Softmax.IBERT), config(128, 12, 16, 1, Kv.INT8, 1, Softmax.IBERT));
    }

    static AttentionConfig config(int d, int maxSeq, int lanes, int heads, Kv kv, int kvGroup, Softmax softmax) {
        return config(d, maxSeq, lanes, heads, kv, kvGroup, softmax, 1);
    }

    static AttentionConfig config(int d, int maxSeq, int lanes, int heads, Kv kv, int kvGroup, Softmax softmax, int kvHeads) {
        return new AttentionConfig(d, maxSeq, lanes, 2 / (QK_STD * QK_STD * Math.sqrt(d)), heads, kv, kvGroup, softmax, kvHeads);
    }

    /** One token: its beat flag, a query row per head, a key and a value row per K/V head. */
    record Token(boolean first, int[][] q, int[][] k, int[][] v) { }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void bitExactUnderBubblesAndBackPressure(AttentionConfig cfg, CosimSession cosim) {
        long seed = cfg.headDim() * 31L + cfg.maxSeq();
        Random rnd = new Random(seed);
        List<Token> tokens = new ArrayList<>();
        for (int n : lengths(cfg.maxSeq())) {
            for (int t = 0; t < n; t++) {
                tokens.add(token(rnd, cfg, t == 0));
            }
        }
        AttentionGolden golden = new AttentionGolden(cfg);
        List<long[]> expected = new ArrayList<>();
        List<String> origin = new ArrayList<>();
        int dropped = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            AttentionGolden.Output o = golden.decode(t.first(), t.q(), t.k(), t.v());
            dropped += o.dropped() ? 1 : 0;
            for (long[] beat : AttentionBeats.out(cfg, o)) {
                expected.add(beat);
                origin.add("token " + i + " (" + golden.length() + " cached rows), seed " + seed);
            }
        }
        assertTrue(dropped >= 2, "the sweep fills the cache");
        Simulator sim = cosim.open(new AttentionDecode(cfg), seed);
        sim.reset();
        StreamResult r = sim.transact(new StreamRun().sendBeats("in", inBeats(cfg, tokens)).bubbles("in", 0.3)
                .receive("out", expected.size()).stalls("out", 0.4));
        assertTrue(r.complete(), "every beat moved");
        r.expectBeats("out", expected, origin::get);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void cyclesEqualTheCycleModel(AttentionConfig cfg, CosimSession cosim) {
        Random rnd = new Random(7);
        int tokens = cfg.maxSeq() + 1; // the last finds the cache full
        List<Token> seq = new ArrayList<>();
        for (int t = 0; t < tokens; t++) {
            seq.add(token(rnd, cfg, t == 0));
        }
        Simulator sim = cosim.open(new AttentionDecode(cfg));
        sim.reset();
        int c = cfg.chunks();
        StreamResult r = sim.transact(new StreamRun().sendBeats("in", inBeats(cfg, seq)).receive("out", tokens * c));
        long[] in = r.cycles("in");
        long[] out = r.cycles("out");
        AttentionCycleModel model = new AttentionCycleModel(cfg);
        for (int t = 0; t < tokens; t++) {
            int n = Math.min(t + 1, cfg.maxSeq());
            boolean dropped = t >= cfg.maxSeq();
            long start = in[t * c];
            assertEquals(model.firstInToFirstOut(n, dropped), out[t * c] - start, "first in to first out, token " + t);
            assertEquals(model.firstInToLastOut(n, dropped), out[t * c + c - 1] - start, "first in to last out, token " + t);
            if (t + 1 < tokens) {
                assertEquals(model.cyclesPerToken(n, dropped), in[(t + 1) * c] - start, "cycles per token, token " + t);
            }
        }
    }

    /** 1, a prime, a power of two, L, and L + 2 (two rows dropped), as far as L allows. */
    private static int[] lengths(int maxSeq) {
        return Arrays.stream(new int[] {1, 7, 5, 8, maxSeq, maxSeq + 2}).filter(n -> n <= maxSeq || n == maxSeq + 2).distinct().toArray();
    }

    /**
     * Mostly Gaussian rows; one in two at a limit for the first head and the first K/V head: all equal
     * scores, one dominant key, the most negative values, the most negative score. The other heads'
     * queries and the other K/V heads' rows are Gaussian.
     */
    static Token token(Random rnd, AttentionConfig cfg, boolean first) {
        int d = cfg.headDim();
        int[][] q = new int[cfg.heads()][];
        for (int h = 1; h < q.length; h++) {
            q[h] = gaussian(rnd, d, QK_STD);
        }
        int[][] k = new int[cfg.kvHeads()][];
        int[][] v = new int[cfg.kvHeads()][];
        for (int g = 1; g < k.length; g++) {
            k[g] = gaussian(rnd, d, QK_STD);
            v[g] = gaussian(rnd, d, 60);
        }
        switch (rnd.nextInt(8)) {
            case 0 -> { q[0] = filled(d, 0); k[0] = gaussian(rnd, d, QK_STD); v[0] = gaussian(rnd, d, 60); }       // every score 0
            case 1 -> { q[0] = filled(d, 127); k[0] = filled(d, 127); v[0] = gaussian(rnd, d, 60); }               // dominant
            case 2 -> { q[0] = filled(d, -128); k[0] = filled(d, -128); v[0] = filled(d, -128); }                  // most negative
            case 3 -> { q[0] = filled(d, -128); k[0] = filled(d, 127); v[0] = filled(d, 127); }                    // most negative score
            default -> { q[0] = gaussian(rnd, d, QK_STD); k[0] = gaussian(rnd, d, QK_STD); v[0] = gaussian(rnd, d, 60); }
        }
        return new Token(first, q, k, v);
    }

    static List<long[]> inBeats(AttentionConfig cfg, List<Token> tokens) {
        List<long[]> beats = new ArrayList<>();
        for (Token t : tokens) {
            beats.addAll(AttentionBeats.in(cfg, t.first(), t.q(), t.k(), t.v()));
        }
        return beats;
    }

    private static int[] filled(int d, int value) {
        int[] a = new int[d];
        Arrays.fill(a, value);
        return a;
    }

    private static int[] gaussian(Random rnd, int d, double std) {
        return AttentionAccuracy.gaussian(rnd, d, std);
    }
}
