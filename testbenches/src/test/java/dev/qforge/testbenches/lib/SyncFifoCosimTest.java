package dev.qforge.testbenches.lib;

import dev.qforge.lib.SyncFifo;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.CosimMismatch;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Cosim
class SyncFifoCosimTest {
    private static final int DEPTH = 4;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomBubblesAndBackPressureKeepEveryBeatInOrder(long seed, CosimSession cosim) {
        Simulator sim = cosim.open(new SyncFifo(8, DEPTH), seed);
        sim.reset();
        QueueCheck.randomTraffic(sim, seed, 8, new SyncFifoModel(DEPTH), DEPTH + 1, 2);
    }

    @ParameterizedTest(name = "depth {0}")
    @ValueSource(ints = {3, 5})
    void depthsThatAreNotPowersOfTwo(int depth, CosimSession cosim) {
        Simulator sim = cosim.open(new SyncFifo(12, depth), depth);
        sim.reset();
        QueueCheck.randomTraffic(sim, depth, 12, new SyncFifoModel(depth), depth + 1, 2);
    }

    /** The cycle-by-cycle check can fail: the RTL of depth 4 against the model of depth 3 differs on in_ready, reported with seed and VCD. */
    @Test
    void aDifferenceFromTheCycleModelIsReportedWithSeedCycleAndVcd(CosimSession cosim) {
        Simulator sim = cosim.open(new SyncFifo(8, DEPTH), 9);
        sim.reset();
        CosimMismatch m = assertThrows(CosimMismatch.class, () -> QueueCheck.randomTraffic(sim, 9, 8, new SyncFifoModel(DEPTH - 1), DEPTH + 1, 2));
        assertEquals("in_ready", m.port());
        assertEquals(9L, m.seed());
        assertTrue(m.getMessage().contains("expected 0 (0x0), actual 1 (0x1)\n  the cycle model SyncFifoModel disagrees (round "), m.getMessage());
        assertTrue(Files.isRegularFile(m.vcd()), m.getMessage());
    }

    @Test
    void fullThroughputWithTwoCyclesLatency(CosimSession cosim) {
        Simulator sim = cosim.open(new SyncFifo(8, DEPTH));
        sim.reset();
        long start = sim.cycle();
        long[] beats = LongStream.range(0, 100).toArray();
        StreamResult r = sim.transact(new StreamRun().send("in", beats).receive("out", 100));
        r.expectData("out", beats);
        QueueCheck.assertOneBeatPerCycle(r, start, 100, 2);
    }

    @Test
    void holdsDepthPlusOneBeatsWhileStalled(CosimSession cosim) {
        Simulator sim = cosim.open(new SyncFifo(8, DEPTH));
        sim.reset();
        StreamResult r = sim.transact(new StreamRun().send("in", 10, 11, 12, 13, 14, 15, 16).maxCycles(20));
        assertFalse(r.complete());
        assertEquals(DEPTH + 1, r.cycles("in").length);
        sim.expect("in_ready", 0);
        sim.expect("out_valid", 1);
        sim.expect("out_data", 10);
        r = sim.transact(new StreamRun().receive("out", DEPTH + 1));
        r.expectData("out", 10, 11, 12, 13, 14);
        sim.expect("out_valid", 0);
    }
}
