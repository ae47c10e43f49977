package dev.qforge.cli;

import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Option;
import dev.qforge.generators.registry.Registry;
import dev.qforge.generators.report.html.SweepHtml;
import dev.qforge.generators.sweep.ClusterJobs;
import dev.qforge.generators.sweep.Grid;
import dev.qforge.generators.sweep.Pareto;
import dev.qforge.generators.sweep.PointEvaluator;
import dev.qforge.generators.sweep.PointResult;
import dev.qforge.generators.sweep.Results;
import dev.qforge.generators.sweep.Sweep;
import dev.qforge.spec.diag.SpecException;
import dev.qforge.spec.sweep.SpecSweep;
import org.apache.commons.io.FileUtils;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code qforge sweep GENERATOR --OPTION VALUES ...}: estimates every point of a grid of a
 * generator's options on this machine, or one chunk of it, or writes the Slurm / Kubernetes job
 * that runs the chunks on a cluster; {@code qforge sweep merge} combines chunk folders;
 * {@code qforge bench sweep} measures points per second.
 */
final class SweepCommand {
    static final String HELP = """
              --OPTION VALUES       a generator option's values: 4,8,16 or 4..32 or 4..32:4 (whole numbers), int8,int4 (choices),
                                    true,false (flags; a flag alone is true); options left out keep their defaults
              FILE.qf               instead of a generator: a spec whose ranges (rows in [4, 8, 16];) make the grid; each point is the
                                    spec with every range at one value, checked, estimated and its workloads timed (cycles, tokens/s);
                                    a point the spec's checks refuse is recorded with its diagnostic
              -o DIR                results folder [sweep-out/<generator or spec name>]: results.jsonl, results.csv, sweep.html,
                                    points/<id>/report.html of every Pareto-front point
              --threads T           worker threads [the machine's cores]
              --chunk I/N           estimate only chunk I (0..N-1) of N: every N-th point from the I-th; no sweep.html
              --synth front|all     then synthesize the Pareto-front points (or all) with Yosys, nextpnr-ice40 for iCE40
                                    (cached): their reports show estimate vs synthesis; synthesis.csv lists the figures
              --emit slurm DIR      write DIR/sweep.sbatch, a job array of --chunks tasks (then: sbatch, qforge sweep merge)
              --emit k8s DIR        write DIR/sweep-job.yaml, a Kubernetes Indexed Job of --chunks pods
              --chunks N            chunks of an emitted job [8]
              --force               with --emit: also replace a job file in DIR that qforge did not write, or that changed since
              --image IMAGE         container image of the Kubernetes job, with qforge on its PATH [qforge:latest]
              --claim NAME          persistent volume claim mounted at /sweep in each pod [qforge-sweep]
            A rerun into the same folder skips the points already done; failed points are recorded with their error and tried again.
            Merging a spec sweep's chunks reads the spec again (for the front points' reports): merge from the folder the sweep ran in.
            """;
    static final String MERGE_HELP = """
              -o DIR        merged results folder (results.jsonl, results.csv, sweep.html, front reports)
              --synth front|all   then synthesize the front points (or all), as `qforge sweep --synth` does
            The chunk folders are those that `qforge sweep ... --chunk I/N` (or an emitted job) wrote.
            """;
    private static final Pattern CHUNK = Pattern.compile("(\\d+)/(\\d+)");

    private SweepCommand() { }

