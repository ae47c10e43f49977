package dev.qforge.testbenches.icarus;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.HwType;
import dev.qforge.dsl.Module;
import dev.qforge.lib.AdderTree;
import dev.qforge.lib.MacPe;
import dev.qforge.lib.SkidBuffer;
import dev.qforge.lib.SyncFifo;
import dev.qforge.lib.SystolicArray;
import dev.qforge.testbenches.bench.SystolicWorkload;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Frames;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second simulator: the same stimulus (every cycle's input frame, reset included) runs in Icarus,
 * and every output of every cycle must equal Verilator's.
 */
@Cosim(tools = {"verilator", "iverilog"})
class IcarusCrossCheckTest {
    private static final Path WORK = Path.of("target", "cosim-icarus");

    @Test
    void fifoUnderRandomTraffic(CosimSession cosim) {
        streamRunAgrees(cosim, new SyncFifo(8, 4), 11);
    }

    @Test
    void skidBufferUnderRandomTraffic(CosimSession cosim) {
        streamRunAgrees(cosim, new SkidBuffer(16), 12);
    }

    @Test
    void macPeOnRandomVectors(CosimSession cosim) {
        Random rnd = new Random(13);
        vectorsAgree(cosim, new MacPe(8, 8, 32), 13, 2000, (in, t) -> {
            in.set(t, "a_in", rnd.nextInt(256) - 128);
            in.set(t, "w_in", rnd.nextInt(256) - 128);
            in.set(t, "w_load", rnd.nextInt(3) == 0 ? 1 : 0);
            in.set(t, "psum_in", rnd.nextInt());
        });
    }

    @Test
    void aDifferenceIsReportedWithCycleAndPort(CosimSession cosim) {
        Simulator sim = cosim.open(new MacPe(8, 8, 32), 16);
        Frames in = sim.frames(4);
        in.set(0, "rst", 1);
        in.set(1, "a_in", 3);
        in.set(1, "w_in", -2);
        in.set(1, "w_load", 1);
        Frames verilator = sim.run(in);
        IcarusSim.Outputs icarus = agree(new MacPe(8, 8, 32), in, verilator);
        icarus.cycles().get(2)[1] = "7f"; // w_out at cycle 2 is really fe (-2)
        assertEquals(List.of("cycle " + verilator.cycle(2) + " port 'w_out': verilator 0xfe, icarus 0x7f"),
                IcarusSim.compare(verilator, icarus, 10));
    }

    @Test
    void adderTreeWhoseRegistersStartUnknown(CosimSession cosim) {
        Random rnd = new Random(14);
        vectorsAgree(cosim, new AdderTree(5, HwType.sint(8)), 14, 1000, (in, t) -> {
            in.set(t, "in_valid", rnd.nextInt(2));
            for (int i = 0; i < 5; i++) {
                in.set(t, "in_" + i, rnd.nextInt(256) - 128);
            }
        });
    }

    @Test
    void systolicArrayTiles(CosimSession cosim) {
        Module array = new SystolicArray("SystolicArray_3x3", 3, 3, 8, 8, 32);
        Simulator sim = cosim.open(array, 15);
        sim.reset();
        SystolicWorkload workload = new SystolicWorkload(sim.layout(), 3, 3, 16, 15);
        Frames in = sim.frames(2 * workload.tileCycles());
        workload.nextTile(in, 0);
        workload.nextTile(in, workload.tileCycles());
        agree(array, in, sim.run(in));
    }

    /** A recorded random stream run, replayed in Icarus from reset on. */
    private static void streamRunAgrees(CosimSession cosim, Module block, long seed) {
        Simulator sim = cosim.open(block, seed);
        Random rnd = new Random(seed);
        long[] beats = rnd.longs(300, 0, 256).toArray();
        Frames resetFrame = sim.frames(1);
        resetFrame.set(0, "rst", 1);
        Frames resetOut = sim.run(resetFrame);
        sim.poke("rst", 0);
        StreamResult r = sim.transact(new StreamRun().send("in", beats).bubbles("in", 0.4).receive("out", 300).stalls("out", 0.5).record());
        r.expectData("out", beats);
        agree(block, Frames.concat(resetFrame, r.recordedInputs()), Frames.concat(resetOut, r.recordedOutputs()));
    }

    private interface Stimulus {
        void fill(Frames in, int t);
    }

    private static void vectorsAgree(CosimSession cosim, Module block, long seed, int cycles, Stimulus stimulus) {
        Simulator sim = cosim.open(block, seed);
        Frames in = sim.frames(cycles + 1);
        in.set(0, "rst", 1);
        for (int t = 1; t <= cycles; t++) {
            stimulus.fill(in, t);
        }
        agree(block, in, sim.run(in));
    }

    private static IcarusSim.Outputs agree(Module block, Frames in, Frames verilator) {
        IcarusSim.Outputs icarus = IcarusSim.run(Design.elaborate(block), in, WORK.resolve(in.layout().top()));
        List<String> diffs = IcarusSim.compare(verilator, icarus, 10);
        assertTrue(diffs.isEmpty(), "Icarus and Verilator disagree on " + in.layout().top() + ":\n  " + String.join("\n  ", diffs));
        assertEquals(in.cycles(), icarus.cycles().size());
        return icarus;
    }
}
