package dev.qforge.fpga.shell;

import dev.qforge.testbenches.junit.Cosim;
import dev.qforge.testbenches.lint.HdlLint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/** The shell's core and its top, around a GEMM engine, a dequant unit, a quantize unit and an attention engine: verilator -Wall silent, no latch in Yosys. */
@Cosim(tools = {"verilator", "yosys"})
class AxiShellLintTest {
    @Test
    void coreAndTopAreLintCleanAndLatchFree(@TempDir Path tmp) {
        for (AxiShell shell : List.of(ShellDesigns.gemm(), ShellDesigns.dequant(), ShellDesigns.quantize(), ShellDesigns.attention())) {
            Path dir = tmp.resolve(shell.designName());
            HdlLint.assertVerilatorSilent(shell.design(), dir.resolve("core"));
            HdlLint.assertYosysClean(shell.design(), dir.resolve("core"));
            HdlLint.assertVerilatorSilent(shell.verilog(), shell.topName(), dir.resolve("top"));
        }
    }
}
