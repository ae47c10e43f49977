package dev.qforge.testbenches.report;

import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.Registry;
import dev.qforge.generators.report.Report;
import dev.qforge.generators.report.html.ReportHtml;
import dev.qforge.generators.report.html.SweepHtml;
import dev.qforge.generators.sweep.Grid;
import dev.qforge.generators.sweep.Pareto;
import dev.qforge.generators.sweep.PointResult;
import dev.qforge.generators.sweep.Results;
import dev.qforge.generators.sweep.Sweep;
import dev.qforge.testbenches.process.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * report.html and sweep.html (generators' pages) as headless Chromium reads them (Debian's chromium,
 * which scripts/setup-tools.sh installs): the DOM it builds holds the plots, their points with hover
 * titles and the links, and nothing is fetched from the network (the pages have no external URL).
 * Here, beside the process driver, so Chromium runs as every tool does.
 */
class HtmlPagesRenderTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /**
     * The DOM Chromium builds from {@code page}: --dump-dom, background networking off, a fresh
     * profile. Run by {@link Processes#run}, so a Chromium that hangs, an interrupted test and a
     * killed JVM leave no browser process behind (its helpers included).
     */
    private static String dom(Path page, Path profile) throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed at " + CHROMIUM + " (scripts/setup-tools.sh installs it)");
        Path dom = page.resolveSibling(page.getFileName() + ".dom");
        ProcessBuilder chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--user-data-dir=" + profile, "--dump-dom", page.toUri().toString())
                .redirectOutput(dom.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        assertEquals(0, Processes.run(chromium, Duration.ofSeconds(120), "chromium"), "chromium exit code");
        return Files.readString(dom, StandardCharsets.UTF_8);
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static void selfContained(String html) {
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "nothing fetched from the network");
        assertFalse(html.contains("<script"), "no scripts");
    }

    @Test
    void reportPageShowsBarsTimelineAndRoofline(@TempDir Path dir) throws Exception {
        Report r = Sweep.report(Registry.named("systolic"), Map.of("rows", "4", "cols", "2"));
        r.writeTo(dir);
        String html = Files.readString(dir.resolve(ReportHtml.FILE));
        selfContained(html);
        String dom = dom(dir.resolve(ReportHtml.FILE), dir.resolve("profile"));
        assertTrue(dom.contains("<h1>" + r.design()), "title rendered");
        // per target a bar chart per resource in use, one bar per module
        long charts = r.targets().stream().mapToLong(t -> t.total().estimate().values().stream().filter(v -> v > 0).count()).sum();
        assertEquals(charts, count(dom, "<svg class=\"bars\""));
        assertEquals(charts * r.targets().get(0).modules().size(), count(dom, "class=\"bar\""));
        assertEquals(1, count(dom, "<svg class=\"timeline\""));
        assertEquals(4, count(dom, "class=\"span[01]\""), "two workloads, in and out");
        assertTrue(dom.contains("roofline at "), "roofline drawn");
        assertEquals(1, count(dom, "<polyline [^>]*class=\"roof\""));
        assertEquals(1, count(dom, "<circle [^>]*class=\"dot on\"><title>GEMM M=256 K=256 N=256: "), "the design's point on it");
    }

    @Test
    void sweepPagePlotsEveryPointWithHoverAndLinksTheFront(@TempDir Path dir) throws Exception {
        Generator g = Registry.named("systolic");
        Grid grid = new Grid(g, Map.of("rows", List.of("1", "2", "4"), "cols", List.of("2", "4"), "weight", List.of("int8", "int2")));
        Sweep.run(g, grid.points(), dir, 2, true, line -> { });
        String html = Files.readString(dir.resolve(SweepHtml.FILE));
        selfContained(html);
        String dom = dom(dir.resolve(SweepHtml.FILE), dir.resolve("profile"));
        List<PointResult> rs = Results.read(dir);
        List<Pareto.Front> fronts = Pareto.all(rs);
        long plots = fronts.stream().filter(f -> !f.candidates().isEmpty()).count();
        assertEquals(plots, count(dom, "<svg class=\"plot\""));
        int dots = fronts.stream().mapToInt(f -> f.candidates().size()).sum();
        assertEquals(dots, count(dom, "<circle [^>]*><title>[0-9a-f]{12}: rows="), "every candidate plotted, each with a hover title");
        int onFront = fronts.stream().mapToInt(f -> f.front().size()).sum();
        assertEquals(onFront, count(dom, "<a href=\"points/[0-9a-f]{12}/report.html\"><circle [^>]*class=\"dot on\""), "front points link");
        for (Pareto.Front f : fronts) {
            for (PointResult r : f.front()) {
                assertTrue(Files.exists(dir.resolve("points").resolve(r.id()).resolve(ReportHtml.FILE)), "linked report of " + r.id());
            }
        }
        assertEquals(fronts.stream().filter(f -> !f.front().isEmpty()).count(), count(dom, "<h3>[^<]*: front of \\d+ of \\d+ points</h3>"),
                "a table per front");
    }
}
