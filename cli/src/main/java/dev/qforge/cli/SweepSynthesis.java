package dev.qforge.cli;

import dev.qforge.dsl.Design;
import dev.qforge.fpga.ReportBuilder;
import dev.qforge.generators.BlockInfo;
import dev.qforge.generators.report.Report;
import dev.qforge.generators.sweep.Pareto;
import dev.qforge.generators.sweep.PointEvaluator;
import dev.qforge.generators.sweep.PointResult;
import dev.qforge.generators.sweep.Sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code --synth front|all} of a sweep: the chosen points synthesized with Yosys (and placed and
 * routed with nextpnr-ice40 for the iCE40 targets) through the same cached flow as
 * {@code qforge generate --synth}. Each point's {@code points/<id>/report.*} then shows estimate
 * against synthesis, and {@value #FILE} lists every figure of every synthesized point: one row
 * per point, target and figure, sorted, so reruns and merges give the same bytes. Runs after the
 * estimates, on the whole result set (fronts need every point), so not on a single chunk.
 */
final class SweepSynthesis {
    static final String FILE = "synthesis.csv";
    static final List<String> MODES = List.of("front", "all");

    private SweepSynthesis() { }

    /** The ids {@code mode} selects: those on some Pareto front, or every point that was estimated. */
    static Set<String> select(List<PointResult> results, String mode) {
        Set<String> ids = new TreeSet<>();
        if (mode.equals("all")) {
            results.stream().filter(PointResult::ok).forEach(r -> ids.add(r.id()));
        } else {
            Pareto.all(results).forEach(f -> f.front().forEach(r -> ids.add(r.id())));
        }
        return ids;
    }

    /** Synthesizes the points of {@code mode} in {@code dir}, writes their reports and {@value #FILE}; returns how many. */
    static int run(Path dir, List<PointResult> results, String mode, Function<String, PointEvaluator> evaluators, Consumer<String> progress) {
        Set<String> ids = select(results, mode);
        StringBuilder csv = new StringBuilder("id,target,figure,estimate,synthesized\n");
        int n = 0;
        for (PointResult r : results) {
            if (!ids.contains(r.id())) {
                continue;
            }
            BlockInfo block = evaluators.apply(r.generator()).block(r.options());
            Report report = ReportBuilder.build(block, Design.elaborate(block.top()), true);
            report.writeTo(dir.resolve(Sweep.POINTS).resolve(r.id()));
            rows(csv, r.id(), report);
            progress.accept(String.format(Locale.ROOT, "synthesized %d/%d: %s", ++n, ids.size(), r.id()));
        }
        try {
            Files.writeString(dir.resolve(FILE), csv.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
        return n;
    }

    /** Every resource of every target (estimate, synthesized count), then the estimated and the place-and-route Fmax. */
    private static void rows(StringBuilder csv, String id, Report report) {
        for (Report.TargetReport t : report.targets()) {
            Map<String, Long> synthesized = t.total().synthesized();
            for (Map.Entry<String, Long> e : t.total().estimate().entrySet()) {
                Long s = synthesized == null ? null : synthesized.get(e.getKey());
                csv.append(id).append(',').append(t.target()).append(',').append(e.getKey()).append(',').append(e.getValue()).append(',')
                        .append(s == null ? "" : s.toString()).append('\n');
            }
            Report.PlaceAndRoute pnr = t.timing().placeAndRoute();
            Double routed = pnr == null ? null : pnr.fmaxMhz();
            csv.append(id).append(',').append(t.target()).append(",fmax_mhz,").append(number(t.timing().fmaxMhz())).append(',')
                    .append(number(routed)).append('\n');
        }
    }

    private static String number(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.1f", v);
    }
}
