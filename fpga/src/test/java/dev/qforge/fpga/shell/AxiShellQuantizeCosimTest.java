package dev.qforge.fpga.shell;

import dev.qforge.generators.quantize.QuantizeConfig;
import dev.qforge.generators.quantize.QuantizeCycleModel;
import dev.qforge.generators.quantize.QuantizeGolden;
import dev.qforge.generators.quantize.QuantizeStimulus;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shell around an MXFP8 quantize unit (fp32 in, 8 lanes, blocks of 32: 4 beats a block), through
 * the bus-functional models: every code, scale and last flag bit-exact against {@link QuantizeGolden}
 * on {@link QuantizeStimulus}'s blocks (zeros, NaN/infinity, saturation, subnormals, ties), TLAST on
 * each transaction's last beat, the counters equal to what the models saw, and without gaps
 * BUSY_CYCLES = the cycle model's first-in to last-out.
 */
@Cosim
class AxiShellQuantizeCosimTest {
    private static final AxiShell SHELL = ShellDesigns.quantize();
    private static final QuantizeConfig CFG = ShellDesigns.quantizeBlock().config();

    @ParameterizedTest(name = "gaps {0}")
    @ValueSource(doubles = {0.0, 0.4})
    void codesAreBitExactAndCountersMatchTheBuses(double gaps, CosimSession cosim) {
        long seed = 91 + (long) (gaps * 10);
        Simulator sim = cosim.open(SHELL.core(), seed);
        sim.reset();
        ShellBench b = new ShellBench(SHELL, sim, seed, gaps);
        QuantizeStimulus stimulus = new QuantizeStimulus(seed, CFG.input(), CFG.blockSize());
        QuantizeGolden golden = new QuantizeGolden(CFG);
        int lanes = CFG.lanes();
        for (int blocks : new int[] {1, 3, 24}) {
            List<long[]> in = new ArrayList<>();
            List<long[]> expected = new ArrayList<>();
            for (int k = 0; k < blocks; k++) {
                long[] x = stimulus.block();
                QuantizeGolden.Block q = golden.quantize(x);
                for (int beat = 0; beat < CFG.beatsPerBlock(); beat++) {
                    Map<String, Long> fields = new HashMap<>();
                    Map<String, Long> want = new HashMap<>(Map.of("out_scale", (long) q.scale(),
                            "out_last", beat == CFG.beatsPerBlock() - 1 ? 1L : 0L));
                    for (int l = 0; l < lanes; l++) {
                        fields.put("in_data_" + l, x[beat * lanes + l]);
                        want.put("out_code_" + l, (long) q.codes()[beat * lanes + l]);
                    }
                    in.add(ShellBench.beat(SHELL.stream("in"), fields));
                    expected.add(ShellBench.beat(SHELL.stream("out"), want));
                }
            }
            int n = expected.size();
            b.transaction(Map.of("in", in), "out", expected, i -> "beat " + i + " of " + n);
            if (gaps == 0) {
                assertEquals(new QuantizeCycleModel(CFG).firstInToLastOut(blocks), b.read(ShellRegisters.BUSY_CYCLES),
                        "BUSY_CYCLES of " + blocks + " blocks");
            }
        }
    }
}
