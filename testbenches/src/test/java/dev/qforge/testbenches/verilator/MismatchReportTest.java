package dev.qforge.testbenches.verilator;

import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A deliberately wrong block is caught, and the failure says where to look. */
@Cosim
class MismatchReportTest {
    @Test
    void wrongBlockIsReportedWithSeedCycleValuesAndVcd(CosimSession cosim) throws Exception {
        long seed = 42;
        Simulator sim = cosim.open(new FaultyAdder(), seed);
        sim.reset();
        Random rnd = new Random(seed);
        Frames in = sim.frames(4000);
        int firstBad = -1;
        for (int t = 0; t < in.cycles(); t++) {
            int a = rnd.nextInt(8) == 0 ? 0x5a : rnd.nextInt(256);
            int b = rnd.nextInt(256);
            in.set(t, "a", a);
            in.set(t, "b", b);
            if (firstBad < 0 && a == 0x5a && b > 0x80) {
                firstBad = t;
            }
        }
        Frames out = sim.run(in);
        int bad = firstBad;
        CosimMismatch m = assertThrows(CosimMismatch.class, () -> {
            for (int t = 1; t < out.cycles(); t++) {
                long expected = FaultyAdder.golden(in.get(t - 1, "a"), in.get(t - 1, "b"));
                if (out.get(t, "y") != expected) {
                    throw sim.mismatch("y", out.cycle(t), expected, out.get(t, "y"), null);
                }
            }
        });
        long cycle = out.cycle(bad + 1);
        long expected = FaultyAdder.golden(0x5a, in.get(bad, "b"));
        String msg = m.getMessage();
        assertEquals(cycle, m.cycle());
        assertEquals(seed, m.seed());
        assertEquals("y", m.port());
        assertTrue(msg.contains("FaultyAdder_u8: port 'y' at cycle " + cycle + ": expected " + expected + " (0x"
                + Long.toHexString(expected) + "), actual " + (expected ^ 1)), msg);
        assertTrue(msg.contains("seed: 42"), msg);
        assertNotNull(m.vcd(), msg);
        assertTrue(msg.contains(m.vcd().toString()), msg);
        String vcd = Files.readString(m.vcd());
        assertTrue(vcd.contains(" y [8:0] $end"), "the VCD declares port y");
        assertTrue(vcd.contains("\n#" + (2 * cycle) + "\n"), "the VCD reaches the failing cycle");
    }
}
