package dev.qforge.spec;

import dev.qforge.generators.MemoryTraffic;
import dev.qforge.generators.attention.AttentionBlock;
import dev.qforge.generators.attention.AttentionConfig;
import dev.qforge.generators.attention.AttentionCycleModel;
import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.Registry;
import dev.qforge.generators.report.Estimator;
import dev.qforge.generators.report.Report;
import dev.qforge.generators.report.html.ReportHtml;
import dev.qforge.generators.systolic.GemmCycleModel;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.check.Checker;
import dev.qforge.spec.compose.ComposedBlock;
import dev.qforge.spec.diag.SpecException;
import dev.qforge.spec.workload.LayerResult;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Constants, imports, formats as options, and the workload's cycles from the GEMM cycle model. */
class SpecLanguageTest {
    private static final String SMALL = """
            target xc7z020;
            // constants and integer expressions, a block's option set from them
            lanes = 2;
            depth = (lanes + 1) * 3 - 5 % 3;
            block g = systolic(rows: lanes, cols: 2 * lanes, act: uint8, weight: int4, max-m: 10, max-k: 6, max-n: 5);
            workload w tokens 4 {
                gemm tiled 23 x 13 x 11 on g;
                attention a(d: 4, L: 6, heads: 2, kv_heads: 1, mode: prefill, kv: int4 group 2 scale bf16) on g;
            }
            """;

    @Test
    void optionsComeFromConstantsAndWords() {
        CheckedSpec s = Spec.check("small.qf", SMALL, Checker.Mode.CHECK);
        SystolicConfig cfg = ((GemmEngineBlock) s.blocks().get(0).info()).config();
        assertEquals(2, cfg.rows());
        assertEquals(4, cfg.cols());
        assertEquals("uint8", cfg.actFormat().toString());
        assertEquals(4, cfg.weightBits());
        assertEquals(List.of("w"), s.workloads().stream().map(w -> w.name()).toList());
    }

    /**
     * 23 x 13 x 11 on an engine of largest M 10, K 6, N 5 runs as tiles: M 10, 10, 3; K 6, 6, 1;
     * N 5, 5, 1, each tile the cycle model's initiation interval.
     */
    @Test
    void aGemmPastTheEnginesLimitsRunsAsTiles() {
        CheckedSpec s = Spec.check("small.qf", SMALL, Checker.Mode.CHECK);
        SystolicConfig cfg = ((GemmEngineBlock) s.blocks().get(0).info()).config();
        GemmCycleModel model = new GemmCycleModel(cfg);
        long expected = 0;
        for (int m : new int[] {10, 10, 3}) {
            for (int k : new int[] {6, 6, 1}) {
                for (int n : new int[] {5, 5, 1}) {
                    expected += model.predict(m, k, n).initiationInterval();
                }
            }
        }
        LayerResult tiled = s.workloads().get(0).layers().get(0);
        assertEquals(expected, tiled.cycles());
        assertEquals(23L * 13 * 11, tiled.macs());
        // int4 weights 13 x 11, uint8 activations 23 x 13, int14 results 23 x 11 (accumulator of K 6 uint8 x int4)
        assertEquals((13 * 11 * 4 + 7) / 8 + 23 * 13 + (23 * 11 * cfg.outBits() + 7) / 8, tiled.bytes());
    }

    /** Prefill attention, 2 query heads on 1 KV head: per head Q K^T (6 x 4 x 6) and P V (6 x 6 x 4). */
    @Test
    void attentionRunsAsTwoGemmsPerHead() {
        CheckedSpec s = Spec.check("small.qf", SMALL, Checker.Mode.CHECK);
        SystolicConfig cfg = ((GemmEngineBlock) s.blocks().get(0).info()).config();
        GemmCycleModel model = new GemmCycleModel(cfg);
        LayerResult a = s.workloads().get(0).layers().get(1);
        long scoresFolds = model.predict(6, 4, 5).initiationInterval() + model.predict(6, 4, 1).initiationInterval();
        long contextFolds = model.predict(6, 6, 4).initiationInterval();
        assertEquals(2 * (scoresFolds + contextFolds), a.cycles());
        assertEquals(2L * 2 * 6 * 4 * 6, a.macs());
        // KV cache: 2 x 6 x 4 int4 elements with a bf16 scale per 2 (12 bits each) = 72 bytes; Q in and context out: 2 x 2 x 6 x 4 bytes
        assertEquals(72 + 2 * 2 * 6 * 4, a.bytes());
    }

