package dev.qforge.testbenches.process;

import dev.qforge.dsl.Design;
import dev.qforge.lib.Counter;
import dev.qforge.testbenches.verilator.ModelCompiler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ToolsTest {
    @AfterEach
    void restore() {
        System.clearProperty("qforge.verilator");
    }

    @Test
    void missingVerilatorStopsTheBuildWithTheInstallCommand() {
        System.setProperty("qforge.verilator", "/nonexistent/verilator");
        Tools.ToolMissingException e = assertThrows(Tools.ToolMissingException.class,
                () -> ModelCompiler.shared().model(Design.elaborate(new Counter(4))));
        assertEquals("verilator was not found at /nonexistent/verilator (system property qforge.verilator); "
                + "install it with 'sudo apt-get install verilator', or " + Tools.INSTALL_HINT, e.getMessage());
        assertEquals(0, e.getStackTrace().length, "a user error, not a crash: no stack trace");
    }

    @Test
    void tailKeepsTheLastLines() {
        assertEquals("  ...\nc\nd", Processes.tail("a\nb\nc\nd\n", 2));
        assertEquals("a", Processes.tail("a", 5));
    }
}
