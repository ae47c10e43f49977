package dev.qforge.testbenches.lib;

import dev.qforge.lib.SystolicArray;
import dev.qforge.testbenches.bench.SystolicWorkload;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Frames;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Matrix tiles through small arrays against Java matrix products (the workload of CosimBench). */
@Cosim
class SystolicArrayCosimTest {
    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"3, 3", "2, 5", "4, 3"})
    void productsArriveOnTheirCycle(int rows, int cols, CosimSession cosim) {
        long seed = rows * 10L + cols;
        Simulator sim = cosim.open(new SystolicArray("SystolicArray_" + rows + "x" + cols, rows, cols, 8, 8, 32), seed);
        sim.reset();
        SystolicWorkload workload = new SystolicWorkload(sim.layout(), rows, cols, 20, seed);
        int tile = workload.tileCycles();
        Frames in = sim.frames(3 * tile);
        int[][] expected = new int[3][];
        for (int k = 0; k < 3; k++) {
            expected[k] = workload.nextTile(in, k * tile);
        }
        Frames out = sim.run(in);
        for (int k = 0; k < 3; k++) {
            workload.check(sim, out, k * tile, expected[k]);
        }
    }
}
