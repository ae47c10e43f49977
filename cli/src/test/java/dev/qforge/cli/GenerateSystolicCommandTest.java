package dev.qforge.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerateSystolicCommandTest {
    @Test
    void writesVerilogFileListAndPortTable(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("gemm");
        assertEquals(0, run(System.out, "generate", "systolic", "--rows", "2", "--cols", "3", "--dataflow", "ws", "--act", "int8",
                "--weight", "int8", "--bias", "--max-k", "8", "-o", out.toString()));
        String top = "GemmEngine_ws_2x3_s8xs8_acc33_m256k8n256_bias";
        assertEquals("WsPe_s8xs8_acc33.v\n" + top + ".v\n", Files.readString(out.resolve("filelist.f")));
        String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("| port | direction | width | meaning | protocol |"), readme);
        assertTrue(readme.contains("| `act_0..act_1` | in | 8 | lane r of beat m = A[m][k0 + r], int8; lanes past K ignored |"), readme);
        assertTrue(readme.contains("| `out_0..out_2` | out | 33 |"), readme);
    }

    @Test
    void requantVariantDocumentsItsParameters(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("rq");
        assertEquals(0, run(System.out, "generate", "systolic", "--rows", "4", "--cols", "4", "--requant", "--rounding", "single",
                "--max-k", "16", "-o", out.toString()));
        String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("- requant: single_rounding"), readme);
        assertTrue(readme.contains("| `quant_mult_0..quant_mult_3` | in | 32 |"), readme);
        assertTrue(readme.contains("| `out_0..out_3` | out | 8 |"), readme);
        assertTrue(Files.readString(out.resolve("filelist.f")).contains("Requant_l4_acc"), "the requantizer is part of the design");
    }

    @Test
    void unsupportedChoicesAreUsageErrors() {
        assertEquals("qforge generate systolic: --dataflow must be ws or os, got 'is'", error("generate", "systolic", "--dataflow", "is"));
        assertEquals("qforge generate systolic: --weight must be int8, int4 or int2, got 'uint8'",
                error("generate", "systolic", "--weight", "uint8"));
        assertEquals("qforge generate systolic: --rounding must be double or single (TFLite's two modes), got 'half'",
                error("generate", "systolic", "--requant", "--rounding", "half"));
        assertEquals("qforge generate systolic: bias must be false with requant: the requant beat carries the bias",
                error("generate", "systolic", "--requant", "--bias"));
        assertEquals("qforge generate systolic: rows must be in 1..256, got 0".replace("rows", "--rows"),
                error("generate", "systolic", "--rows", "0"));
        assertEquals("qforge generate systolic: accBits must be in 22..64 (sums of maxK=64 int8 x int8 products need 22 bits), got 16",
                error("generate", "systolic", "--max-k", "64", "--acc-bits", "16"));
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
