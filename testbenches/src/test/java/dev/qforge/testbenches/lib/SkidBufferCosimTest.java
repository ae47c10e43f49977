package dev.qforge.testbenches.lib;

import dev.qforge.lib.SkidBuffer;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Cosim
class SkidBufferCosimTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomBubblesAndBackPressureKeepEveryBeatInOrder(long seed, CosimSession cosim) {
        Simulator sim = cosim.open(new SkidBuffer(16), seed);
        sim.reset();
        QueueCheck.randomTraffic(sim, seed, 16, new SkidBufferModel(), 2, 1);
    }

    @Test
    void fullThroughputWithOneCycleLatency(CosimSession cosim) {
        Simulator sim = cosim.open(new SkidBuffer(16));
        sim.reset();
        long start = sim.cycle();
        long[] beats = LongStream.range(1000, 1064).toArray();
        StreamResult r = sim.transact(new StreamRun().send("in", beats).receive("out", beats.length));
        r.expectData("out", beats);
        QueueCheck.assertOneBeatPerCycle(r, start, beats.length, 1);
    }

    @Test
    void parksOneBeatWhenTheOutputStalls(CosimSession cosim) {
        Simulator sim = cosim.open(new SkidBuffer(16));
        sim.reset();
        StreamResult r = sim.transact(new StreamRun().send("in", 7, 8, 9).maxCycles(10));
        assertEquals(2, r.cycles("in").length, "one beat in the output register, one in the skid register");
        sim.expect("in_ready", 0);
        sim.expect("out_data", 7);
        r = sim.transact(new StreamRun().send("in", 9).receive("out", 3));
        r.expectData("out", 7, 8, 9);
    }
}
