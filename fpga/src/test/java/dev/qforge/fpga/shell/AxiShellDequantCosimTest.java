package dev.qforge.fpga.shell;

import dev.qforge.generators.dequant.DequantConfig;
import dev.qforge.generators.dequant.DequantCycleModel;
import dev.qforge.generators.dequant.DequantGolden;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shell around a grouped int4 dequant unit (8 lanes, groups of 16: a scale every second beat),
 * through the bus-functional models: every lane bit-exact against {@link DequantGolden}, TLAST on
 * each transaction's last beat, the counters equal to what the models saw, and without gaps
 * BUSY_CYCLES = beats - 1 + the cycle model's latency.
 */
@Cosim
class AxiShellDequantCosimTest {
    private static final AxiShell SHELL = ShellDesigns.dequant();
    private static final DequantConfig CFG = ShellDesigns.dequantBlock().config();

    @ParameterizedTest(name = "gaps {0}")
    @ValueSource(doubles = {0.0, 0.4})
    void lanesAreBitExactAndCountersMatchTheBuses(double gaps, CosimSession cosim) {
        long seed = 77 + (long) (gaps * 10);
        Simulator sim = cosim.open(SHELL.core(), seed);
        sim.reset();
        ShellBench b = new ShellBench(SHELL, sim, seed, gaps);
        Random rnd = new Random(seed);
        long accepted = 0; // beats since reset: a group's scale is read on its first beat
        long scale = 0;
        for (int n : new int[] {1, 2, 7, 64, 33}) {
            List<long[]> in = new ArrayList<>();
            List<long[]> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long codes = 0;
                int[] code = new int[CFG.lanes()];
                for (int l = 0; l < CFG.lanes(); l++) {
                    code[l] = rnd.nextInt(1 << CFG.codeBits());
                    codes |= (long) code[l] << (l * CFG.codeBits());
                }
                long scaleOnPort = rnd.nextInt(1 << 16);
                if (accepted++ % CFG.beatsPerGroup() == 0) {
                    scale = scaleOnPort;
                }
                long[] lanes = new long[CFG.lanes()];
                for (int l = 0; l < lanes.length; l++) {
                    lanes[l] = DequantGolden.lane(CFG, code[l], scale, 0);
                }
                in.add(new long[] {codes, scaleOnPort});
                expected.add(lanes);
            }
            b.transaction(Map.of("in", in), "out", expected, i -> "beat " + i + " of " + n);
            if (gaps == 0) {
                assertEquals(n - 1 + DequantCycleModel.latency(CFG), b.read(ShellRegisters.BUSY_CYCLES), "BUSY_CYCLES of " + n + " beats");
            }
        }
    }
}
