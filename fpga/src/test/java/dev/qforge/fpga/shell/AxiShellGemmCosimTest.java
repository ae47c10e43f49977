package dev.qforge.fpga.shell;

import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmCycleModel;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.testbenches.axi.AxiLiteMaster;
import dev.qforge.testbenches.axi.AxisSink;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.junit.CosimSession;
import dev.qforge.testbenches.systolic.GemmRunner;
import dev.qforge.testbenches.verilator.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shell around a 2x2 int8 GEMM engine with bias, through the AXI4-Lite and AXI4-Stream
 * bus-functional models: every result beat bit-exact against the golden model, TLAST on each
 * GEMM's last beat only, the counters equal to what the models saw on the buses (and, without
 * gaps, BUSY_CYCLES equal to the cycle model's first-in to last-out latency), the registers, the
 * interrupt and the soft reset as the register map documents them.
 */
@Cosim
class AxiShellGemmCosimTest {
    private static final SystolicConfig CFG = ShellDesigns.GEMM;
    private static final AxiShell SHELL = ShellDesigns.gemm();

    private static ShellBench open(CosimSession cosim, long seed, double gaps) {
        Simulator sim = cosim.open(SHELL.core(), seed);
        sim.reset();
        return new ShellBench(SHELL, sim, seed, gaps);
    }

    @ParameterizedTest(name = "gaps {0}")
    @ValueSource(doubles = {0.0, 0.35})
    void gemmsAreBitExactAndCountersMatchTheBuses(double gaps, CosimSession cosim) {
        long seed = 41 + (long) (gaps * 100);
        ShellBench b = open(cosim, seed, gaps);
        Random rnd = new Random(seed);
        int[][] shapes = {{1, 1, 1}, {2, 2, 2}, {3, 5, 3}, {8, 8, 8}, {7, 3, 8}, {1, 8, 5}, {5, 1, 2}, {4, 7, 7}};
        b.write(ShellRegisters.INTR_ENABLE, 1);
        for (int[] s : shapes) {
            Gemm g = GemmRunner.randomGemm(CFG, rnd, s[0], s[1], s[2]);
            GemmRunner.Beats beats = GemmRunner.beats(CFG, List.of(g), rnd);
            int n = beats.expected().size();
            b.transaction(beats.inputs(), "out", beats.expected(), i -> beats.origin().get(i));
            assertEquals(1, b.bench.sim().peek("irq"), "the interrupt is up after " + g);
            if (gaps == 0) {
                long first = b.sources.get("cfg").handshakeCycles().get(0);
                long last = b.sinks.get("out").beats().get(n - 1).cycle();
                assertEquals(new GemmCycleModel(CFG).predict(g.m(), g.k(), g.n()).firstInToLastOut(), last - first, "cycle model, " + g);
                assertEquals(last - first, b.read(ShellRegisters.BUSY_CYCLES), "BUSY_CYCLES of " + g);
            }
            assertEquals(1, b.read(ShellRegisters.INTR_STATUS));
            b.write(ShellRegisters.INTR_STATUS, 1);
            assertEquals(0, b.read(ShellRegisters.INTR_STATUS));
            assertEquals(0, b.bench.sim().peek("irq"), "the interrupt is down once DONE is cleared");
        }
    }

    @Test
    void registersReadTheirMapValuesAndRefuseWhatTheMapRefuses(CosimSession cosim) {
        ShellBench b = open(cosim, 5, 0.3);
        b.assertResetValues();
        assertEquals(ShellRegisters.MAGIC, b.read(ShellRegisters.ID));
        assertEquals(8L, b.read(ShellRegisters.param("max-k")));
        assertEquals(AxiLiteMaster.SLVERR, b.lite.readResponse(0xFFC).resp(), "an address outside the map");
        assertEquals(AxiLiteMaster.SLVERR, b.lite.write(0, 1, 0xF), "a write to the read-only ID");
        assertEquals(ShellRegisters.MAGIC, b.read(ShellRegisters.ID));
        int beats = SHELL.registers().register(ShellRegisters.beats(SHELL.stream("out"))).offset();
        b.lite.write(beats, 0x11223344L, 0xF);
        b.lite.write(beats, 0xAABBCCDDL, 0b0101); // only bytes 0 and 2
        assertEquals(0x11BB33DDL, b.lite.read(beats));
        b.write(ShellRegisters.CONTROL, 3 << 1); // bits other than SOFT_RESET and CLEAR_COUNTERS do nothing
        assertEquals(0, b.read(ShellRegisters.CONTROL));
    }

