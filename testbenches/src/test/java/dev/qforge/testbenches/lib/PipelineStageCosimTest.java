package dev.qforge.testbenches.lib;

import dev.qforge.dsl.Record;
import dev.qforge.lib.PipelineStage;
import dev.qforge.testbenches.icarus.IcarusCrossCheck;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Frames;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.sfix;
import static dev.qforge.dsl.HwType.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link PipelineStage} on a record of three fields (a sequence number, a signed fixed-point value
 * and a flag): every beat arrives once and in order with every field intact, one beat per cycle,
 * and every cycle's ready, valid and payload are those of a one-register stage.
 */
@Cosim(tools = {"verilator", "iverilog"})
class PipelineStageCosimTest {
    private static final Record BEAT = Record.of("seq", uint(16)).with("value", sfix(12, 4)).with("last", bool());

    private static PipelineStage stage() {
        return new PipelineStage(BEAT);
    }

    /** Random beats; seq numbers them from {@code first} so a lost, repeated or swapped beat shows. */
    private static List<long[]> beats(Random rnd, int first, int n) {
        List<long[]> beats = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            beats.add(new long[] {first + i, rnd.nextInt(1 << 12) - (1 << 11), rnd.nextInt(2)});
        }
        return beats;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void randomBubblesAndBackPressureKeepEveryBeatInOrder(long seed, CosimSession cosim) {
        Simulator sim = cosim.open(stage(), seed);
        sim.reset();
        Random rnd = new Random(seed);
        StageModel model = new StageModel();
        List<long[]> pending = new ArrayList<>();
        int sent = 0;
        for (int round = 0; round < 5; round++) {
            List<long[]> send = beats(rnd, sent, 50 + rnd.nextInt(100));
            sent += send.size();
            pending.addAll(send);
            // leave 0 or 1 beats inside the stage between rounds
            int receive = pending.size() - rnd.nextInt(2);
            StreamResult r = sim.transact(new StreamRun().sendBeats("in", send).bubbles("in", rnd.nextDouble() * 0.8)
                    .receive("out", receive).stalls("out", rnd.nextDouble() * 0.8).maxCycles(20_000).record());
            assertEquals(send.size(), r.cycles("in").length, "round " + round + ": every beat accepted");
            r.expectBeats("out", pending.subList(0, receive), i -> "beat seq " + pending.get(i)[0]);
            model.follow(sim, r);
            pending.subList(0, receive).clear();
        }
    }

    @Test
    void oneBeatPerCycleWithOneCycleLatency(CosimSession cosim) {
        Simulator sim = cosim.open(stage());
        sim.reset();
        long start = sim.cycle();
        List<long[]> beats = beats(new Random(7), 0, 64);
        StreamResult r = sim.transact(new StreamRun().sendBeats("in", beats).receive("out", beats.size()));
        r.expectBeats("out", beats);
        QueueCheck.assertOneBeatPerCycle(r, start, beats.size(), 1);
    }

    /** Full: ready follows out_ready in the same cycle, so a stalled stage holds its beat and a drained one refills at once. */
    @Test
    void readyIsOutReadyWhenFull(CosimSession cosim) {
        Simulator sim = cosim.open(stage());
        sim.reset();
        sim.poke("in_valid", 1);
        sim.poke("in_seq", 11);
        sim.poke("in_value", -5);
        sim.poke("out_ready", 0);
        sim.expect("in_ready", 1);   // empty
        sim.step();
        sim.poke("in_seq", 12);
        sim.expect("out_valid", 1);
        sim.expect("out_seq", 11);
        sim.expect("out_value", -5);   // a signed field reads back sign-extended
        sim.expect("in_ready", 0);     // full and stalled: holds beat 11
        sim.step(3);
        sim.expect("out_seq", 11);
        sim.poke("out_ready", 1);
        sim.expect("in_ready", 1);     // full but draining: takes beat 12 on the same edge
        sim.step();
        sim.expect("out_seq", 12);
    }

    @Test
    void icarusAgreesOnEveryCycle(CosimSession cosim) {
        Simulator sim = cosim.open(stage(), 3);
        IcarusCrossCheck check = IcarusCrossCheck.record(sim).reset();
        List<long[]> beats = beats(new Random(3), 0, 200);
        check.add(sim.transact(new StreamRun().sendBeats("in", beats).bubbles("in", 0.4).receive("out", beats.size()).stalls("out", 0.4).record()))
                .assertIcarusAgrees(Path.of("target", "cosim-icarus"));
    }

    /** A one-register stage cycle by cycle, checked against every recorded cycle. */
    private static final class StageModel {
        private boolean valid;
        private final long[] payload = new long[3];

        void follow(Simulator sim, StreamResult r) {
            Frames in = r.recordedInputs();
            Frames out = r.recordedOutputs();
            String[] fields = {"seq", "value", "last"};
            for (int t = 0; t < out.cycles(); t++) {
                boolean outReady = in.get(t, "out_ready") != 0;
                expect(sim, "in_ready", out.cycle(t), !valid || outReady ? 1 : 0, out.get(t, "in_ready"));
                expect(sim, "out_valid", out.cycle(t), valid ? 1 : 0, out.get(t, "out_valid"));
                for (int k = 0; valid && k < fields.length; k++) {
                    expect(sim, "out_" + fields[k], out.cycle(t), payload[k], out.get(t, "out_" + fields[k]));
                }
                if (!valid || outReady) {
                    valid = in.get(t, "in_valid") != 0;
                    for (int k = 0; k < fields.length; k++) {
                        payload[k] = in.get(t, "in_" + fields[k]);
                    }
                }
            }
        }

        private static void expect(Simulator sim, String port, long cycle, long expected, long actual) {
            if (expected != actual) {
                throw sim.mismatch(port, cycle, expected, actual, "the one-register stage model disagrees");
            }
        }
    }
}
