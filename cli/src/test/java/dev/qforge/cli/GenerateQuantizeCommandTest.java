package dev.qforge.cli;

import dev.qforge.generators.report.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerateQuantizeCommandTest {
    @Test
    void writesVerilogPortTableAndReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("q");
        assertEquals(0, run(System.out, "generate", "quantize", "--format", "mxfp8_e4m3", "--lanes", "8", "-o", out.toString()));
        String top = "Quantize_mxfp8_e4m3_fp32_l8";
        assertTrue(Files.readString(out.resolve("filelist.f")).endsWith(top + ".v\n"), Files.readString(out.resolve("filelist.f")));
        String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("| `out_code_0..out_code_7` | out | 8 |"), readme);
        assertTrue(readme.contains("| `in_data_0..in_data_7` | in | 32 |"), readme);
        assertTrue(readme.contains("- format: mxfp8_e4m3\n"), readme);
        assertEquals(top, Report.read(out.resolve("report.json")).top());
        // the alias and a BFP unit
        assertEquals(0, run(System.out, "generate", "quantize", "--format", "mxfp4", "--input", "bf16", "--lanes", "4", "-o",
                dir.resolve("fp4").toString()));
        assertTrue(Files.readString(dir.resolve("fp4").resolve("filelist.f")).contains("Quantize_mxfp4_e2m1_bf16_l4.v"));
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption(@TempDir Path dir) {
        assertEquals("qforge generate quantize: --block is 32 for every MX format (OCP MX v1.0), got 16",
                error("generate", "quantize", "--block", "16", "-o", dir.resolve("a").toString()));
        assertEquals("qforge generate quantize: --lanes must be a power of two in 1..32 (the block size), got 6",
                error("generate", "quantize", "--lanes", "6", "-o", dir.resolve("b").toString()));
        assertEquals("qforge generate quantize: unknown option '--lane' (did you mean --lanes?)",
                error("generate", "quantize", "--lane", "6", "-o", dir.resolve("c").toString()));
    }

    private static String error(String... argv) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(new PrintStream(err, true, StandardCharsets.UTF_8), argv));
        return err.toString(StandardCharsets.UTF_8).strip();
    }

    private static int run(PrintStream err, String... argv) {
        PrintStream saved = System.err;
        System.setErr(err);
        try {
            return Main.run(argv);
        } finally {
            System.setErr(saved);
        }
    }
}
