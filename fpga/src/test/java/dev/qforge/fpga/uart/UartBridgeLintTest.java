package dev.qforge.fpga.uart;

import dev.qforge.fpga.board.Board;
import dev.qforge.fpga.ice40.IceKit;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.lint.HdlLint;
import dev.qforge.testbenches.process.Processes;
import dev.qforge.testbenches.process.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bridge and the board tops are lint-clean (verilator -Wall silent) and synthesise without latches. */
@Cosim(tools = {"verilator", "yosys"})
class UartBridgeLintTest {
    @Test
    void theBridgeAndEveryBoardTopAreLintClean(@TempDir Path tmp) throws Exception {
        IceKit kit = IceKit.of(Board.ICEBREAKER, new GemmEngineBlock("gemm", IceKit.defaultEngine()));
        HdlLint.assertVerilatorSilent(kit.bridge(), tmp.resolve("bridge"));
        HdlLint.assertYosysClean(kit.bridge(), tmp.resolve("bridge"));
        for (Board b : Board.values()) {
            IceKit k = IceKit.of(b, kit.engine());
            Path dir = Files.createDirectories(tmp.resolve(b.id()));
            List<String> cmd = new ArrayList<>(List.of(Tools.require("verilator").toString(), "--lint-only", "-Wall", "--top-module", b.topName()));
            for (Map.Entry<String, String> f : k.verilog().entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), f.getValue());
                cmd.add(f.getKey());
            }
            Processes.Result r = Processes.run(cmd, dir, Map.of(), dir.resolve("lint.log"), Duration.ofMinutes(5));
            assertEquals("", r.output().strip(), "verilator -Wall on " + b.topName());
            assertEquals(0, r.exitCode());
        }
    }
}