    /** A built spec's report: the workloads are its cycle model and their layers' bytes its memory traffic, so it has a roofline. */
    @Test
    void aBuiltSpecsReportHasItsWorkloadsTrafficAndRoofline() {
        CheckedSpec s = Spec.check("small.qf", SMALL, Checker.Mode.BUILD);
        SystolicConfig cfg = ((GemmEngineBlock) s.blocks().get(0).info()).config();
        MemoryTraffic t = new ComposedBlock(s).memoryTraffic();
        // weights 13 x 11 int4 and the int4 KV cache's 72 bytes; activations 23 x 13 uint8 and q 2 x 6 x 4; results 23 x 11 and the context
        assertEquals((13 * 11 * 4 + 7) / 8 + 72, t.weightBytes());
        assertEquals(23 * 13 + 2 * 6 * 4, t.activationBytes());
        assertEquals((23 * 11 * cfg.outBits() + 7) / 8 + 2 * 6 * 4, t.resultBytes());
        Report r = Report.of(new ComposedBlock(s), s.design(), Estimator.estimate(s.design()), Map.of());
        assertEquals("workload w", r.performance().workload());
        assertTrue(ReportHtml.render(r).contains("<title>workload w: "), "the workloads' point on the roofline");
    }

    private static final String DECODE = """
            target xczu9eg;
            block attn = attention(head-dim: 64, max-seq: 256, lanes: 8, heads: 2, kv: int4, kv-group: 32);
            workload w tokens 1 {
                attention a(d: 64, L: 200, heads: 8, kv_heads: 2, mode: decode, kv: int4) on attn;
                attention full_group(d: 64, L: 224, heads: 6, kv_heads: 2, mode: decode, kv: int4) on attn;
            }
            """;

    /**
     * Decode on an attention engine, by hand from its cycle model's terms: d/P = 8 beats a row; L
     * rows of 8 cycles, +8 +3 to drain; the reciprocal's 27 bits (a 26-bit sum for max-seq 256, 16
     * + 1 + 9); d/P cycles to take the query row and d/P - 1 more output beats, +1 to the next token. 8 query heads on
     * 2 K/V heads are 4 per K/V head, 2 steps of the engine's 2 heads each: 4 steps. At L = 224 the
     * token completes a key group of 32 and first converts it (32 x 8 + 1 cycles).
     */
    @Test
    void decodeOnAnAttentionEngineIsTimedByItsCycleModel() {
        CheckedSpec s = Spec.check("decode.qf", DECODE, Checker.Mode.CHECK);
        List<LayerResult> layers = s.workloads().get(0).layers();
        assertEquals(4 * (8 + (200 * 8 + 8 + 3) + 27 + 7 + 1), layers.get(0).cycles());
        assertEquals(4 * (8 + (32 * 8 + 1) + (224 * 8 + 8 + 3) + 27 + 7 + 1), layers.get(1).cycles());
        assertEquals(2L * 8 * 64 * 200, layers.get(0).macs());
        // the int4 cache 2 x 200 x 64 x 2 KV heads at 4 bits, q in and o out 8 x 64 bytes each
        assertEquals(2 * 200 * 64 * 2 / 2 + 2 * 8 * 64, layers.get(0).bytes());
    }

    /**
     * Prefill on the same engine, by hand: a new sequence of L = 40 tokens, token t over t + 1 rows,
     * each 8 + (8 (t + 1) + 11) + 27 + 7 + 1 = 8 (t + 1) + 54 cycles, and token 31 first converts its key
     * group (32 x 8 + 1); 2 query heads on 1 K/V head are one request. MACs: the causal triangle only.
     */
    @Test
    void prefillOnAnAttentionEngineIsTimedByItsCycleModel() {
        CheckedSpec s = Spec.check("prefill.qf", DECODE.replace("attention a(d: 64, L: 200, heads: 8, kv_heads: 2, mode: decode",
                "attention a(d: 64, L: 40, heads: 2, kv_heads: 1, mode: prefill"), Checker.Mode.CHECK);
        LayerResult a = s.workloads().get(0).layers().get(0);
        assertEquals(8 * (40 * 41 / 2) + 54 * 40 + (32 * 8 + 1), a.cycles());
        assertEquals(2L * 64 * 40 * 41, a.macs());
    }

