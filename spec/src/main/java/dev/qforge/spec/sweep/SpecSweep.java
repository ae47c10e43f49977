package dev.qforge.spec.sweep;

import dev.qforge.generators.BlockInfo;
import dev.qforge.generators.report.Estimator;
import dev.qforge.generators.report.Report;
import dev.qforge.generators.sweep.Grid;
import dev.qforge.generators.sweep.PointEvaluator;
import dev.qforge.generators.sweep.PointResult;
import dev.qforge.spec.check.CheckedSpec;
import dev.qforge.spec.check.Checker;
import dev.qforge.spec.compose.ComposedBlock;
import dev.qforge.spec.diag.Diagnostics;
import dev.qforge.spec.diag.SpecException;
import dev.qforge.spec.parse.SpecReader;
import dev.qforge.spec.workload.WorkloadResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A sweep over a spec's ranges: each point is the spec with every range bound to one of its
 * values, checked as {@code qforge check} checks it, its composed design estimated on every
 * target and its workloads timed by the blocks' cycle models. A point whose values make the spec
 * invalid fails with the spec's diagnostics; the file is read once and shared by the points.
 */
public final class SpecSweep implements PointEvaluator {
    /** Results name a spec sweep's points {@code spec:FILE}, FILE as the command line gave it. */
    public static final String PREFIX = "spec:";

    private final String name;
    private final List<SpecReader.Parsed> files;
    private final Map<String, List<String>> ranges;

    private SpecSweep(String name, List<SpecReader.Parsed> files, Map<String, List<String>> ranges) {
        this.name = name;
        this.files = files;
        this.ranges = ranges;
    }

    /** The sweep of {@code file}; a SpecException when it does not parse, or a constant or range has a mistake, or it has no range. */
    public static SpecSweep of(Path file) throws IOException {
        Diagnostics diag = new Diagnostics();
        List<SpecReader.Parsed> files = SpecReader.read(file, diag);
        diag.throwIfAny();
        Map<String, List<String>> ranges = new LinkedHashMap<>();
        Checker.ranges(files, diag).forEach((n, values) -> ranges.put(n, values.stream().map(String::valueOf)
                .collect(Collectors.collectingAndThen(Collectors.toCollection(LinkedHashSet::new), List::copyOf))));
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException(file + " has no sweep range (such as `rows in [4, 8, 16];`): check or build it instead");
        }
        SpecSweep s = new SpecSweep(PREFIX + file.normalize().toString().replace('\\', '/'), files, ranges);
        if (s.size() > Grid.MAX_POINTS) {
            throw new IllegalArgumentException("the ranges of " + file + " make " + s.size() + " points, more than the " + Grid.MAX_POINTS
                    + " a sweep takes; narrow a range");
        }
        return s;
    }

    /** The spec file a result's {@code generator} names, or null when it names a generator. */
    public static Path file(String generator) {
        return generator.startsWith(PREFIX) ? Path.of(generator.substring(PREFIX.length())) : null;
    }

    @Override
    public String name() { return name; }

    /** Each range's distinct values, in spec order. */
    public Map<String, List<String>> ranges() { return ranges; }

    public long size() {
        return ranges.values().stream().mapToLong(List::size).reduce(1, (a, b) -> a * b);
    }

    /** Every point (the last range varying fastest), its id from the file name and its values. */
    public List<Grid.Point> points() {
        List<Grid.Point> points = new ArrayList<>();
        for (Map<String, String> values : Grid.combinations(ranges)) {
            points.add(new Grid.Point(Grid.id(name, values), values));
        }
        return points;
    }

    @Override
    public PointResult evaluate(Grid.Point point) {
        CheckedSpec spec = check(point.options());
        return PointResult.of(point, name, report(spec), spec.workloads().stream().mapToLong(WorkloadResult::tokens).sum());
    }

    @Override
    public Report report(Map<String, String> options) {
        return report(check(options));
    }

    private CheckedSpec check(Map<String, String> options) {
        Map<String, Long> binding = new LinkedHashMap<>();
        options.forEach((k, v) -> binding.put(k, Long.parseLong(v)));
        try {
            return Checker.checkPoint(files, new Diagnostics(), binding);
        } catch (SpecException e) {
            throw new IllegalArgumentException(e.getMessage().stripTrailing(), e);
        }
    }

    @Override
    public BlockInfo block(Map<String, String> options) {
        return new ComposedBlock(check(options));
    }

    /** The composed design's report, its cycle model being the spec's workloads one after another. */
    private static Report report(CheckedSpec spec) {
        return Report.of(new ComposedBlock(spec), spec.design(), Estimator.estimate(spec.design()), Map.of());
    }
}
