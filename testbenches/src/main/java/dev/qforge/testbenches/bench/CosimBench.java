package dev.qforge.testbenches.bench;

import dev.qforge.dsl.Design;
import dev.qforge.lib.SystolicArray;
import dev.qforge.testbenches.process.Processes;
import dev.qforge.testbenches.verilator.Frames;
import dev.qforge.testbenches.verilator.Model;
import dev.qforge.testbenches.verilator.ModelBuildException;
import dev.qforge.testbenches.verilator.ModelCompiler;
import dev.qforge.testbenches.verilator.ModelSources;
import dev.qforge.testbenches.verilator.SimOptions;
import dev.qforge.testbenches.verilator.Simulator;
import org.apache.commons.io.FileUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Co-simulation speed: random matrix tiles through the N x N systolic array (int8 a/w, 32-bit
 * sums), once driven and checked from Java through the {@link Simulator} batch API, once by a
 * generated C++ main with the same schedule and no Java, both on the same Verilator model built
 * for speed. On a shared machine one run says little, so the two sides take turns for a number of
 * rounds (Java, C++, Java, C++, ...) and each side's best round counts. Prints one line per round,
 * then, last, {@code cosim n=N rounds=R cycles=C java_cps=J cpp_cps=P ratio=J/P} (C cycles per
 * round and side, J and P the best rounds).
 */
public final class CosimBench {
    /** Activation rows per tile. */
    private static final int TILE_ROWS = 256;
    /** Cycles per batch sent to the harness: large enough that a round trip costs little. */
    private static final int BATCH_CYCLES = 8192;
    /** Batches in flight: Java fills and checks one while the model runs the others. */
    private static final int IN_FLIGHT = 3;
    private static final long SEED = 1;
    private static final Pattern CPP_RESULT = Pattern.compile("cycles=(\\d+) seconds=([0-9.]+) errors=(\\d+)");

    private CosimBench() { }

    public static void main(String[] args) {
        System.exit(run(args.length > 0 ? Integer.parseInt(args[0]) : 16, args.length > 1 ? Integer.parseInt(args[1]) : 8));
    }

    /** Runs the benchmark in {@code rounds} rounds of about a second per side. */
    public static int run(int n, int rounds) {
        return run(n, Math.max(50_000, Math.min(4_000_000, 250_000_000L / ((long) n * n))), rounds);
    }

    /**
     * Runs {@code rounds} rounds of at least {@code cycles} cycles (whole tiles) each way; returns
     * 0, or 1 when a product was wrong.
     */
    public static int run(int n, long cycles, int rounds) {
        Design design = Design.elaborate(new SystolicArray(n, n, 8, 8, 32));
        ModelCompiler compiler = ModelCompiler.shared().forSpeed();
        Model model = compiler.model(design);
        String cppMain = new SystolicWorkload(model.layout(), n, n, TILE_ROWS, SEED).cppMain();
        Model cpp = compiler.compile(ModelSources.of(design).withMain(cppMain), false);

        double bestJava = 0;
        double bestCpp = 0;
        long javaCycles = 0;
        for (int round = 1; round <= rounds; round++) {
            long[] java = runJava(model, n, cycles);
            javaCycles = java[0];
            double javaCps = java[0] / (java[1] / 1e9);
            Matcher c = runCpp(cpp, java[0]);
            long cppCycles = Long.parseLong(c.group(1));
            double cppCps = cppCycles / Double.parseDouble(c.group(2));
            long cppErrors = Long.parseLong(c.group(3));
            if (cppErrors > 0 || cppCycles != java[0]) {
                System.out.println("the C++ testbench ran " + cppCycles + " cycles (Java " + java[0] + ") and counted " + cppErrors + " wrong products");
                return 1;
            }
            bestJava = Math.max(bestJava, javaCps);
            bestCpp = Math.max(bestCpp, cppCps);
            System.out.println(String.format(Locale.ROOT, "round %d: java_cps=%.0f cpp_cps=%.0f", round, javaCps, cppCps));
        }
        System.out.println(String.format(Locale.ROOT, "cosim n=%d rounds=%d cycles=%d java_cps=%.0f cpp_cps=%.0f ratio=%.3f",
                n, rounds, javaCycles, bestJava, bestCpp, bestJava / bestCpp));
        return 0;
    }

    /** Returns {cycles, nanoseconds}; a wrong product throws a CosimMismatch. */
    private static long[] runJava(Model model, int n, long cycles) {
        try (Simulator sim = model.start(SimOptions.defaults().withSeed(SEED).withRecordMb(0))) {
            sim.reset();
            SystolicWorkload workload = new SystolicWorkload(model.layout(), n, n, TILE_ROWS, SEED);
            int tile = workload.tileCycles();
            int tilesPerBatch = Math.max(1, BATCH_CYCLES / tile);
            long batches = (cycles + (long) tile * tilesPerBatch - 1) / ((long) tile * tilesPerBatch);
            Frames in = sim.frames(tile * tilesPerBatch); // reusable: submit copies it into the pipe
            ArrayDeque<Simulator.Pending> running = new ArrayDeque<>();
            ArrayDeque<int[][]> expected = new ArrayDeque<>();
            ArrayDeque<Frames> checked = new ArrayDeque<>(); // output buffers to reuse
            long t0 = System.nanoTime();
            for (long b = 0; b < batches || !running.isEmpty(); b++) {
                if (b < batches) {
                    int[][] products = new int[tilesPerBatch][];
                    for (int k = 0; k < tilesPerBatch; k++) {
                        products[k] = workload.nextTile(in, k * tile);
                    }
                    running.add(sim.submit(in, checked.poll()));
                    expected.add(products);
                }
                if (running.size() == IN_FLIGHT || b >= batches) {
                    Frames out = running.remove().await();
                    int[][] products = expected.remove();
                    for (int k = 0; k < tilesPerBatch; k++) {
                        workload.check(sim, out, k * tile, products[k]);
                    }
                    checked.add(out);
                }
            }
            return new long[] {batches * tile * tilesPerBatch, System.nanoTime() - t0};
        }
    }

    private static Matcher runCpp(Model cpp, long cycles) {
        try {
            Path dir = Files.createTempDirectory("qforge-cosim-bench");
            try {
                Processes.Result r = Processes.run(List.of(cpp.binary().toString(), Long.toString(cycles)), dir, Map.of(),
                        dir.resolve("out.txt"), Duration.ofMinutes(30));
                Matcher m = CPP_RESULT.matcher(r.output());
                if (!m.find()) {
                    throw new ModelBuildException("the C++ benchmark exited with code " + r.exitCode() + " and printed:\n" + r.output());
                }
                return m;
            } finally {
                FileUtils.deleteDirectory(dir.toFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the C++ benchmark: " + e.getMessage(), e);
        }
    }
}