    @Test
    void anAttentionEngineRefusesWhatItWasNotBuiltFor() {
        SpecException e = assertThrows(SpecException.class, () -> Spec.check("decode.qf", DECODE.replace("L: 200", "L: 300")
                .replace("d: 64, L: 224", "d: 32, L: 224").replace("mode: decode, kv: int4) on attn;\n}", "mode: decode, kv: int8) on attn;\n}"),
                Checker.Mode.CHECK));
        String m = e.getMessage();
        assertTrue(m.contains("decode.qf:4:27: error: L 300 is more than the 256 rows the K/V cache of block 'attn' (attention) holds (max-seq)"), m);
        assertTrue(m.contains("decode.qf:5:29: error: d 32 is not the head-dim 64 of block 'attn' (attention)"), m);
        assertTrue(m.contains("error: kv int8 is not the int4 K/V cache of block 'attn' (attention)"), m);
    }

    /**
     * An int4 cache shorter than the default key group (32) is one group when kv-group is left out, as
     * {@code qforge generate} takes it (the option's one declaration); a kv-group given longer than the cache is refused.
     */
    @Test
    void aShortInt4CacheNeedsNoKeyGroupOfItsOwn() {
        String spec = """
                target xczu9eg;
                block attn = attention(head-dim: 16, max-seq: 16, lanes: 2, kv: int4);
                workload w tokens 1 {
                    attention a(d: 16, L: 16, heads: 1, kv_heads: 1, mode: decode, kv: int4) on attn;
                }
                """;
        CheckedSpec s = Spec.check("short.qf", spec, Checker.Mode.CHECK);
        assertEquals(16, ((AttentionBlock) s.blocks().get(0).info()).config().kvGroup());
        // token 16 completes the one group of 16 rows and first converts it: 16 x 8 + 1 cycles more than an int8 cache's
        long cycles = s.workloads().get(0).layers().get(0).cycles();
        assertEquals(new AttentionCycleModel(new AttentionConfig(16, 16, 2, 0x1p-13, 1, AttentionConfig.Kv.INT4, 16)).cyclesPerToken(16, false), cycles);
        assertEquals(new AttentionCycleModel(new AttentionConfig(16, 16, 2, 0x1p-13)).cyclesPerToken(16, false) + 16 * 8 + 1, cycles);
        SpecException e = assertThrows(SpecException.class, () -> Spec.check("short.qf", spec.replace("kv: int4);", "kv: int4, kv-group: 32);"),
                Checker.Mode.CHECK));
        assertTrue(e.getMessage().contains("kv-group must be in 1..max-seq 16 (rows sharing a key channel's exponent), got 32"), e.getMessage());
    }

    /**
     * A grouped engine's fp32 results go to a quantize unit of fp32 input (a float's lanes are
     * unsigned ports, so their format is what connects); its GEMM layer also reads the scales.
     */
    @Test
    void aGroupedEnginesFloatResultsConnectByFormatAndItsScalesAreRead() {
        CheckedSpec s = Spec.check("grouped.qf", """
                target xczu9eg;
                block proj = systolic(rows: 8, cols: 8, weight: int4, group: 128, scale: bf16, result: fp32, max-k: 512);
                block q = quantize(format: mxint8, input: fp32, lanes: 8);
                proj.out -> q.in;
                workload w {
                    gemm g 2 x 300 x 8 on proj;
                }
                """, Checker.Mode.CHECK);
        assertTrue(Summary.text(s).contains("\n  proj.out -> q.in: 8 lanes of fp32\n"), Summary.text(s));
        // int4 weights 300 x 8 and a bf16 scale per column and group of 128 rows (3 groups, the last one partial);
        // int8 activations 2 x 300; fp32 results 2 x 8
        assertEquals(300 * 8 / 2 + 3 * 8 * 2 + 2 * 300 + 2 * 8 * 4, s.workloads().get(0).layers().get(0).bytes());
    }

