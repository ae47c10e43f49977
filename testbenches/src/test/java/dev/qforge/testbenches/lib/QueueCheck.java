package dev.qforge.testbenches.lib;

import dev.qforge.testbenches.verilator.Frames;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;

import java.util.ArrayDeque;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random traffic through a first-in first-out block with streams {@code in} and {@code out}. Every
 * cycle's in_ready, out_valid and out_data must equal those of the block's cycle-accurate Java model
 * driven with the same inputs; and against a Java queue, every beat comes out once, in order, no
 * sooner than the block's latency. Rounds receive a different number of beats than they send, so
 * beats stay inside between rounds. Every failure is a {@link dev.qforge.testbenches.verilator.CosimMismatch}
 * (seed, cycle, VCD).
 */
final class QueueCheck {
    private final Simulator sim;
    private final QueueModel model;
    private final String modelName;
    private long modelCycle;

    /** {@code sim} has just been reset, and {@code model} is in its reset state. */
    private QueueCheck(Simulator sim, QueueModel model, String modelName) {
        this.sim = sim;
        this.model = model;
        this.modelName = modelName;
        this.modelCycle = sim.cycle();
    }

    /**
     * @param model      the block's cycle model, in its reset state (the simulator has just been reset)
     * @param minLatency fewest cycles from accepting a beat to delivering it
     */
    static void randomTraffic(Simulator sim, long seed, int width, QueueModel model, int capacity, int minLatency) {
        new QueueCheck(sim, model, model.getClass().getSimpleName()).run(seed, width, capacity, minLatency);
    }

    /**
     * Beats entered on {@code in} one per cycle from {@code start} and left on {@code out} one per
     * cycle {@code latency} cycles later, so the run took beats + latency cycles.
     */
    static void assertOneBeatPerCycle(StreamResult r, long start, int beats, int latency) {
        assertEquals(beats + latency, r.cycles(), beats + " beats, one per cycle, plus " + latency + " cycles of latency");
        assertArrayEquals(LongStream.range(start, start + beats).toArray(), r.cycles("in"));
        assertArrayEquals(LongStream.range(start + latency, start + latency + beats).toArray(), r.cycles("out"));
    }

    /** @param capacity beats the block holds while its output stalls */
    private void run(long seed, int width, int capacity, int minLatency) {
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
                    .receive("out", receive).stalls("out", rnd.nextDouble() * 0.9).maxCycles(100_000).record());
            followModel(r, "round " + round);
            long[] expected = new long[receive];
            for (int i = 0; i < receive; i++) {
                expected[i] = values.remove();
            }
            r.expectData("out", expected);
            long[] accepted = r.cycles("in");
            if (accepted.length != send) {
                throw sim.mismatch("in_ready", r.firstCycle() + r.cycles(), send + " beats accepted", accepted.length + " beats accepted",
                        "round " + round + " stopped at its cycle limit (complete=" + r.complete() + ")");
            }
            for (long a : accepted) {
                acceptedAt.add(a);
            }
            for (long delivered : r.cycles("out")) {
                long a = acceptedAt.remove();
                if (delivered - a < minLatency) {
                    throw sim.mismatch("out_valid", delivered, "the beat accepted at cycle " + a + " no sooner than cycle " + (a + minLatency),
                            "delivered at cycle " + delivered, "round " + round + ": latency at least " + minLatency);
                }
            }
        }
        // Drain: exactly the beats still queued come out, then nothing more.
        long[] rest = values.stream().mapToLong(Long::longValue).toArray();
        StreamResult drain = sim.transact(new StreamRun().receive("out", rest.length + 4).stalls("out", rnd.nextDouble() * 0.9)
                .maxCycles(200 + 20 * rest.length).record());
        followModel(drain, "drain");
        drain.expectData("out", rest);
    }

    /** Compares every recorded cycle of {@code r} with the model, then clocks the model with that cycle's inputs. */
    private void followModel(StreamResult r, String what) {
        if (r.firstCycle() != modelCycle) {
            throw new IllegalStateException("the simulator ran cycles the model did not see: model at " + modelCycle + ", run at " + r.firstCycle());
        }
        Frames in = r.recordedInputs();
        Frames out = r.recordedOutputs();
        String context = "the cycle model " + modelName + " disagrees (" + what + ")";
        for (int t = 0; t < out.cycles(); t++) {
            expect("in_ready", out.cycle(t), model.inReady() ? 1 : 0, out.get(t, "in_ready"), context);
            expect("out_valid", out.cycle(t), model.outValid() ? 1 : 0, out.get(t, "out_valid"), context);
            if (model.outValid()) {
                expect("out_data", out.cycle(t), model.outData(), out.get(t, "out_data"), context);
            }
            model.edge(in.get(t, "rst") != 0, in.get(t, "in_valid") != 0, in.get(t, "in_data"), in.get(t, "out_ready") != 0);
        }
        modelCycle += out.cycles();
    }

    private void expect(String port, long cycle, long expected, long actual, String context) {
        if (expected != actual) {
            throw sim.mismatch(port, cycle, expected, actual, context);
        }
    }
}
