package dev.qforge.generators.sweep;

import dev.qforge.generators.report.Resource;
import dev.qforge.generators.report.Target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sweep's results files: {@code results.jsonl} (one {@link PointResult} a line) and
 * {@code results.csv} (the same figures as a table). During a run lines are appended as points
 * complete; at the end both are rewritten sorted by point id, so a local run and the merge of
 * its chunks give byte-identical files.
 */
public final class Results {
    public static final String JSONL = "results.jsonl";
    public static final String CSV = "results.csv";

    private Results() { }

    /**
     * The results in {@code dir}'s {@value #JSONL}, the last line of each point winning (a rerun
     * failed point replaces its failure), sorted by id; none when the file is absent. A last line
     * cut short (a run killed while writing it) is ignored; a bad line elsewhere is an error
     * naming file and line.
     */
    public static List<PointResult> read(Path dir) {
        Path file = dir.resolve(JSONL);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, PointResult> byId = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                PointResult r = PointResult.parse(lines.get(i));
                byId.put(r.id(), r);
            } catch (IllegalArgumentException e) {
                if (i < lines.size() - 1) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
                }
            }
        }
        return List.copyOf(byId.values());
    }

    /** Rewrites {@code dir}'s {@value #JSONL} and {@value #CSV} with {@code results} sorted by id, each file replaced at once. */
    public static void write(Path dir, Collection<PointResult> results) {
        List<PointResult> sorted = new ArrayList<>(results);
        sorted.sort(java.util.Comparator.comparing(PointResult::id));
        StringBuilder json = new StringBuilder();
        StringBuilder csv = new StringBuilder();
        for (PointResult r : sorted) {
            json.append(r.toJson()).append('\n');
            if (csv.isEmpty()) {
                csv.append(csvHeader(r)).append('\n');
            }
            csv.append(csvRow(r)).append('\n');
        }
        replace(dir.resolve(JSONL), json.toString());
        replace(dir.resolve(CSV), csv.toString());
    }

    private static void replace(Path file, String text) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The CSV header for results of {@code sample}'s generator: id, status, its options, the figures per target, error. */
    static String csvHeader(PointResult sample) {
        List<String> cols = new ArrayList<>(List.of("id", "status"));
        cols.addAll(sample.options().keySet());
        cols.addAll(List.of("workload", "latency_cycles", "initiation_interval", "macs_per_cycle"));
        for (Target t : Target.values()) {
            for (Resource r : t.resources()) {
                cols.add(t.id() + "_" + r.name());
            }
            cols.addAll(List.of(t.id() + "_fmax_mhz", t.id() + "_gops", t.id() + "_latency_us", t.id() + "_tokens_per_s", t.id() + "_does_not_fit"));
        }
        cols.add("error");
        return String.join(",", cols);
    }

    static String csvRow(PointResult r) {
        List<String> cells = new ArrayList<>(List.of(r.id(), r.status()));
        cells.addAll(r.options().values());
        cells.addAll(List.of(text(r.workload()), text(r.latencyCycles()), text(r.initiationInterval()), text(r.macsPerCycle())));
        for (Target t : Target.values()) {
            PointResult.TargetFigures f = r.targets() == null ? null : r.targets().get(t.id());
            for (Resource res : t.resources()) {
                cells.add(f == null ? "" : text(f.resources().get(res.name())));
            }
            cells.addAll(f == null ? List.of("", "", "", "", "")
                    : List.of(text(f.fmaxMhz()), text(f.gops()), text(f.latencyUs()), text(f.tokensPerS()), text(f.doesNotFit())));
        }
        cells.add(text(r.error()));
        return String.join(",", cells.stream().map(Results::quoted).toList());
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    /** RFC 4180: a cell with a comma, quote or line end is quoted, its quotes doubled. */
    private static String quoted(String cell) {
        return cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")
                ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }
}
