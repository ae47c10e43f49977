package dev.qforge.testbenches.lib;

import dev.qforge.lib.MacPe;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Frames;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

/**
 * The MAC PE against Java arithmetic, cycle by cycle: random operands with the extremes mixed in,
 * weights loaded at random, partial sums over the whole 32-bit range (so the sum wraps).
 */
@Cosim
class MacPeCosimTest {
    private static final int[] EXTREMES = {-128, -127, -1, 0, 1, 127};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void matchesJavaArithmeticEveryCycle(long seed, CosimSession cosim) {
        Simulator sim = cosim.open(new MacPe(8, 8, 32), seed);
        sim.reset();
        Random rnd = new Random(seed);
        int cycles = 5000;
        Frames in = sim.frames(cycles);
        for (int t = 0; t < cycles; t++) {
            in.set(t, "a_in", operand(rnd));
            in.set(t, "w_in", operand(rnd));
            in.set(t, "w_load", rnd.nextInt(4) == 0 ? 1 : 0);
            in.set(t, "psum_in", rnd.nextBoolean() ? rnd.nextInt() : rnd.nextInt(2001) - 1000);
        }
        Frames out = sim.run(in);
        // Java model of the registers, all cleared by the reset
        long weight = 0;
        long a = 0;
        long psum = 0;
        for (int t = 0; t < cycles; t++) {
            expect(sim, out, t, "a_out", a);
            expect(sim, out, t, "w_out", weight);
            expect(sim, out, t, "psum_out", psum);
            long aIn = in.get(t, "a_in");
            psum = (int) (in.get(t, "psum_in") + aIn * weight); // 32-bit wrap
            a = aIn;
            if (in.get(t, "w_load") == 1) {
                weight = in.get(t, "w_in");
            }
        }
    }

    private static int operand(Random rnd) {
        return rnd.nextInt(4) == 0 ? EXTREMES[rnd.nextInt(EXTREMES.length)] : rnd.nextInt(256) - 128;
    }

    static void expect(Simulator sim, Frames out, int t, String port, long expected) {
        long actual = out.get(t, port);
        if (actual != expected) {
            throw sim.mismatch(port, out.cycle(t), expected, actual, null);
        }
    }
}
