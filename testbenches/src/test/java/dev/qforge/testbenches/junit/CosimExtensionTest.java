package dev.qforge.testbenches.junit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CosimExtensionTest {
    @Test
    void missingToolsSkipLocallyAndFailUnderCi() {
        assertEquals(CosimExtension.Decision.RUN, CosimExtension.decide(List.of(), "true"));
        assertEquals(CosimExtension.Decision.SKIP, CosimExtension.decide(List.of("verilator"), null));
        assertEquals(CosimExtension.Decision.SKIP, CosimExtension.decide(List.of("verilator"), "false"));
        assertEquals(CosimExtension.Decision.FAIL, CosimExtension.decide(List.of("verilator"), "true"));
    }

    @Test
    void skipMessageNamesTheInstallCommand() {
        String m = CosimExtension.missingMessage(List.of("verilator", "iverilog"));
        assertTrue(m.startsWith("verilator and iverilog were not found on the PATH"), m);
        assertTrue(m.contains("sudo apt-get install verilator") && m.contains("./qforge test"), m);
    }
}
