package dev.qforge.cli;

import dev.qforge.generators.report.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerateSystolicCommandTest {
    @Test
    void writesVerilogFileListPortTableAndReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("gemm");
        assertEquals(0, run(System.out, "generate", "systolic", "--rows", "2", "--cols", "3", "--dataflow", "ws", "--act", "int8",
                "--weight", "int8", "--bias", "--max-k", "8", "-o", out.toString()));
        String top = "GemmEngine_ws_2x3_s8xs8_acc33_m256k8n256_bias_p3";
        assertEquals("WsPe_s8xs8_acc33_p3.v\n" + top + ".v\n", Files.readString(out.resolve("filelist.f")));
        String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("| port | direction | width | meaning | protocol |"), readme);
        assertTrue(readme.contains("| `act_0..act_1` | in | 8 | lane r of beat m = A[m][k0 + r], int8; lanes past K ignored |"), readme);
        assertTrue(readme.contains("| `out_0..out_2` | out | 33 |"), readme);
        assertTrue(readme.contains("- pe-stages: 3\n"), readme); // the default: every DSP register used
        // the folder is a design folder: qforge report prints its report
        assertEquals(top, Report.read(out.resolve("report.json")).top());
        assertTrue(Files.readString(out.resolve("report.txt")).contains("max-k"), "the report lists the options");
        assertEquals(0, run(System.out, "report", out.toString()));
    }

    @Test
    void requantVariantDocumentsItsParameters(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("rq");
        assertEquals(0, run(System.out, "generate", "systolic", "--rows", "4", "--cols", "4", "--requant", "--rounding", "single",
                "--max-k", "16", "-o", out.toString()));
        String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("- requant: tflite\n"), "single is an alias of tflite: " + readme);
        assertTrue(readme.contains("rounding tflite: single rounding, as TFLite 2.21 ships (TFLITE_SINGLE_ROUNDING; checked against "
                + "the committed TFLite 2.21 vectors)"), "the port table says which framework the mode matches: " + readme);
        assertTrue(readme.contains("| `quant_mult_0..quant_mult_3` | in | 32 |"), readme);
        assertTrue(readme.contains("| `out_0..out_3` | out | 8 |"), readme);
        assertTrue(Files.readString(out.resolve("filelist.f")).contains("Requant_l4_acc"), "the requantizer is part of the design");
        // --requant MODE and a bare --requant (TFLite as it ships) say the same
        Path same = dir.resolve("rq2");
        assertEquals(0, run(System.out, "generate", "systolic", "--rows", "4", "--cols", "4", "--requant", "tflite", "--max-k", "16",
                "-o", same.toString()));
        assertEquals(Files.readString(out.resolve("filelist.f")), Files.readString(same.resolve("filelist.f")));
        Path bare = dir.resolve("rq3");
        assertEquals(0, run(System.out, "generate", "systolic", "--rows", "4", "--cols", "4", "--requant", "--max-k", "16",
                "-o", bare.toString()));
        assertEquals(readme.replace("# rq\n", "# rq3\n"), Files.readString(bare.resolve("README.md")));
        // the legacy double rounding is named after what it matches
        Path legacy = dir.resolve("rq4");
        assertEquals(0, run(System.out, "generate", "systolic", "--rows", "4", "--cols", "4", "--requant", "double", "--max-k", "16",
                "-o", legacy.toString()));
        assertTrue(Files.readString(legacy.resolve("README.md")).contains("- requant: gemmlowp\n"));
    }

    @Test
    void peStagesNameTheModulesAndDelayTheResults(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("p3");
        assertEquals(0, run(System.out, "generate", "systolic", "--rows", "2", "--cols", "2", "--dataflow", "os", "--packed",
                "--pe-stages", "3", "--max-m", "8", "--max-k", "8", "--max-n", "8", "-o", out.toString()));
        assertEquals("PackedOsPe2_s8xs8_acc19_p3.v\nGemmEngine_os_2x2_s8xs8_acc19_m8k8n8_packed_p3.v\n",
                Files.readString(out.resolve("filelist.f")));
        String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("pe-stages 3: each PE registers its partial sum and its product, multiplying its registered inputs; "
                + "results leave 2 cycles later than with one stage"), readme);
    }

    /** An MX engine left without --pe-stages has its PE's one stage, and its README lists no group or scale format. */
    @Test
    void anMxEngineWithoutPeStagesHasOneStage(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("mx");
        assertEquals(0, run(System.out, "generate", "systolic", "--rows", "4", "--cols", "2", "--act", "mxfp8_e4m3", "--weight", "mxfp4",
                "--max-k", "64", "-o", out.toString()));
        String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("- pe-stages: 1\n"), readme);
        assertFalse(readme.contains("- group:") || readme.contains("- scale:"), readme);
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption(@TempDir Path dir) {
        String o = dir.resolve("never").toString();
        assertEquals("qforge generate systolic: --dataflow must be ws or os, got 'is' (did you mean ws?)", error("generate", "systolic", "--dataflow", "is", "-o", o));
        assertEquals("qforge generate systolic: --weight must be int8, int4, int2, mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3, mxfp4_e2m1 or mxint8 (mxfp4 also accepted), got 'uint8' (did you mean int8?)",
                error("generate", "systolic", "--weight", "uint8", "-o", o));
        assertEquals("qforge generate systolic: --rounding must be tflite or gemmlowp (single, double also accepted), got 'half'",
                error("generate", "systolic", "--requant", "--rounding", "half", "-o", o));
        assertEquals("qforge generate systolic: --rounding single needs --requant (or write --requant single)",
                error("generate", "systolic", "--rounding", "single", "-o", o));
        assertEquals("qforge generate systolic: --rounding gemmlowp qualifies a bare --requant, not --requant tflite; give one of them",
                error("generate", "systolic", "--requant", "tflite", "--rounding", "gemmlowp", "-o", o));
        assertEquals("qforge generate systolic: --bias cannot be combined with requant: the quant beat carries the bias",
                error("generate", "systolic", "--requant", "--bias", "-o", o));
        assertEquals("qforge generate systolic: --rows must be in 1..256, got 0", error("generate", "systolic", "--rows", "0", "-o", o));
        assertEquals("qforge generate systolic: --max-m takes a whole number, got 'many'", error("generate", "systolic", "--max-m", "many", "-o", o));
        assertEquals("qforge generate: --class needs a class name, got ''", error("generate", "--class", "", "-o", o));
        assertEquals("qforge generate systolic: write --max-k 4096, not --max-k=4096: a value follows its option after a space",
                error("generate", "systolic", "--max-k=4096", "-o", o));
        assertEquals("qforge generate systolic: --bias is given more than once; give it once", error("generate", "systolic", "--bias", "--bias", "-o", o));
        assertEquals("qforge generate systolic: --max-m must be in 1..1048576, got 2147483648",
                error("generate", "systolic", "--max-m", "2147483648", "-o", o), "a whole number beyond int is out of range, not malformed");
        assertEquals("qforge generate systolic: --pe-stages must be in 1..3, got 0", error("generate", "systolic", "--pe-stages", "0", "-o", o));
        assertEquals("qforge generate systolic: --pe-stages must be 1 for MX operands (their PE has one register stage), got 3",
                error("generate", "systolic", "--act", "mxfp8_e4m3", "--weight", "mxfp4", "--pe-stages", "3", "-o", o));
        assertEquals("qforge generate systolic: --acc-bits must be 0 (derived) or in 22..64, got 16: a sum of up to 64 int8 x int8 products "
                + "needs 22 bits", error("generate", "systolic", "--max-k", "64", "--acc-bits", "16", "-o", o));
        assertEquals("qforge generate systolic: --scale applies only with group scales: set group (e.g. 128) or leave scale out",
                error("generate", "systolic", "--scale", "bf16", "-o", o), "a scale format given at its default, without group scales");
        assertEquals("qforge generate systolic: --group does not apply to MX operands: their blocks are 32 rows of K; leave group out",
                error("generate", "systolic", "--act", "mxfp8_e4m3", "--weight", "mxfp4", "--group", "0", "-o", o));
        assertEquals("qforge generate systolic: unknown option '--row' (did you mean --rows?)",
                error("generate", "systolic", "--row", "4", "-o", o));
        // the output folder's long spellings mean -o, which edit distance cannot reach (--out is 2 edits from --act)
        for (String out : List.of("--out", "--output", "--outdir")) {
            assertEquals("qforge generate systolic: unknown option '" + out + "' (did you mean -o?)", error("generate", "systolic", out, o));
        }
        assertEquals("qforge generate systolic: --packed takes no value, got 'yes'", error("generate", "systolic", "--packed", "yes", "-o", o));
        assertEquals("qforge generate systolic: --cols needs a value", error("generate", "systolic", "--cols", "--packed", "-o", o));
        assertFalse(Files.exists(dir.resolve("never")), "nothing is written for a bad command line");
    }

    @Test
    void everySubcommandRejectsAnUnknownOption(@TempDir Path dir) {
        assertEquals("qforge bench gemm: unknown option '--size'; options: --n --pe-stages --transactions", error("bench", "gemm", "--size", "4"));
        // a command that does not check before its work is checked after it
        assertEquals(0, run(System.out, "generate", "systolic", "--rows", "1", "--cols", "1", "--max-k", "1", "-o", dir.toString()));
        assertEquals("qforge report: unknown option '--fast'; this command takes no options", error("report", dir.toString(), "--fast"));
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
