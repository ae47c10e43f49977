package dev.qforge.spec.sweep;

import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;
import dev.qforge.generators.sweep.Grid;
import dev.qforge.generators.sweep.PointResult;
import dev.qforge.generators.sweep.Results;
import dev.qforge.generators.sweep.Sweep;
import dev.qforge.generators.report.html.SweepHtml;
import dev.qforge.spec.Spec;
import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.check.Checker;
import dev.qforge.spec.diag.SpecException;
import dev.qforge.spec.workload.WorkloadResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep of examples/sweeps/gemm_sweep.qf (rows and cols each in [4, 8, 16]): the grid, a point's
 * figures against a plain check of the spec with those values written in, the 16 x 16 point's
 * diagnostic, resume, and chunks merged into the local run's files.
 */
class SpecSweepTest {
    static final Path FILE = Path.of("../examples/sweeps/gemm_sweep.qf");
    static final String NAME = "spec:../examples/sweeps/gemm_sweep.qf";

    @TempDir
    static Path tmp;
    static SpecSweep sweep;
    static Path local;

    @BeforeAll
    static void runLocally() throws IOException {
        sweep = SpecSweep.of(FILE);
        local = tmp.resolve("local");
        Sweep.Summary s = Sweep.run(sweep, sweep.points(), local, 2, true, line -> { });
        assertEquals(new Sweep.Summary(9, 0, 9, 1, s.seconds(), s.cpuSeconds()), s);
    }

    @Test
    void thePointsAreEveryCombinationOfTheRangesWithIdsFromFileAndValues() throws IOException {
        assertEquals(Map.of("rows", List.of("4", "8", "16"), "cols", List.of("4", "8", "16")), sweep.ranges());
        List<Grid.Point> points = sweep.points();
        assertEquals(9, points.size());
        List<String> order = new ArrayList<>();
        for (String rows : List.of("4", "8", "16")) {
            for (String cols : List.of("4", "8", "16")) {
                order.add(rows + "x" + cols);
            }
        }
        assertEquals(order, points.stream().map(p -> p.options().get("rows") + "x" + p.options().get("cols")).toList());
        for (Grid.Point p : points) {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("rows", p.options().get("rows"));
            values.put("cols", p.options().get("cols"));
            assertEquals(values, p.options(), "the ranges in spec order");
            assertEquals(Grid.id(NAME, values), p.id());
        }
        assertEquals(points, SpecSweep.of(FILE).points(), "ids are stable from one reading to the next");
        assertEquals(points, SpecSweep.of(Path.of("./../spec/" + FILE)).points(),
                "ids do not depend on how the path is typed (a resumed or chunked run finds the points done)");
    }

    @Test
    void anInvalidPointIsRecordedWithItsDiagnostic() {
        List<PointResult> failed = Results.read(local).stream().filter(r -> !r.ok()).toList();
        assertEquals(1, failed.size());
        assertEquals(Map.of("rows", "16", "cols", "16"), failed.get(0).options());
        assertEquals("../examples/sweeps/gemm_sweep.qf:4:8: error: the design needs 320 DSP slices, xc7z020 has 220 (estimate)\n"
                + " 4 | target xc7z020;\n   |        ^^^^^^^\n1 error", failed.get(0).error());
    }

    /** Each valid point's figures are those a plain check gives the spec with the range lines replaced by the point's values. */
    @Test
    void aPointsFiguresAreThoseOfTheSpecWithItsValuesWrittenIn() throws IOException {
        String text = Files.readString(FILE);
        for (PointResult r : Results.read(local)) {
            if (!r.ok()) {
                continue;
            }
            String fixed = text.replace("rows in [4, 8, 16];", "rows = " + r.options().get("rows") + ";")
                    .replace("cols in [4, 8, 16];", "cols = " + r.options().get("cols") + ";");
            CheckedSpec spec = Spec.check("fixed.qf", fixed, Checker.Mode.BUILD);
            long cycles = spec.workloads().stream().mapToLong(WorkloadResult::cycles).sum();
            assertEquals(cycles, r.latencyCycles(), r.options().toString());
            PointResult.TargetFigures xc7 = r.targets().get(Target.XC7.id());
            for (Resource res : Target.XC7.resources()) {
                assertEquals(spec.estimate().total().get(res), xc7.resources().get(res.name()), res.name());
            }
            assertEquals(spec.estimate().fmaxMhz(), xc7.fmaxMhz(), 0.05);
            double us = cycles / xc7.fmaxMhz();
            assertEquals(us, xc7.latencyUs(), 0.001);
            assertEquals(1e6 / us, xc7.tokensPerS(), 0.1, "one token per pass");
            long macs = spec.workloads().stream().mapToLong(WorkloadResult::macs).sum();
            assertEquals(2.0 * macs / us / 1e3, xc7.gops(), 0.01, "two operations per MAC");
        }
    }

    /** The block --synth synthesizes is the design the point's figures describe. */
    @Test
    void aPointsBlockIsTheDesignOfItsReport() {
        Map<String, String> options = sweep.points().get(4).options();
        assertEquals(Map.of("rows", "8", "cols", "8"), options);
        assertEquals(sweep.report(options).toJson(), Sweep.report(sweep.block(options)).toJson());
    }

    @Test
    void aRerunSkipsDonePointsAndRetriesTheFailedOne() {
        Sweep.Summary s = Sweep.run(sweep, sweep.points(), local, 1, false, line -> { });
        assertEquals(new Sweep.Summary(9, 8, 1, 1, s.seconds(), s.cpuSeconds()), s);
    }

    @Test
    void chunksMergedAreByteIdenticalToTheLocalRun(@TempDir Path dir) throws IOException {
        List<Path> chunks = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path c = dir.resolve(Integer.toString(i));
            Sweep.run(SpecSweep.of(FILE), Grid.chunk(sweep.points(), i, 2), c, 1, false, line -> { });
            chunks.add(c);
        }
        Path merged = dir.resolve("merged");
        Sweep.merge(chunks, merged, name -> sweep);
        for (String f : List.of(Results.JSONL, Results.CSV, SweepHtml.FILE)) {
            assertArrayEquals(Files.readAllBytes(local.resolve(f)), Files.readAllBytes(merged.resolve(f)), f);
        }
        assertTrue(Files.isRegularFile(merged.resolve(Sweep.POINTS).resolve(sweep.points().get(0).id()).resolve("report.html")),
                "the 4 x 4 point (least LUT) is on the front and has its report");
    }

    @Test
    void aSpecWithoutRangesOrWithABadRangeIsRefusedAtOnce(@TempDir Path dir) throws IOException {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> SpecSweep.of(Path.of("../examples/specs/cnn_int8.qf")));
        assertEquals("../examples/specs/cnn_int8.qf has no sweep range (such as `rows in [4, 8, 16];`): check or build it instead", none.getMessage());
        Path bad = dir.resolve("bad.qf");
        Files.writeString(bad, "target xc7z020;\nrows in [4, lanes];\n");
        SpecException e = assertThrows(SpecException.class, () -> SpecSweep.of(bad));
        assertEquals(1, e.diagnostics().size());
        assertEquals(2, e.diagnostics().get(0).at().line());
    }
}
