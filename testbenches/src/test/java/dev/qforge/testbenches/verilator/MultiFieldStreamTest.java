package dev.qforge.testbenches.verilator;

import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stream expectations cover every payload field, not just the first. */
@Cosim
class MultiFieldStreamTest {
    /** Random (a, b) pairs; a is 0x77 (the value the faulty stage trips on) only in the middle one. */
    private static List<long[]> randomPairs(Random rnd, int n) {
        List<long[]> beats = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int a = rnd.nextInt(256);
            beats.add(new long[] {i == n / 2 ? 0x77 : a == 0x77 ? 0x76 : a, rnd.nextInt(16)});
        }
        return beats;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void everyFieldArrives(long seed, CosimSession cosim) {
        Simulator sim = cosim.open(new PairStage(false), seed);
        sim.reset();
        List<long[]> beats = randomPairs(new Random(seed), 200);
        StreamResult r = sim.transact(new StreamRun().sendBeats("in", beats).bubbles("in", 0.3).receive("out", beats.size()).stalls("out", 0.4));
        r.expectBeats("out", beats);
        assertEquals(beats.size(), r.beats("out").size());
    }

    @Test
    void aWrongSecondFieldIsCaughtWithItsPortAndCycle(CosimSession cosim) {
        Simulator sim = cosim.open(new PairStage(true), 5);
        sim.reset();
        List<long[]> beats = randomPairs(new Random(5), 40);
        StreamResult r = sim.transact(new StreamRun().sendBeats("in", beats).receive("out", beats.size()));
        long[] bad = beats.get(20);
        CosimMismatch m = assertThrows(CosimMismatch.class, () -> r.expectBeats("out", beats, i -> "pair " + i + " of the test"));
        assertEquals("out_b", m.port());
        assertEquals(r.cycles("out")[20], m.cycle());
        assertTrue(m.getMessage().contains("expected " + bad[1] + " (0x" + Long.toHexString(bad[1]) + "), actual " + (bad[1] ^ 0xf)
                + " (0x" + Long.toHexString(bad[1] ^ 0xf) + ")\n  beat 20 of 40 on stream 'out': pair 20 of the test"), m.getMessage());
        assertTrue(m.getMessage().contains("seed: 5"), m.getMessage());
    }

    @Test
    void singleFieldShortcutsRefuseAStreamOfSeveralFields(CosimSession cosim) {
        Simulator sim = cosim.open(new PairStage(false));
        sim.reset();
        StreamResult r = sim.transact(new StreamRun().sendBeats("in", List.of(new long[] {1, 2})).receive("out", 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.expectData("out", 1));
        assertEquals("stream 'out' has 2 payload ports (out_a, out_b); use beats() and expectBeats(), which cover every field", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.data("out"));
        IllegalArgumentException wrongArity = assertThrows(IllegalArgumentException.class, () -> r.expectBeats("out", List.of(new long[] {1})));
        assertEquals("expected beat 0 of stream 'out' has 1 values; the stream has 2 payload ports", wrongArity.getMessage());
    }
}
