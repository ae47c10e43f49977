package dev.qforge.cli;

import dev.qforge.generators.report.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerateQuantizeCommandTest {
    @Test
    void writesVerilogPortTableAndReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("q");
        assertEquals("0", Cli.run("generate", "quantize", "--format", "mxfp8_e4m3", "--lanes", "8", "-o", out.toString())[0]);
        String top = "Quantize_mxfp8_e4m3_fp32_l8";
        assertTrue(Files.readString(out.resolve("filelist.f")).endsWith(top + ".v\n"), Files.readString(out.resolve("filelist.f")));
        String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("| `out_code_0..out_code_7` | out | 8 |"), readme);
        assertTrue(readme.contains("| `in_data_0..in_data_7` | in | 32 |"), readme);
        assertTrue(readme.contains("- format: mxfp8_e4m3\n"), readme);
        // a block of 32 in beats of 8 lanes: one block every 4 cycles; the cycle model speaks of transactions, not GEMMs
        assertTrue(readme.contains("- initiation interval (transactions back to back): 4 cycles\n"), readme);
        assertFalse(readme.contains("GEMM"), readme);
        assertEquals(top, Report.read(out.resolve("report.json")).top());
        // the mxfp4 alias, bf16 inputs
        assertEquals("0", Cli.run("generate", "quantize", "--format", "mxfp4", "--input", "bf16", "--lanes", "4", "-o",
                dir.resolve("fp4").toString())[0]);
        assertTrue(Files.readString(dir.resolve("fp4").resolve("filelist.f")).contains("Quantize_mxfp4_e2m1_bf16_l4.v"));
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption(@TempDir Path dir) {
        assertEquals("qforge generate quantize: --block is 32 for every MX format (OCP MX v1.0), got 16",
                Cli.error("generate", "quantize", "--block", "16", "-o", dir.resolve("a").toString()));
        assertEquals("qforge generate quantize: --lanes must be a power of two in 1..32 (the block size), got 6",
                Cli.error("generate", "quantize", "--lanes", "6", "-o", dir.resolve("b").toString()));
        assertEquals("qforge generate quantize: unknown option '--lane' (did you mean --lanes?)",
                Cli.error("generate", "quantize", "--lane", "6", "-o", dir.resolve("c").toString()));
    }
}
