package dev.qforge.generators.sweep;

import dev.qforge.dsl.Design;
import dev.qforge.generators.BlockInfo;
import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.Registry;
import dev.qforge.generators.report.Estimator;
import dev.qforge.generators.report.Report;
import dev.qforge.generators.report.html.SweepHtml;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a sweep on this machine: each point built from its options, elaborated and estimated (no
 * RTL written), on {@code threads} worker threads; each result appended to the results files as
 * it completes, so a killed run loses only the points in flight. A rerun skips the points already
 * done (failed ones are tried again). A point that fails is recorded with its error; the others
 * go on. At the end the results files are rewritten sorted ({@link Results}), and, unless only a
 * chunk ran, {@value SweepHtml#FILE} and a report of every Pareto-front point are written.
 */
public final class Sweep {
    /** Where the front points' reports go: {@code points/<id>/report.html} and its report.json. */
    public static final String POINTS = "points";

    private Sweep() { }

    /**
     * What a run did: points, how many were done before, estimated now and failed, the wall-clock
     * seconds and the CPU seconds the workers spent on points (on a shared machine the wall-clock
     * rate says more about the neighbours than about qforge).
     */
    public record Summary(int points, int skipped, int computed, int failed, double seconds, double cpuSeconds) {
        public double rate() {
            return seconds > 0 ? computed / seconds : 0;
        }

        /** Points per CPU second: the rate of one idle core. */
        public double ratePerCpu() {
            return cpuSeconds > 0 ? computed / cpuSeconds : 0;
        }
    }

    /**
     * Runs {@code points} of {@code generator} into {@code dir}; {@code progress} receives a line
     * (done/total, rate, time left) at most every half second and at the end. With {@code finish}
     * it also writes the sweep page and the front points' reports.
     */
    public static Summary run(Generator generator, List<Grid.Point> points, Path dir, int threads, boolean finish, Consumer<String> progress) {
        return run(PointEvaluator.of(generator), points, dir, threads, finish, progress);
    }

    /** {@link #run(Generator, List, Path, int, boolean, Consumer)} of any evaluator's points (a spec's ranges). */
    public static Summary run(PointEvaluator evaluator, List<Grid.Point> points, Path dir, int threads, boolean finish, Consumer<String> progress) {
        long t0 = System.nanoTime();
        createDirectories(dir);
        Map<String, PointResult> done = new LinkedHashMap<>();
        List<PointResult> before = Results.read(dir);
        for (PointResult r : before) {
            done.put(r.id(), r);
        }
        Results.write(dir, before); // a line cut short by a killed run goes, so appending starts on a fresh line
        List<Grid.Point> todo = points.stream().filter(p -> done.get(p.id()) == null || !done.get(p.id()).ok()).toList();
        int skipped = points.size() - todo.size();
        Progress meter = new Progress(points.size(), skipped, progress);
        int[] failed = {0};
        long[] cpuNanos = {0};
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        try (BufferedWriter jsonl = append(dir.resolve(Results.JSONL)); BufferedWriter csv = append(dir.resolve(Results.CSV))) {
            boolean csvHeader = Files.size(dir.resolve(Results.CSV)) == 0;
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
                Thread t = new Thread(r, "qforge-sweep");
                t.setDaemon(true);
                return t;
            });
            Object lock = new Object();
            boolean[] headerDue = {csvHeader};
            List<IOException> writeErrors = new ArrayList<>();
            for (Grid.Point p : todo) {
                pool.execute(() -> {
                    long c0 = cpu.getCurrentThreadCpuTime();
                    PointResult r = evaluate(evaluator, p);
                    long spent = cpu.getCurrentThreadCpuTime() - c0;
                    synchronized (lock) {
                        cpuNanos[0] += spent;
                        try {
                            jsonl.write(r.toJson());
                            jsonl.write('\n');
                            jsonl.flush();
                            if (headerDue[0]) {
                                csv.write(Results.csvHeader(r) + "\n");
                                headerDue[0] = false;
                            }
                            csv.write(Results.csvRow(r) + "\n");
                            csv.flush();
                        } catch (IOException e) {
                            writeErrors.add(e);
                        }
                        done.put(r.id(), r);
                        if (!r.ok()) {
                            failed[0]++;
                        }
                        meter.completed();
                    }
                });
            }
            pool.shutdown();
            awaitAll(pool);
            if (!writeErrors.isEmpty()) {
                throw new UncheckedIOException("cannot append to the results in " + dir + ": " + writeErrors.get(0).getMessage(), writeErrors.get(0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results in " + dir + ": " + e.getMessage(), e);
        }
        meter.end();
        List<PointResult> all = Results.read(dir);
        Results.write(dir, all);
        if (finish) {
            writePages(dir, all, name -> evaluator);
        }
        return new Summary(points.size(), skipped, todo.size(), failed[0], (System.nanoTime() - t0) / 1e9, cpuNanos[0] / 1e9);
    }

    /** One point's result: its report's figures, or its error; never throws. */
    static PointResult evaluate(PointEvaluator evaluator, Grid.Point p) {
        try {
            return evaluator.evaluate(p);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            return PointResult.failed(p, evaluator.name(), e instanceof IllegalArgumentException ? message
                    : e.getClass().getSimpleName() + ": " + message);
        }
    }

    /** The estimate-only report of the point with {@code options}: elaborated, not emitted. */
    public static Report report(Generator generator, Map<String, String> options) {
        return report(generator.buildResolved(options));
    }

    /** The estimate-only report of {@code block}. */
    public static Report report(BlockInfo block) {
        Design design = Design.elaborate(block.top());
        return Report.of(block, design, Estimator.estimate(design), Map.of());
    }

    /**
     * Merges the results of {@code chunkDirs} into {@code out} (the last one wins for a point in
     * several) and writes the sweep page and the front reports there: the same files a local run
     * of all points writes.
     */
    public static List<PointResult> merge(List<Path> chunkDirs, Path out) {
        return merge(chunkDirs, out, name -> PointEvaluator.of(Registry.named(name)));
    }

    /** {@link #merge(List, Path)} with the evaluator of each result's {@code generator} name given by {@code evaluators}. */
    public static List<PointResult> merge(List<Path> chunkDirs, Path out, java.util.function.Function<String, PointEvaluator> evaluators) {
        Map<String, PointResult> byId = new LinkedHashMap<>();
        for (Path d : chunkDirs) {
            if (!Files.isRegularFile(d.resolve(Results.JSONL))) {
                throw new IllegalArgumentException(d + " holds no " + Results.JSONL + " (a chunk's output folder is expected)");
            }
            for (PointResult r : Results.read(d)) {
                byId.put(r.id(), r);
            }
        }
        createDirectories(out);
        List<PointResult> all = new ArrayList<>(byId.values());
        Results.write(out, all);
        List<PointResult> sorted = Results.read(out);
        writePages(out, sorted, evaluators);
        return sorted;
    }

    /** {@value SweepHtml#FILE} and, for every point on some front, {@code points/<id>/report.{json,txt,html}}. */
    private static void writePages(Path dir, List<PointResult> results, java.util.function.Function<String, PointEvaluator> evaluators) {
        List<Pareto.Front> fronts = Pareto.all(results);
        Set<String> onFront = new LinkedHashSet<>();
        fronts.forEach(f -> f.front().forEach(r -> onFront.add(r.id())));
        for (PointResult r : results) {
            if (onFront.contains(r.id())) {
                Report report = evaluators.apply(r.generator()).report(r.options());
                report.writeTo(dir.resolve(POINTS).resolve(r.id()));
            }
        }
        try {
            Files.writeString(dir.resolve(SweepHtml.FILE), SweepHtml.render(results, fronts, onFront), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(SweepHtml.FILE) + ": " + e.getMessage(), e);
        }
    }

    private static void awaitAll(ExecutorService pool) {
        try {
            while (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                // a long sweep: keep waiting
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        }
    }

    private static BufferedWriter append(Path file) throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The progress line: "120/500 points, 38.2/s, 10 s left (12 skipped, done before)". */
    private static final class Progress {
        private final int total;
        private final int skipped;
        private final Consumer<String> sink;
        private final long start = System.nanoTime();
        private long lastPrint;
        private int computed;

        Progress(int total, int skipped, Consumer<String> sink) {
            this.total = total;
            this.skipped = skipped;
            this.sink = sink;
        }

        void completed() {
            computed++;
            long now = System.nanoTime();
            if (now - lastPrint > 500_000_000L) {
                lastPrint = now;
                sink.accept(line(now));
            }
        }

        void end() {
            sink.accept(line(System.nanoTime()));
        }

        private String line(long now) {
            double s = (now - start) / 1e9;
            double rate = s > 0 ? computed / s : 0;
            int left = total - skipped - computed;
            String eta = rate > 0 ? String.format(Locale.ROOT, "%.0f s left", left / rate) : "time left unknown";
            return String.format(Locale.ROOT, "%d/%d points, %.1f/s, %s%s", skipped + computed, total, rate, eta,
                    skipped > 0 ? " (" + skipped + " done before)" : "");
        }
    }
}
