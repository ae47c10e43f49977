package dev.qforge.fpga;

import dev.qforge.dsl.Design;
import dev.qforge.generators.BlockInfo;
import dev.qforge.generators.ModuleBlockInfo;
import dev.qforge.generators.report.Estimator;
import dev.qforge.generators.report.Report;
import dev.qforge.generators.report.Target;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.lib.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimate-only report: deterministic files, a JSON round trip, and the text pinned by a snapshot. */
class ReportTest {
    private static final GemmEngineBlock SMALL = new GemmEngineBlock("gemm_ws_2x2", SystolicConfig.int8(2, 2, 8, 8, 8, false));

    private static Report estimate(BlockInfo info) {
        return ReportBuilder.build(info, Design.elaborate(info.top()), false);
    }

    @Test
    void sameDesignGivesByteIdenticalFiles(@TempDir Path tmp) throws IOException {
        estimate(SMALL).writeTo(tmp.resolve("a"));
        estimate(SMALL).writeTo(tmp.resolve("b"));
        for (String f : new String[] {"report.json", "report.txt", "report.html"}) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)), Files.readAllBytes(tmp.resolve("b").resolve(f)), f);
        }
        String json = Files.readString(tmp.resolve("a").resolve("report.json"));
        assertTrue(json.startsWith("{\n  \"schema\" : \"qforge-report/1\",\n  \"design\" : \"gemm_ws_2x2\""), json);
        assertFalse(json.contains(tmp.toString()), "no absolute paths in the report");
    }

    @Test
    void jsonRoundTrips(@TempDir Path tmp) {
        Report r = estimate(new GemmEngineBlock("gemm_os_3x4", SystolicConfig.int8Os(3, 4, 8, 8, 8).withTypes(4, true, 4)));
        r.writeTo(tmp);
        Report back = Report.read(tmp.resolve("report.json"));
        assertEquals(r, back);
        assertEquals(r.toJson(), back.toJson());
    }

    @Test
    void readRefusesAnotherSchema(@TempDir Path tmp) throws IOException {
        estimate(SMALL).writeTo(tmp);
        Path json = tmp.resolve("report.json");
        Files.writeString(json, Files.readString(json).replace("qforge-report/1", "qforge-report/99"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Report.read(json));
        assertTrue(e.getMessage().contains("qforge-report/99"), e.getMessage());
    }

    @Test
    void estimateOnlyReportStatesThatNothingWasSynthesized() {
        Report r = estimate(SMALL);
        Map<Target, Estimator.TargetEstimate> estimates = Estimator.estimate(Design.elaborate(SMALL.top()));
        for (Report.TargetReport t : r.targets()) {
            assertEquals(Report.ESTIMATE_ONLY, t.synthesis());
            assertNull(t.total().synthesized());
            assertNull(t.timing().placeAndRoute());
            assertEquals("estimated Fmax", t.throughput().clockSource());
            Target target = Target.valueOf(t.target().toUpperCase(Locale.ROOT));
            assertEquals(estimates.get(target).total().toMap(target), t.total().estimate(), t.target());
            // one 8 x 8 multiplier per PE, in a DSP wherever the family has them
            assertEquals(target == Target.HX8K ? 0L : 4L, t.total().estimate().get("DSP"), t.target());
        }
    }

    @Test
    void aPlainModuleWithoutCycleModelGetsAReportToo(@TempDir Path tmp) {
        Counter counter = new Counter(8);
        BlockInfo info = new ModuleBlockInfo("counter", counter, Map.of("width", "8"));
        Report r = ReportBuilder.build(info, Design.elaborate(counter), false);
        assertTrue(r.toText().contains("None: this block has no cycle model"), r.toText());
        r.writeTo(tmp);
        assertEquals(r, Report.read(tmp.resolve("report.json")));
    }

    @Test
    void textReportMatchesTheSnapshot() throws IOException {
        String text = estimate(SMALL).toText();
        Path snapshot = Path.of("src/test/resources/snapshots/report-gemm-ws-2x2.txt");
        if (Boolean.getBoolean("qforge.updateSnapshots")) {
            Files.createDirectories(snapshot.getParent());
            Files.writeString(snapshot, text, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(snapshot, StandardCharsets.UTF_8), text,
                "text report changed; if intended, rerun with -Dqforge.updateSnapshots=true and review the diff");
    }
}