    /**
     * pe-stages left out is 1 on an MX engine (its PE's one stage) and 3 on an int8 one; written
     * as 1 it is 1 (an explicit 3 on MX is diagnostics/50-mx-pe-stages-given.qf).
     */
    @Test
    void peStagesLeftOutOnAnMxEngineIsItsOneStage() {
        CheckedSpec s = Spec.check("stages.qf", """
                target xczu9eg;
                block left_out = systolic(rows: 4, cols: 4, act: mxfp8_e4m3, weight: mxfp4);
                block given = systolic(rows: 4, cols: 4, act: mxfp8_e4m3, weight: mxfp4, pe-stages: 1);
                block int8 = systolic(rows: 4, cols: 4);
                """, Checker.Mode.CHECK);
        List<Integer> stages = s.blocks().stream().map(b -> ((GemmEngineBlock) b.info()).config().peStages()).toList();
        assertEquals(List.of(1, 1, 3), stages);
        assertEquals(Map.of("rows", "4", "cols", "4", "act", "mxfp8_e4m3", "weight", "mxfp4_e2m1"), s.blocks().get(0).options(),
                "a block keeps only the options written");
    }

    /** An MX engine's bf16 results are bf16 lanes; its layer reads an E8M0 scale per block of 32 of K of each column of B and row of A. */
    @Test
    void anMxEnginesLayerReadsItsBlockScales() {
        CheckedSpec s = Spec.check("mx.qf", """
                target xczu9eg;
                block mx = systolic(rows: 8, cols: 8, act: mxfp8_e4m3, weight: mxfp4, result: bf16, max-k: 512, pe-stages: 1);
                mx.out -> y;
                workload w {
                    gemm g 2 x 100 x 8 on mx;
                }
                """, Checker.Mode.CHECK);
        assertTrue(Summary.text(s).contains("\n  mx.out -> y: 8 lanes of bf16\n"), Summary.text(s));
        // fp4 weights 100 x 8 and 4 blocks of K per column; fp8 activations 2 x 100 and 4 blocks per row; bf16 results 2 x 8
        assertEquals(100 * 8 / 2 + 4 * 8 + 2 * 100 + 4 * 2 + 2 * 8 * 2, s.workloads().get(0).layers().get(0).bytes());
    }

    /** Block kinds are the registry's generators: each one, at its declared defaults, is a block of a spec that checks. */
    @Test
    void everyRegisteredGeneratorIsABlockKind() {
        StringBuilder text = new StringBuilder("target xczu9eg;\n");
        for (Generator g : Registry.all()) {
            text.append("block b_").append(g.name()).append(" = ").append(g.name()).append("();\n");
        }
        CheckedSpec s = Spec.check("kinds.qf", text.toString(), Checker.Mode.CHECK);
        assertEquals(Registry.names(), s.blocks().stream().map(b -> b.generator().name()).toList());
        for (var b : s.blocks()) {
            assertEquals(b.generator().resolve(Map.of()), b.generator().resolve(b.options()), b.name() + " has its defaults");
        }
    }

    @Test
    void importsAreReadOnceAndBeforeTheFile() throws Exception {
        CheckedSpec s = Spec.check(resource("imports/design.qf"), Checker.Mode.BUILD);
        assertEquals("xc7z020", s.device().name());
        assertEquals(4, ((GemmEngineBlock) s.blocks().get(0).info()).config().cols());
    }

    @Test
    void mistakesInAnImportedFileNameThatFile() {
        SpecException e = assertThrows(SpecException.class, () -> Spec.check(resource("imports/bad_import.qf"), Checker.Mode.CHECK));
        String dir = resource("imports").toString();
        assertEquals("MAIN:2:29: error: rows must be in 1..256, got 0 (lanes, line 3 of LIB)\n"
                + " 2 | block gemm = systolic(rows: lanes, cols: 2);\n"
                + "   |                             ^^^^^\n"
                + "LIB:2:8: error: unknown target 'xc7z02' (did you mean xc7z020?); targets: xc7z020, xc7a35t, xc7a100t, xczu3eg, xczu9eg, up5k, hx8k\n"
                + " 2 | target xc7z02;\n"
                + "   |        ^^^^^^\n"
                + "2 errors\n", e.getMessage().replace(dir + "/bad_import.qf", "MAIN").replace(dir + "/bad_lib.qf", "LIB"));
    }

    private static Path resource(String name) {
        try {
            return Path.of(SpecLanguageTest.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
