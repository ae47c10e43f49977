package dev.qforge.fpga.shell;

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

/** The shell's core and its top, around a GEMM engine and a dequant unit: verilator -Wall silent, no latch in Yosys. */
@Cosim(tools = {"verilator", "yosys"})
class AxiShellLintTest {
    @Test
    void coreAndTopAreLintCleanAndLatchFree(@TempDir Path tmp) throws Exception {
        for (AxiShell shell : List.of(ShellDesigns.gemm(), ShellDesigns.dequant())) {
            Path dir = Files.createDirectories(tmp.resolve(shell.designName()));
            HdlLint.assertVerilatorSilent(shell.design(), dir.resolve("core"));
            HdlLint.assertYosysClean(shell.design(), dir.resolve("core"));
            List<String> cmd = new ArrayList<>(List.of(Tools.require("verilator").toString(), "--lint-only", "-Wall", "--top-module",
                    shell.topName()));
            for (Map.Entry<String, String> f : shell.verilog().entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), f.getValue());
                cmd.add(f.getKey());
            }
            Processes.Result r = Processes.run(cmd, dir, Map.of(), dir.resolve("lint.log"), Duration.ofMinutes(5));
            assertEquals("", r.output().strip(), "verilator -Wall on " + shell.topName());
            assertEquals(0, r.exitCode());
        }
    }

    @Test
    void outputIsDeterministic() {
        assertEquals(ShellDesigns.gemm().verilog(), ShellDesigns.gemm().verilog());
    }
}
