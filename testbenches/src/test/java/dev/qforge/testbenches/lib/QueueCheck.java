package dev.qforge.testbenches.lib;

import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;

import java.util.ArrayDeque;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random traffic through a first-in first-out block with streams {@code in} and {@code out},
 * against a Java queue: every beat comes out once, in order, no sooner than the block's latency.
 * Rounds receive a different number of beats than they send, so beats stay inside between rounds.
 */
final class QueueCheck {
    private QueueCheck() { }

    /**
     * @param capacity   beats the block holds while its output stalls
     * @param minLatency fewest cycles from accepting a beat to delivering it
     */
    static void randomTraffic(Simulator sim, long seed, int width, int capacity, int minLatency) {
        Random rnd = new Random(seed);
        ArrayDeque<Long> values = new ArrayDeque<>();
        ArrayDeque<Long> acceptedAt = new ArrayDeque<>();
        for (int round = 0; round < 6; round++) {
            int send = 50 + rnd.nextInt(150);
            int keep = rnd.nextInt(capacity + 1); // beats left inside after the round
            int receive = Math.max(0, values.size() + send - keep);
            long[] beats = new long[send];
            for (int i = 0; i < send; i++) {
                beats[i] = rnd.nextLong() >>> (64 - width);
                values.add(beats[i]);
            }
            StreamResult r = sim.transact(new StreamRun().send("in", beats).bubbles("in", rnd.nextDouble() * 0.9)
                    .receive("out", receive).stalls("out", rnd.nextDouble() * 0.9).maxCycles(100_000));
            long[] expected = new long[receive];
            for (int i = 0; i < receive; i++) {
                expected[i] = values.remove();
            }
            r.expectData("out", expected);
            assertTrue(r.complete(), "round " + round + " stopped at the cycle limit");
            long[] accepted = r.cycles("in");
            assertEquals(send, accepted.length, "beats accepted");
            for (long a : accepted) {
                acceptedAt.add(a);
            }
            for (long delivered : r.cycles("out")) {
                long a = acceptedAt.remove();
                assertTrue(delivered - a >= minLatency, "a beat accepted at cycle " + a + " came out at cycle " + delivered);
            }
        }
        // Drain: exactly the beats still queued come out, then nothing more.
        long[] rest = values.stream().mapToLong(Long::longValue).toArray();
        sim.transact(new StreamRun().receive("out", rest.length).stalls("out", rnd.nextDouble() * 0.9)).expectData("out", rest);
        sim.step(4);
        sim.expect("out_valid", 0);
    }
}
