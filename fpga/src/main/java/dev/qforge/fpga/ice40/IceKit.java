package dev.qforge.fpga.ice40;

import dev.qforge.dsl.Design;
import dev.qforge.fpga.board.Board;
import dev.qforge.fpga.uart.BridgeLayout;
import dev.qforge.fpga.uart.GemmOverUart;
import dev.qforge.fpga.uart.UartBridge;
import dev.qforge.fpga.uart.UartHost;
import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.testbenches.systolic.GemmRunner;
import org.apache.commons.io.FileUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A GEMM engine on an iCE40 board: the engine behind the UART bridge ({@link UartBridge}) inside
 * the board top ({@link Board#top}), as Verilog files for {@link IceFlow}.
 *
 * @param clocksPerBit board clock cycles per UART bit ({@link #BAUD})
 * @param verilog      file name -> text: the design's modules and the board top
 */
public record IceKit(Board board, GemmEngineBlock engine, BridgeLayout layout, Design bridge, int clocksPerBit, Map<String, String> verilog) {
    /** The UART's bit rate: 1 Mbaud, 12 clock cycles a bit at the boards' 12 MHz; the FT2232H on both boards runs it exactly. */
    public static final int BAUD = 1_000_000;

    /** The engine a board gets without generator options: a 2 x 2 int8 weight-stationary engine, GEMMs up to 8 x 8 x 8. */
    public static SystolicConfig defaultEngine() {
        return SystolicConfig.int8(2, 2, 8, 8, 8, false);
    }

    public static IceKit of(Board board, GemmEngineBlock engine) {
        BridgeLayout layout = BridgeLayout.of(engine.top());
        int clocksPerBit = board.clockHz() / BAUD;
        Design bridge = Design.elaborate(new UartBridge(engine.top(), layout, clocksPerBit));
        Map<String, String> verilog = new LinkedHashMap<>();
        bridge.verilog().forEach((module, text) -> verilog.put(module + ".v", text));
        verilog.put(board.topName() + ".v", board.top(bridge.top().name()));
        return new IceKit(board, engine, layout, bridge, clocksPerBit, verilog);
    }

    /**
     * Seeded random GEMMs: first one with a partial fold in each of M, K and N (rows + 1 by rows + 1 by
     * cols + 1, within the engine's limits), then a 1 x 1 x 1, then random shapes. Small shapes
     * on purpose: a gate-level simulation runs about 10,000 cycles a second.
     */
    public List<Gemm> gemms(int count, long seed) {
        SystolicConfig cfg = engine.config();
        Random rnd = new Random(seed);
        List<Gemm> g = new ArrayList<>();
        g.add(GemmRunner.randomGemm(cfg, rnd, Math.min(cfg.rows() + 1, cfg.maxM()), Math.min(cfg.rows() + 1, cfg.maxK()),
                Math.min(cfg.cols() + 1, cfg.maxN())));
        g.add(GemmRunner.randomGemm(cfg, rnd, 1, 1, 1));
        while (g.size() < count) {
            g.add(GemmRunner.randomGemm(cfg, rnd, 1 + rnd.nextInt(cfg.maxM()), 1 + rnd.nextInt(cfg.maxK()), 1 + rnd.nextInt(cfg.maxN())));
        }
        return g.subList(0, count);
    }

    /**
     * Proves the bitstream's logic: the gate-level netlist simulated in Icarus (in a temporary folder,
     * removed afterwards) behind a simulated USB UART, driven by {@link UartHost} as the board would
     * be: reset, ping (layout id), then the GEMMs, every result checked against the golden model.
     * Returns the result beats checked.
     */
    public int verifyGates(String gateNetlist, List<Gemm> gemms, long seed) throws IOException {
        Path work = Files.createTempDirectory("qforge-gates");
        try (GateSim sim = GateSim.start(board, gateNetlist, clocksPerBit, work, 200_000, Duration.ofSeconds(60))) {
            UartHost host = new UartHost(layout, sim.in(), sim.out());
            host.reset();
            host.ping();
            return GemmOverUart.run(host, engine.config(), gemms, new Random(seed));
        } finally {
            FileUtils.deleteDirectory(work.toFile());
        }
    }
}
