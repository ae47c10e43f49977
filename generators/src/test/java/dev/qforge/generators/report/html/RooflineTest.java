package dev.qforge.generators.report.html;

import dev.qforge.generators.MemoryTraffic;
import dev.qforge.generators.registry.Registry;
import dev.qforge.generators.report.Report;
import dev.qforge.generators.sweep.Sweep;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every block that states its memory traffic gets a roofline, not only GEMM engines; the bytes counted by hand. */
class RooflineTest {
    @Test
    void aDequantUnitsPointIsItsCodesMetadataAndValues() {
        Report r = Sweep.report(Registry.named("dequant"), Map.of("format", "int4", "group", "32", "scale", "bf16", "out", "bf16"));
        MemoryTraffic t = r.memoryTraffic();
        // 4096 int4 codes = 2048 bytes; 128 groups of 32, a bf16 scale each = 256 bytes; 4096 bf16 values = 8192 bytes
        assertEquals(2048, t.weightBytes());
        assertEquals(256, t.scaleBytes());
        assertEquals(8192, t.resultBytes());
        assertEquals(10496, t.totalBytes());
        assertEquals(0.78, t.opsPerByte());  // 2 x 4096 scale multiplies per 10496 bytes
        String html = ReportHtml.render(r);
        assertTrue(html.contains("roofline at "), "roofline drawn");
        assertTrue(html.contains("<title>4096 codes: 0.780 ops/byte, "), "the workload's point at its intensity");
    }

    @Test
    void aQuantizeUnitsPointIsItsInputsCodesAndScales() {
        Report r = Sweep.report(Registry.named("quantize"), Map.of("format", "mxfp8_e4m3", "input", "fp32"));
        MemoryTraffic t = r.memoryTraffic();
        // 64 blocks of 32 fp32 values = 8192 bytes in; 2048 8-bit codes and 64 E8M0 scales = 2112 bytes out
        assertEquals(8192, t.activationBytes());
        assertEquals(2112, t.resultBytes());
        assertEquals(0, t.opsPerWeightByte());
        assertEquals(0.4, t.opsPerByte());  // 2 x 2048 elements per 10304 bytes
        assertTrue(ReportHtml.render(r).contains("<title>64 blocks of 32: 0.400 ops/byte, "));
    }

    @Test
    void anAttentionEnginesCacheStaysOnChip() {
        Report r = Sweep.report(Registry.named("attention"), Map.of("head-dim", "64", "max-seq", "256", "heads", "2"));
        MemoryTraffic t = r.memoryTraffic();
        // q of 2 heads, k and v: 4 x 64 bytes in; o of 2 heads: 128 bytes out; 2 x 256 rows x 64 x 2 heads MACs (Q.K^T and P.V)
        assertEquals(256, t.activationBytes());
        assertEquals(128, t.resultBytes());
        assertEquals(0, t.weightBytes());
        assertEquals(341.33, t.opsPerByte());  // 2 x 65536 MACs / 384 bytes
        assertTrue(ReportHtml.render(r).contains("<title>decode step over 256 cached rows: 341 ops/byte, "));
    }
}
