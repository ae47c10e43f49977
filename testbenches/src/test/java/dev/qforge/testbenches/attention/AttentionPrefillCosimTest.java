package dev.qforge.testbenches.attention;

import dev.qforge.generators.attention.AttentionConfig;
import dev.qforge.generators.attention.AttentionCycleModel;
import dev.qforge.generators.attention.AttentionDecode;
import dev.qforge.generators.attention.AttentionGolden;
import dev.qforge.testbenches.attention.AttentionDecodeCosimTest.Token;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prefill requests against {@link AttentionGolden#prefill}, bit for bit under bubbles and
 * back-pressure, and against {@link AttentionCycleModel}'s prefill figures, cycle for cycle, on every
 * model of {@link AttentionDecodeCosimTest} (the same Verilator builds, so no new one). Each model runs
 * prefills of T = 1, a prime, a power of two and L tokens, each starting a new sequence and followed
 * by two decode steps and a continuing chunk of three prompt tokens (past L some or all are dropped:
 * the cache is full).
 */
@Cosim
class AttentionPrefillCosimTest {
    private static final int DECODE_STEPS = 2;
    /** A continuing prompt chunk (no first) after the decode steps. */
    private static final int CHUNK = 3;

    /** One request: its tokens and the cache position of its first. */
    private record Request(int pos, List<Token> tokens) { }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.qforge.testbenches.attention.AttentionDecodeCosimTest#configs")
    void prefillThenDecodeIsBitExactAndCycleExact(AttentionConfig cfg, CosimSession cosim) {
        long seed = cfg.headDim() * 17L + cfg.maxSeq();
        Random rnd = new Random(seed);
        List<Request> requests = new ArrayList<>();
        for (int t : prefillLengths(cfg.maxSeq())) {
            requests.add(new Request(0, tokens(rnd, cfg, t, true)));
            for (int s = 0; s < DECODE_STEPS; s++) {
                requests.add(new Request(t + s, tokens(rnd, cfg, 1, false)));
            }
            requests.add(new Request(t + DECODE_STEPS, tokens(rnd, cfg, CHUNK, false)));
        }
        AttentionGolden golden = new AttentionGolden(cfg);
        List<Token> all = new ArrayList<>();
        List<long[]> expected = new ArrayList<>();
        List<String> origin = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request req = requests.get(i);
            List<Token> ts = req.tokens();
            List<AttentionGolden.Output> outs = golden.prefill(ts.get(0).first(), ts.stream().map(Token::q).toArray(int[][][]::new),
                    ts.stream().map(Token::k).toArray(int[][][]::new), ts.stream().map(Token::v).toArray(int[][][]::new));
            for (int t = 0; t < outs.size(); t++) {
                for (long[] beat : AttentionBeats.out(cfg, outs.get(t))) {
                    expected.add(beat);
                    origin.add("request " + i + " (" + ts.size() + " tokens at position " + req.pos() + "), token " + t + ", seed " + seed);
                }
            }
            all.addAll(ts);
        }
        List<long[]> in = AttentionDecodeCosimTest.inBeats(cfg, all);
        Simulator sim = cosim.open(new AttentionDecode(cfg), seed);

        sim.reset();
        StreamResult shaken = sim.transact(new StreamRun().sendBeats("in", in).bubbles("in", 0.3).receive("out", expected.size()).stalls("out", 0.4));
        assertTrue(shaken.complete(), "every beat moved under bubbles and back-pressure");
        shaken.expectBeats("out", expected, origin::get);

        sim.reset();
        StreamResult r = sim.transact(new StreamRun().sendBeats("in", in).receive("out", expected.size()));
        r.expectBeats("out", expected, origin::get);
        long[] inCycles = r.cycles("in");
        long[] outCycles = r.cycles("out");
        AttentionCycleModel model = new AttentionCycleModel(cfg);
        int c = cfg.chunks();
        int beat = 0;
        for (int i = 0; i < requests.size(); i++) {
            Request req = requests.get(i);
            int tokens = req.tokens().size();
            String what = "request " + i + " (" + tokens + " tokens at position " + req.pos() + ")";
            long start = inCycles[beat];
            int lastBeat = beat + tokens * c - 1;
            assertEquals(model.prefillFirstInToFirstOut(req.pos(), tokens), outCycles[beat] - start, "first in to first out, " + what);
            assertEquals(model.prefillFirstInToLastOut(req.pos(), tokens), outCycles[lastBeat] - start, "first in to last out, " + what);
            if (i + 1 < requests.size()) {
                assertEquals(model.prefillCycles(req.pos(), tokens), inCycles[lastBeat + 1] - start, "cycles to the next request, " + what);
            }
            beat = lastBeat + 1;
        }
    }

    /** 1, the largest prime below L, the largest power of two below L, and L. */
    private static int[] prefillLengths(int maxSeq) {
        int prime = maxSeq - 1;
        while (!isPrime(prime)) {
            prime--;
        }
        return new int[] {1, prime, Integer.highestOneBit(maxSeq - 1), maxSeq};
    }

    private static boolean isPrime(int n) {
        for (int f = 2; f * f <= n; f++) {
            if (n % f == 0) {
                return false;
            }
        }
        return n >= 2;
    }

    private static List<Token> tokens(Random rnd, AttentionConfig cfg, int n, boolean newSequence) {
        List<Token> ts = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            ts.add(AttentionDecodeCosimTest.token(rnd, cfg, newSequence && t == 0));
        }
        return ts;
    }
}