    static int run(Args args) throws IOException {
        String name = args.operand("generator: qforge sweep GENERATOR --OPTION VALUES ... or qforge sweep FILE.qf (generators: "
                + String.join(", ", Registry.names()) + ")");
        if (name.endsWith(".qf")) {
            return runSpec(name, args);
        }
        Generator g = Registry.find(name);
        if (g == null) {
            throw new Args.UsageException(Registry.unknown(name));
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> given = new ArrayList<>(List.of(g.name())); // the grid as typed, for an emitted job's command
        for (Option o : g.options()) {
            String flag = "--" + o.name();
            String text = args.string(flag, null);
            boolean bare = (o.kind() == Option.Kind.FLAG || o.bareValue() != null) && args.flag(flag);
            if (text == null && !bare) {
                continue;
            }
            try {
                values.put(o.name(), Grid.parseValues(o, text));
            } catch (InvalidOption e) {
                throw Args.UsageException.of(e);
            }
            given.add(flag);
            if (text != null) {
                given.add(text);
            }
        }
        Run run = new Run(args);
        Grid grid;
        try {
            grid = new Grid(g, values);
        } catch (InvalidOption e) {
            throw Args.UsageException.of(e);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        if (run.emit != null) {
            return emit(g.name(), given, run, grid.size());
        }
        return run.execute(PointEvaluator.of(g), g.name(), grid.points());
    }

    /** {@code qforge sweep FILE.qf}: every combination of the spec's range values. */
    private static int runSpec(String file, Args args) throws IOException {
        Run run = new Run(args);
        SpecSweep sweep;
        try {
            sweep = SpecSweep.of(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new Args.UsageException("no spec file " + file);
        } catch (SpecException e) {
            System.err.print(e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        String label = Path.of(file).getFileName().toString().replaceFirst("\\.qf$", "");
        if (run.emit != null) {
            return emit(file, List.of(file), run, sweep.size());
        }
        return run.execute(sweep, label, sweep.points());
    }

    /** The options every sweep takes, read from the command line. */
    private static final class Run {
        final String out;
        final int threads;
        final String chunkText;
        final String[] emit;
        final int chunks;
        final String image;
        final String claim;
        final String synth;
        final boolean force;

        Run(Args args) {
            out = args.folder("-o", null);
            threads = args.integer("--threads", Runtime.getRuntime().availableProcessors(), 1, 1024);
            chunkText = args.string("--chunk", null);
            emit = args.pair("--emit", "DIR");
            chunks = args.integer("--chunks", 8, 1, 100_000);
            image = named(args, "--image", "qforge:latest");
            claim = named(args, "--claim", "qforge-sweep");
            synth = synthMode(args);
            force = args.flag("--force");
            args.requireAllRead();
            if (force && emit == null) {
                throw new Args.UsageException("--force applies to --emit's job file only; a sweep's -o folder is resumed, never overwritten");
            }
            if (synth != null && (chunkText != null || emit != null)) {
                throw new Args.UsageException("--synth needs every point (the fronts are over all of them): give it to the whole sweep, "
                        + "or to `qforge sweep merge` of the chunks");
            }
        }

        /** Runs {@code all} (or this run's chunk of them) into -o or sweep-out/LABEL; prints the summary and fronts. */
        int execute(PointEvaluator evaluator, String label, List<Grid.Point> all) {
            List<Grid.Point> points = all;
            boolean whole = chunkText == null;
            if (!whole) {
                Matcher m = CHUNK.matcher(chunkText);
                if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(1)) >= Integer.parseInt(m.group(2))) {
                    throw new Args.UsageException("--chunk takes I/N with 0 <= I < N (chunk I of N, counted from 0), got '" + chunkText + "'");
                }
                points = Grid.chunk(all, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
            Path dir = sweepFolder(Path.of(out != null ? out : "sweep-out/" + label));
            System.err.println("sweep " + label + ": " + points.size() + (whole ? "" : " of " + all.size()) + " points on " + threads
                    + " threads into " + dir);
            Sweep.Summary s = Sweep.run(evaluator, points, dir, threads, whole, progress());
            endProgress();
            System.out.printf(Locale.ROOT, "sweep %s: %d points, %d estimated (%d failed), %d done before; %.1f points/s; %s%n", label, s.points(),
                    s.computed(), s.failed(), s.skipped(), s.rate(), dir.resolve(whole ? SweepHtml.FILE : Results.JSONL));
            if (whole) {
                printFronts(Results.read(dir));
            }
            if (synth != null) {
                synthesize(dir, Results.read(dir), synth, name -> evaluator);
            }
            return s.failed() > 0 ? 1 : 0;
        }
    }

    /** A name option's value (an image, a volume claim): blank, the job would name nothing. */
    private static String named(Args args, String option, String fallback) {
        String v = args.string(option, fallback);
        if (v.isBlank()) {
            throw new Args.UsageException(option + " needs a name, got '" + v + "'");
        }
        return v;
    }

    /** Writes the job files of {@code --emit KIND DIR}; each chunk reruns the sweep command {@code given} (after "sweep") with --chunk. */
    private static int emit(String label, List<String> given, Run run, long points) throws IOException {
        Path dir = Path.of(run.emit[1]).toAbsolutePath().normalize();
        Args.requireNoFileAt("--emit " + run.emit[0] + " " + run.emit[1], dir);
        OutputFolder folder = OutputFolder.at(dir, run.force); // a job file the user wrote or edited there is not replaced
        int n = (int) Math.min(run.chunks, points);
        switch (run.emit[0]) {
            case "slurm" -> {
                List<String> command = new ArrayList<>(javaCommand());
                command.add("sweep");
                command.addAll(given);
                Path script = dir.resolve(ClusterJobs.SLURM_FILE);
                folder.put(ClusterJobs.SLURM_FILE, ClusterJobs.slurm(command, Path.of("").toAbsolutePath().toString(), dir.toString(), n)).commit();
                Files.createDirectories(dir.resolve("logs"));
                script.toFile().setExecutable(true);
                System.out.println("sweep " + label + ": " + script + " runs " + points + " points as " + n + " array tasks; submit with: sbatch "
                        + script + "; then: qforge sweep merge " + dir.resolve(ClusterJobs.CHUNKS) + "/* -o " + dir.resolve("merged"));
            }
            case "k8s" -> {
                List<String> command = new ArrayList<>(List.of("qforge", "sweep"));
                command.addAll(given);
                Path manifest = dir.resolve(ClusterJobs.K8S_FILE);
                folder.put(ClusterJobs.K8S_FILE, ClusterJobs.kubernetes(command, run.image, run.claim, n)).commit();
                System.out.println("sweep " + label + ": " + manifest + " runs " + points + " points as an Indexed Job of " + n
                        + " pods; apply with: kubectl apply -f " + manifest);
            }
            default -> throw new Args.UsageException("--emit takes slurm or k8s, got '" + run.emit[0] + "'");
        }
        return 0;
    }

    /** This JVM running the command line again: its java, its classpath made absolute, so a cluster node needs no build. */
    private static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            cp.add(Path.of(e).toAbsolutePath().normalize().toString());
        }
        return List.of(java, "-cp", String.join(File.pathSeparator, cp), Main.class.getName());
    }

    /** CPU time of the whole JVM so far (every thread, JIT and GC included). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * The progress line on stderr: rewritten in place on a terminal; in a log (a cluster task, CI)
     * a line every 10 seconds at most.
     */
    private static java.util.function.Consumer<String> progress() {
        if (System.console() != null) {
            return new java.util.function.Consumer<>() {
                private String last = "";

                @Override
                public void accept(String line) {
                    System.err.print("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
                    last = line;
                }
            };
        }
        long[] lastPrint = {System.nanoTime()};
        return line -> {
            if (System.nanoTime() - lastPrint[0] > 10_000_000_000L) {
                lastPrint[0] = System.nanoTime();
                System.err.println(line);
            }
        };
    }

    private static void endProgress() {
        if (System.console() != null) {
            System.err.println();
        }
    }

    /** {@code qforge sweep merge CHUNKDIR... -o DIR}. */
    static int merge(Args args) {
        List<String> dirs = args.operands();
        String out = args.folder("-o", null);
        String synth = synthMode(args);
        args.requireAllRead();
        if (dirs.isEmpty()) {
            throw new Args.UsageException("name the chunk folders to merge: qforge sweep merge DIR... -o OUT");
        }
        if (out == null) {
            throw new Args.UsageException("-o OUT is needed: the folder of the merged results");
        }
        Map<String, PointEvaluator> read = new java.util.HashMap<>(); // a spec is read once, not once per front point
        java.util.function.Function<String, PointEvaluator> evaluators = name -> read.computeIfAbsent(name, SweepCommand::evaluator);
        List<PointResult> all;
        try {
            all = Sweep.merge(dirs.stream().map(Path::of).toList(), sweepFolder(Path.of(out)), evaluators);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        System.out.println("sweep merge: " + all.size() + " points from " + dirs.size() + " folders into " + Path.of(out).resolve(Results.JSONL));
        printFronts(all);
        if (synth != null) {
            synthesize(Path.of(out), all, synth, evaluators);
        }
        return 0;
    }

    /**
     * {@code dir}, unless it holds files but no results.jsonl: a folder no sweep wrote (the user's own), whose
     * results.csv, sweep.html or points/ a sweep would overwrite. A sweep's folder is written again (resume, merge).
     */
    private static Path sweepFolder(Path dir) {
        if (Files.isDirectory(dir) && !Files.exists(dir.resolve(Results.JSONL))) {
            try (Stream<Path> files = Files.list(dir)) {
                List<String> names = files.map(p -> p.getFileName().toString()).sorted().limit(3).toList();
                if (!names.isEmpty()) {
                    throw new Args.UsageException("refusing to write the sweep into " + dir + ": it holds files (" + String.join(", ", names)
                            + (names.size() == 3 ? ", ..." : "") + ") and no " + Results.JSONL + ", so no sweep wrote it (choose another -o folder)");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** The evaluator of results named {@code generator}: a registry generator's, or a spec file's (read again, from where the sweep ran). */
    private static PointEvaluator evaluator(String generator) {
        Path spec = SpecSweep.file(generator);
        if (spec == null) {
            return PointEvaluator.of(Registry.named(generator));
        }
        try {
            return SpecSweep.of(spec);
        } catch (IOException e) {
            throw new IllegalArgumentException("the results are a sweep of " + spec + ", which is needed to write the front reports but cannot be read ("
                    + e.getMessage() + "); merge from the folder the sweep ran in");
        } catch (SpecException e) {
            throw new IllegalArgumentException(spec + " no longer checks, so its front reports cannot be written:\n" + e.getMessage().stripTrailing());
        }
    }

    /** The value of --synth (front or all), or null without it. */
    private static String synthMode(Args args) {
        String mode = args.string("--synth", null);
        if (mode != null && !SweepSynthesis.MODES.contains(mode)) {
            throw new Args.UsageException("--synth takes front or all, got '" + mode + "'");
        }
        return mode;
    }

    private static void synthesize(Path dir, List<PointResult> results, String mode, java.util.function.Function<String, PointEvaluator> evaluators) {
        int n = SweepSynthesis.run(dir, results, mode, evaluators, System.err::println);
        System.out.println("sweep synthesis: " + n + " points synthesized (" + mode + "); " + dir.resolve(SweepSynthesis.FILE));
    }

    /** The GOPS-vs-LUT front of each target, one line each. */
    private static void printFronts(List<PointResult> results) {
        for (Pareto.Front f : Pareto.all(results)) {
            if (f.objective() == Pareto.Objective.GOPS_VS_LUT) {
                System.out.printf(Locale.ROOT, "  %-5s %s: %d of %d points on the front%n", f.target().id(), f.objective().title(), f.front().size(),
                        f.candidates().size());
            }
        }
    }

    /**
     * {@code qforge bench sweep}: a sweep of systolic engines up to 32 x 32 (rows, cols, dataflow,
     * weight format, activation format), estimates only, into a temporary folder; prints points/s.
     */
    static int bench(Args args) throws IOException {
        int threads = args.integer("--threads", Runtime.getRuntime().availableProcessors(), 1, 1024);
        args.requireAllRead();
        Generator g = Registry.named("systolic");
        Grid grid = new Grid(g, Map.of("rows", List.of("2", "4", "8", "16", "32"), "cols", List.of("2", "4", "8", "16", "32"),
                "dataflow", List.of("ws", "os"), "weight", List.of("int8", "int4", "int2"), "act", List.of("int8", "uint8", "int4")));
        Path dir = Files.createTempDirectory("qforge-bench-sweep");
        long cpu0 = processCpuNanos();
        try {
            Sweep.Summary s = Sweep.run(g, grid.points(), dir, threads, false, progress());
            endProgress();
            double processCpu = (processCpuNanos() - cpu0) / 1e9; // JIT compilation and GC included
            System.out.printf(Locale.ROOT, "bench sweep: %d systolic points (up to 32x32, estimates only) on %d threads in %.2f s: %.1f points/s; "
                    + "workers %.1f points per CPU second, whole process %.1f (JIT and GC included), so %.1f-%.1f points/s on %d idle cores%n",
                    s.computed(), threads, s.seconds(), s.rate(), s.ratePerCpu(), s.computed() / processCpu, s.computed() / processCpu * threads,
                    s.ratePerCpu() * threads, threads);
            return s.failed() > 0 ? 1 : 0;
        } finally {
            FileUtils.deleteQuietly(dir.toFile());
        }
    }
}
