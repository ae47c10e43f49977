package dev.qforge.generators.sweep;

import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.Registry;
import dev.qforge.generators.report.Report;
import dev.qforge.generators.report.html.ReportHtml;
import dev.qforge.generators.report.html.SweepHtml;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local runner on a small grid with points that cannot be built (bias with requantization):
 * failures recorded and isolated, results as the points' own reports say, resume, and chunks
 * merged into byte-identical files.
 */
class SweepTest {
    private static final Generator SYSTOLIC = Registry.named("systolic");
    /** 16 points, 4 of them invalid (bias with requant). */
    private static final Grid GRID = new Grid(SYSTOLIC, Map.of("rows", List.of("1", "2"), "cols", List.of("1", "3"),
            "bias", List.of("false", "true"), "requant", List.of("none", "tflite")));

    @TempDir
    static Path tmp;
    static Path local;
    static Sweep.Summary first;

    @BeforeAll
    static void runLocally() {
        local = tmp.resolve("local");
        first = Sweep.run(SYSTOLIC, GRID.points(), local, 2, true, line -> { });
    }

    @Test
    void everyPointIsRecordedAndFailuresDoNotStopTheOthers() {
        assertEquals(new Sweep.Summary(16, 0, 16, 4, first.seconds(), first.cpuSeconds()), first);
        List<PointResult> rs = Results.read(local);
        assertEquals(16, rs.size());
        for (PointResult r : rs) {
            boolean invalid = r.options().get("bias").equals("true") && !r.options().get("requant").equals("none");
            assertEquals(invalid ? PointResult.FAILED : PointResult.OK, r.status(), r.toString());
            if (invalid) {
                assertEquals("bias cannot be combined with requant: the quant beat carries the bias", r.error());
            }
        }
        List<String> ids = rs.stream().map(PointResult::id).toList();
        assertEquals(ids.stream().sorted().toList(), ids, "sorted by id");
    }

    @Test
    void aPointsFiguresAreThoseOfItsReport() {
        for (PointResult r : Results.read(local)) {
            if (!r.ok()) {
                continue;
            }
            Report report = Sweep.report(SYSTOLIC, r.options());
            assertEquals(report.performance().firstInToLastOut(), r.latencyCycles());
            for (Report.TargetReport t : report.targets()) {
                PointResult.TargetFigures f = r.targets().get(t.target());
                assertEquals(t.total().estimate(), f.resources(), t.target());
                assertEquals(t.timing().fmaxMhz(), f.fmaxMhz());
                assertEquals(t.throughput() == null ? null : t.throughput().gops(), f.gops());
            }
        }
    }

    @Test
    void csvHasAHeaderAndARowPerPoint() throws IOException {
        List<String> csv = Files.readAllLines(local.resolve(Results.CSV));
        assertEquals(17, csv.size());
        assertTrue(csv.get(0).startsWith("id,status,rows,cols,dataflow,act,weight,group,scale,scale-min-exp,scale-max-exp,result,bias,packed,requant,max-m,"), csv.get(0));
        assertTrue(csv.get(0).endsWith(",hx8k_fmax_mhz,hx8k_gops,hx8k_latency_us,hx8k_tokens_per_s,hx8k_does_not_fit,error"), csv.get(0));
        int columns = csv.get(0).split(",", -1).length;
        assertTrue(csv.stream().skip(1).allMatch(l -> l.replaceAll("\"[^\"]*\"", "q").split(",", -1).length == columns));
    }

    @Test
    void aRerunSkipsDonePointsRetriesFailuresAndSurvivesACutLine(@TempDir Path dir) throws IOException {
        Path d = dir.resolve("resume");
        List<Grid.Point> half = GRID.points().subList(0, 8);
        Sweep.Summary s1 = Sweep.run(SYSTOLIC, half, d, 1, false, line -> { });
        assertEquals(8, s1.computed());
        Files.writeString(d.resolve(Results.JSONL), "{\"id\":\"cut sh", java.nio.file.StandardOpenOption.APPEND); // killed mid-line
        Sweep.Summary s2 = Sweep.run(SYSTOLIC, GRID.points(), d, 2, true, line -> { });
        int failedInHalf = (int) Results.read(d).stream().filter(r -> !r.ok() && half.stream().anyMatch(p -> p.id().equals(r.id()))).count();
        assertEquals(8 - failedInHalf, s2.skipped());
        assertEquals(8 + failedInHalf, s2.computed());
        assertArrayEquals(Files.readAllBytes(local.resolve(Results.JSONL)), Files.readAllBytes(d.resolve(Results.JSONL)));
        assertArrayEquals(Files.readAllBytes(local.resolve(Results.CSV)), Files.readAllBytes(d.resolve(Results.CSV)));
    }

    @Test
    void chunksMergedAreByteIdenticalToTheLocalRun(@TempDir Path dir) throws IOException {
        List<Path> chunks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path c = dir.resolve("chunks").resolve(Integer.toString(i));
            Sweep.run(SYSTOLIC, GRID.chunk(i, 3), c, 1, false, line -> { });
            assertTrue(Files.notExists(c.resolve(SweepHtml.FILE)), "a chunk writes no page");
            chunks.add(c);
        }
        Path merged = dir.resolve("merged");
        Sweep.merge(chunks, merged);
        for (String f : List.of(Results.JSONL, Results.CSV, SweepHtml.FILE)) {
            assertArrayEquals(Files.readAllBytes(local.resolve(f)), Files.readAllBytes(merged.resolve(f)), f);
        }
    }

    @Test
    void frontPointsGetReportsTheSweepPageLinks() throws IOException {
        String html = Files.readString(local.resolve(SweepHtml.FILE));
        List<String> linked = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("href=\"points/([0-9a-f]{12})/report.html\"").matcher(html);
        while (m.find()) {
            linked.add(m.group(1));
        }
        assertTrue(!linked.isEmpty(), "front points are linked");
        for (String id : linked) {
            Path dir = local.resolve(Sweep.POINTS).resolve(id);
            assertTrue(Files.exists(dir.resolve(ReportHtml.FILE)) && Files.exists(dir.resolve(Report.JSON_FILE)), id);
        }
        for (Pareto.Front f : Pareto.all(Results.read(local))) {
            for (PointResult r : f.front()) {
                assertTrue(linked.contains(r.id()), "front point " + r.id() + " of " + f.target() + " " + f.objective());
            }
        }
        assertTrue(html.contains("<h2>Failed points</h2>"));
        assertEquals(4, html.split("the quant beat carries the bias</td>", -1).length - 1, "each failed point listed with its error");
    }
}
