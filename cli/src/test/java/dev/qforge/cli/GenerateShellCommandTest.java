package dev.qforge.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code generate ... --shell axi}: the shell, its register map and the drivers beside the block's files. */
class GenerateShellCommandTest {
    @Test
    void writesTheShellRegisterMapAndDrivers(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("dq");
        String[] r = Cli.run("generate", "dequant", "--lanes", "8", "--group", "16", "-o", out.toString(), "--shell", "axi");
        assertEquals("0", r[0], r[2]);
        String top = Files.readString(out.resolve("filelist.f")).strip().lines().reduce((a, b) -> b).orElseThrow().replace(".v", "");
        assertEquals("generate dequant: top=" + top + " shell=AxiShell_" + top + " out=" + out + "\n", r[1]);
        String shellFiles = Files.readString(out.resolve("shell.f"));
        assertTrue(shellFiles.endsWith("AxiShellCore_" + top + ".v\nAxiShell_" + top + ".v\n"), shellFiles);
        for (String f : shellFiles.strip().split("\n")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        assertTrue(Files.readString(out.resolve("AxiShell_" + top + ".v")).contains("input  wire [63:0] s_axis_in_tdata"));
        assertTrue(Files.readString(out.resolve("regmap.md")).contains("| 0x000 | ID | RO | 0x51465348 | 31:0 |"));
        assertTrue(Files.readString(out.resolve("regmap.h")).contains("#define QF_PARAM_LANES_VALUE 0x00000008u"));
        assertTrue(Files.readString(out.resolve("design.py")).contains("\"in\": Stream(\"s_axis_in\", True, 8, [(\"in_codes\", 32, False), "
                + "(\"in_scale_0\", 16, False)], \"dma0\")"));
        for (String f : new String[] {"regmap.py", "qforge_shell.py", "qf_shell.c", "qf_shell.h", "qf_platform.h", "qf_uio.c", "qf_design.h"}) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
    }

    @Test
    void withoutTheFlagNoShell(@TempDir Path dir) {
        Path out = dir.resolve("dq");
        assertEquals("0", Cli.run("generate", "dequant", "-o", out.toString())[0]);
        assertFalse(Files.exists(out.resolve("shell.f")));
    }

    @Test
    void anUnknownShellIsAUsageError(@TempDir Path dir) {
        assertEquals("qforge generate dequant: --shell must be axi, got 'axi4'",
                Cli.error("generate", "dequant", "-o", dir.resolve("x").toString(), "--shell", "axi4"));
        assertFalse(Files.exists(dir.resolve("x")));
    }
}
