package dev.qforge.fpga.ice40;

import dev.qforge.fpga.RequiresTools;
import dev.qforge.fpga.board.Board;
import dev.qforge.fpga.synth.SynthCache;
import dev.qforge.fpga.uart.GemmOverUart;
import dev.qforge.fpga.uart.UartHost;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.GemmGolden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The iCEBreaker bitstream of the default engine: Yosys, nextpnr-ice40 (meets the 12 MHz board clock)
 * and icepack make a .bin, and the synthesized gates, simulated in Icarus behind a simulated USB
 * UART, compute GEMMs sent by the host program bit-exact with the golden model, after a reset out
 * of a half-sent frame.
 */
class IceBitstreamTest {
    @Test
    void theIcebreakerBitstreamMeetsTimingAndItsGatesComputeGemmsThroughTheUart(@TempDir Path tmp) throws Exception {
        RequiresTools.require("yosys", "nextpnr-ice40", "icepack", "iverilog");
        IceKit kit = IceKit.of(Board.ICEBREAKER, new GemmEngineBlock("gemm", IceKit.defaultEngine()));
        long t0 = System.nanoTime();
        IceFlow.Result r = IceFlow.build(kit.board(), kit.verilog(), SynthCache.standard(), Duration.ofMinutes(10));
        long t1 = System.nanoTime();
        System.out.println(r.summary() + String.format(" (flow %.1f s)", (t1 - t0) / 1e9));
        assertTrue(r.slackNs() > 0, r.summary());
        assertTrue(r.bitstream().length > 100_000, "an UP5K bitstream is ~104 kB, got " + r.bitstream().length);
        var gemms = kit.gemms(2, 7);
        int expectedBeats = gemms.stream().mapToInt(g -> new GemmGolden(kit.engine().config()).resultBeats(g).size()).sum();
        try (GateSim sim = GateSim.start(kit.board(), r.gateNetlist(), kit.clocksPerBit(), tmp, 200_000, Duration.ofSeconds(60))) {
            // a session that died half-way through a cfg beat: the reset recovers whatever the board was doing
            sim.out().write(new byte[] {0x00, 0x53});
            UartHost host = new UartHost(kit.layout(), sim.in(), sim.out());
            host.reset();
            host.ping();
            assertEquals(expectedBeats, GemmOverUart.run(host, kit.engine().config(), gemms, new Random(7)));
        }
        System.out.println(String.format("gate-level: %d result beats in %.1f s", expectedBeats, (System.nanoTime() - t1) / 1e9));
    }
}
