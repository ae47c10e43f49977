package dev.qforge.testbenches.attention;

import dev.qforge.generators.attention.AttentionConfig;
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
 * {@link AttentionCycleModel}, cycle for cycle. Two models (the test-time budget): d 16 in one beat
 * a row (16 lanes, L 16) and d 64 in eight beats a row (8 lanes, L 8); each runs sequences of 1, a
 * prime, a power of two and L rows, and past L (full cache: rows dropped), through one model.
 */
@Cosim
class AttentionDecodeCosimTest {
    /** q, k with this standard deviation, the score scale giving logits of standard deviation ~2. */
    private static final double QK_STD = 30;

    static Stream<AttentionConfig> configs() {
        return Stream.of(config(16, 16, 16), config(64, 8, 8));
    }

    static AttentionConfig config(int d, int maxSeq, int lanes) {
        return new AttentionConfig(d, maxSeq, lanes, 2 / (QK_STD * QK_STD * Math.sqrt(d)));
    }

    /** One token: its beat flag and rows. */
    record Token(boolean first, int[] q, int[] k, int[] v) { }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void bitExactUnderBubblesAndBackPressure(AttentionConfig cfg, CosimSession cosim) {
        long seed = cfg.headDim() * 31L + cfg.maxSeq();
        Random rnd = new Random(seed);
        List<Token> tokens = new ArrayList<>();
        for (int n : lengths(cfg.maxSeq())) {
            for (int t = 0; t < n; t++) {
                tokens.add(token(rnd, cfg.headDim(), t == 0));
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
            for (long[] beat : outBeats(cfg, o)) {
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
            seq.add(token(rnd, cfg.headDim(), t == 0));
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
            long start = in[t * c];
            assertEquals(model.firstInToFirstOut(n), out[t * c] - start, "first in to first out, token " + t);
            assertEquals(model.firstInToLastOut(n), out[t * c + c - 1] - start, "first in to last out, token " + t);
            if (t + 1 < tokens) {
                assertEquals(model.cyclesPerToken(n), in[(t + 1) * c] - start, "cycles per token, token " + t);
            }
        }
    }

    /** 1, a prime, a power of two, L, and L + 2 (two rows dropped), as far as L allows. */
    private static int[] lengths(int maxSeq) {
        return Arrays.stream(new int[] {1, 7, 5, 8, maxSeq, maxSeq + 2}).filter(n -> n <= maxSeq || n == maxSeq + 2).distinct().toArray();
    }

    /** Mostly Gaussian rows; one in four at a limit: all equal scores, one dominant key, the most negative values. */
    static Token token(Random rnd, int d, boolean first) {
        return switch (rnd.nextInt(8)) {
            case 0 -> new Token(first, filled(d, 0), gaussian(rnd, d, QK_STD), gaussian(rnd, d, 60)); // every score 0
            case 1 -> new Token(first, filled(d, 127), filled(d, 127), gaussian(rnd, d, 60));       // dominant
            case 2 -> new Token(first, filled(d, -128), filled(d, -128), filled(d, -128));          // most negative
            case 3 -> new Token(first, filled(d, -128), filled(d, 127), filled(d, 127));            // most negative score
            default -> new Token(first, gaussian(rnd, d, QK_STD), gaussian(rnd, d, QK_STD), gaussian(rnd, d, 60));
        };
    }

    static List<long[]> inBeats(AttentionConfig cfg, List<Token> tokens) {
        int p = cfg.lanes();
        List<long[]> beats = new ArrayList<>();
        for (Token t : tokens) {
            for (int c = 0; c < cfg.chunks(); c++) {
                long[] b = new long[1 + 3 * p];
                b[0] = t.first() && c == 0 ? 1 : 0;
                for (int l = 0; l < p; l++) {
                    b[1 + l] = t.q()[c * p + l];
                    b[1 + p + l] = t.k()[c * p + l];
                    b[1 + 2 * p + l] = t.v()[c * p + l];
                }
                beats.add(b);
            }
        }
        return beats;
    }

    private static List<long[]> outBeats(AttentionConfig cfg, AttentionGolden.Output o) {
        int p = cfg.lanes();
        List<long[]> beats = new ArrayList<>();
        for (int c = 0; c < cfg.chunks(); c++) {
            long[] b = new long[1 + p];
            b[0] = o.dropped() ? 1 : 0;
            for (int l = 0; l < p; l++) {
                b[1 + l] = o.o()[c * p + l];
            }
            beats.add(b);
        }
        return beats;
    }

    private static int[] filled(int d, int value) {
        int[] a = new int[d];
        Arrays.fill(a, value);
        return a;
    }

    private static int[] gaussian(Random rnd, int d, double std) {
        int[] a = new int[d];
        for (int i = 0; i < d; i++) {
            a[i] = (int) Math.max(-128, Math.min(127, Math.round(rnd.nextGaussian() * std)));
        }
        return a;
    }
}
