package dev.qforge.cli;

import dev.qforge.generators.report.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code qforge sweep --synth front}: every front point (the points whose reports the sweep links)
 * is synthesized, its report shows the synthesized figures, and synthesis.csv holds exactly those
 * figures, the same bytes on a rerun. Needs Yosys and nextpnr-ice40, as {@code ./qforge test} installs.
 */
class SweepSynthesisTest {
    private static final String[] GRID = {"sweep", "systolic", "--rows", "1,2", "--cols", "1", "--weight", "int2", "--max-m", "4", "--max-k", "4",
        "--max-n", "4"};

    @Test
    void frontPointsAreSynthesizedAndListed(@TempDir Path dir) throws Exception {
        String[] r = Cli.run(args(dir, "--synth", "front"));
        assertEquals("0", r[0], r[2]);
        Set<String> front = new TreeSet<>();
        try (Stream<Path> points = Files.list(dir.resolve("points"))) {
            points.forEach(p -> front.add(p.getFileName().toString()));
        }
        assertFalse(front.isEmpty());
        assertTrue(r[1].contains("sweep synthesis: " + front.size() + " points synthesized (front); "), r[1]);

        List<String> csv = Files.readAllLines(dir.resolve("synthesis.csv"));
        assertEquals("id,target,figure,estimate,synthesized", csv.get(0));
        Set<String> listed = new TreeSet<>();
        int checked = 0;
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",", -1);
            listed.add(f[0]);
            Report report = Report.read(dir.resolve("points").resolve(f[0]).resolve("report.json"));
            Report.TargetReport t = report.targets().stream().filter(x -> x.target().equals(f[1])).findFirst().orElseThrow();
            if (f[2].equals("fmax_mhz")) {
                Report.PlaceAndRoute pnr = t.timing().placeAndRoute();
                if (f[1].equals("hx8k")) {
                    // these engines fit the HX8K's pins (not the UP5K's 39): each has a placed-and-routed Fmax
                    assertEquals(Report.PlaceAndRoute.FITS, pnr.status(), line);
                    assertNotNull(pnr.fmaxMhz(), line);
                }
                assertEquals(pnr == null || pnr.fmaxMhz() == null ? "" : String.format(java.util.Locale.ROOT, "%.1f", pnr.fmaxMhz()), f[4], line);
            } else {
                Map<String, Long> synthesized = t.total().synthesized();
                assertNotNull(synthesized, "target " + f[1] + " of " + f[0] + " was not synthesized: " + t.synthesis());
                assertEquals(String.valueOf(t.total().estimate().get(f[2])), f[3], line);
                Long count = synthesized.get(f[2]); // a figure synthesis has no counterpart for (iCE40 LC) stays empty
                assertEquals(count == null ? "" : String.valueOf(count), f[4], line);
                checked += count == null ? 0 : 1;
            }
        }
        assertEquals(front, listed, "synthesis.csv lists exactly the front points");
        assertTrue(checked >= front.size() * 4, "every target's resources of every front point: " + checked);

        byte[] first = Files.readAllBytes(dir.resolve("synthesis.csv"));
        assertEquals("0", Cli.run(args(dir, "--synth", "front"))[0]);
        assertEquals(new String(first), Files.readString(dir.resolve("synthesis.csv")), "a rerun writes the same bytes");
    }

    @Test
    void synthIsRefusedOnAChunkAndNamesItsValues(@TempDir Path dir) {
        assertEquals("qforge sweep: --synth needs every point (the fronts are over all of them): give it to the whole sweep, "
                + "or to `qforge sweep merge` of the chunks", Cli.error(args(dir, "--synth", "front", "--chunk", "0/2")));
        assertEquals("qforge sweep: --synth takes front or all, got 'pareto'", Cli.error(args(dir, "--synth", "pareto")));
        assertEquals("qforge sweep merge: --synth takes front or all, got 'some'", Cli.error("sweep", "merge", "a", "-o", "b", "--synth", "some"));
    }

    private static String[] args(Path dir, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of(GRID));
        a.add("-o");
        a.add(dir.toString());
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }
}
