package dev.qforge.testbenches.lib;

import dev.qforge.dsl.HwType;
import dev.qforge.lib.AdderTree;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Frames;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The adder tree against Java sums: out_valid follows in_valid exactly {@code latency()} cycles
 * later, and each valid sum is the sum of the inputs of that earlier cycle, at full width.
 */
@Cosim
class AdderTreeCosimTest {
    @ParameterizedTest(name = "n={0} {1}")
    @CsvSource({"2, s8, 1", "3, u8, 2", "5, s8, 3", "8, s16, 3", "9, u4, 4"})
    void sumsArriveExactlyLatencyCyclesLater(int n, String type, int latency, CosimSession cosim) {
        int width = Integer.parseInt(type.substring(1));
        HwType element = type.charAt(0) == 's' ? HwType.sint(width) : HwType.uint(width);
        AdderTree tree = new AdderTree(n, element);
        assertEquals(latency, tree.latency(), "ceil(log2 n)");
        long seed = n * 31L + element.width();
        Simulator sim = cosim.open(tree, seed);
        sim.reset();
        Random rnd = new Random(seed);
        int cycles = 3000;
        Frames in = sim.frames(cycles);
        long[] sums = new long[cycles];
        for (int t = 0; t < cycles; t++) {
            in.set(t, "in_valid", rnd.nextInt(10) < 7 ? 1 : 0);
            for (int i = 0; i < n; i++) {
                long v = rnd.nextInt(4) == 0 ? (rnd.nextBoolean() ? element.min() : element.max())
                        : element.min() + (long) (rnd.nextDouble() * (element.max() - element.min() + 1));
                in.set(t, "in_" + i, v);
                sums[t] += v;
            }
        }
        Frames out = sim.run(in);
        for (int t = 0; t < cycles; t++) {
            long validThen = t >= latency ? in.get(t - latency, "in_valid") : 0;
            MacPeCosimTest.expect(sim, out, t, "out_valid", validThen);
            if (validThen == 1) {
                MacPeCosimTest.expect(sim, out, t, "sum", sums[t - latency]);
            }
        }
    }
}