    /** A GEMM cut off after its shape beat, a soft reset, then a whole GEMM: the engine starts clean. */
    @Test
    void softResetRestoresEveryRegisterAndTheEngine(CosimSession cosim) {
        ShellBench b = open(cosim, 9, 0.2);
        Random rnd = new Random(9);
        Gemm cut = GemmRunner.randomGemm(CFG, rnd, 3, 4, 3);
        GemmRunner.Beats partial = GemmRunner.beats(CFG, List.of(cut), rnd);
        b.write(ShellRegisters.INTR_ENABLE, 3);
        b.write(ShellRegisters.beats(SHELL.stream("out")), 77);
        b.send(Map.of("cfg", partial.inputs().get("cfg")));
        b.bench.runUntil(() -> b.sources.get("cfg").idle(), "the shape beat taken");
        assertEquals(1, b.read(ShellRegisters.STATUS), "BUSY once a beat is in");
        b.write(ShellRegisters.CONTROL, 1);
        b.assertResetValues();
        Gemm g = GemmRunner.randomGemm(CFG, rnd, 3, 4, 3);
        GemmRunner.Beats beats = GemmRunner.beats(CFG, List.of(g), rnd);
        b.write(ShellRegisters.beats(SHELL.stream("out")), beats.expected().size());
        b.send(beats.inputs());
        List<long[]> got = b.receive("out", beats.expected().size());
        for (int i = 0; i < got.size(); i++) {
            assertArrayEquals(beats.expected().get(i), got.get(i), beats.origin().get(i));
        }
        assertEquals(1, b.read(ShellRegisters.RESULTS));
    }

    /** A 1 in TDATA's padding raises PAD_ERROR (and the interrupt when enabled); the beat's fields still go in. */
    @Test
    void paddingBitsRaisePadError(CosimSession cosim) {
        ShellBench b = open(cosim, 13, 0);
        AxisStream cfg = SHELL.stream("cfg");
        assertTrue(cfg.format().bits() < 8 * cfg.bytes(), "the cfg stream has padding");
        b.write(ShellRegisters.INTR_ENABLE, 2);
        Random rnd = new Random(13);
        Gemm g = GemmRunner.randomGemm(CFG, rnd, 1, 1, 1);
        GemmRunner.Beats beats = GemmRunner.beats(CFG, List.of(g), rnd);
        byte[] tdata = cfg.pack(beats.inputs().get("cfg").get(0));
        tdata[tdata.length - 1] |= (byte) 0x80;
        b.sources.get("cfg").send(List.of(ShellBench.tdata(tdata)));
        b.send(Map.of("bias", beats.inputs().get("bias"), "wgt", beats.inputs().get("wgt"), "act", beats.inputs().get("act")));
        List<long[]> got = b.receive("out", beats.expected().size());
        assertArrayEquals(beats.expected().get(0), got.get(0));
        assertEquals(3, b.read(ShellRegisters.INTR_STATUS), "DONE and PAD_ERROR");
        assertEquals(1, b.bench.sim().peek("irq"));
        b.write(ShellRegisters.INTR_STATUS, 2);
        assertEquals(1, b.read(ShellRegisters.INTR_STATUS));
        assertEquals(0, b.bench.sim().peek("irq"), "DONE is not enabled");
        assertEquals(List.of(true), b.sinks.get("out").beats().stream().map(AxisSink.Beat::tlast).toList(), Arrays.toString(got.get(0)));
    }
}
