package dev.qforge.cli;

import dev.qforge.dsl.Design;
import dev.qforge.dsl.output.OutputFolder;
import dev.qforge.fpga.ReportBuilder;
import dev.qforge.generators.Performance;
import dev.qforge.generators.report.Report;
import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.numerics.TfliteRounding;
import dev.qforge.testbenches.systolic.GemmRunner;
import dev.qforge.testbenches.verilator.Model;
import dev.qforge.testbenches.verilator.ModelCompiler;
import dev.qforge.testbenches.verilator.SimOptions;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code qforge demo}: the whole flow on the default accelerator, an 8 x 8 int8 weight-stationary
 * GEMM engine with per-column TFLite requantization. Generates it, co-simulates it against the
 * golden model (the report's reference workload without stalls, to measure latency, then random
 * shapes under random bubbles and back-pressure), synthesises it when Yosys is installed, and
 * prints the report.
 */
final class DemoCommand {
    private DemoCommand() { }

    static int run(Args args) throws Exception {
        Path out = Path.of(args.folder("-o", "rtl-out/demo"));
        int seed = args.integer("--seed", 1, 0, Integer.MAX_VALUE);
        int gemms = args.integer("--gemms", 24, 1, 100_000);
        boolean synthesize = !args.flag("--no-synth");
        OutputFolder folder = OutputFolder.at(out, args.flag("--force"));
        args.requireAllRead();
        SystolicConfig cfg = SystolicConfig.int8(8, 8, 64, 64, 64, false).withRequant(TfliteRounding.DEFAULT).withPeStages(SystolicConfig.MAX_PE_STAGES);
        GemmEngineBlock block = new GemmEngineBlock("demo", cfg);

        Design design = step("1/4 generate " + cfg.shortName() + " -> " + out, () -> {
            Design d = Design.elaborate(block.top());
            d.addTo(folder);
            folder.put(DesignReadme.FILE, DesignReadme.of(block, d));
            folder.check(); // a file in the way stops the demo now, not after minutes of work; the folder is written at the end
            return d;
        });
        Model model = step("2/4 build the Verilator model (cached by content hash; about 20 s the first time)",
                () -> ModelCompiler.shared().model(design));

        Performance predicted = block.performance();
        long[] measured = step("3/4 co-simulate against the golden model: the reference workload twice back to back, then " + gemms
                + " random GEMMs with 30% input bubbles and 40% output back-pressure", () -> cosimulate(model, cfg, seed, gemms));
        boolean latencyMatches = measured[0] == predicted.firstInToFirstOut() && measured[1] == predicted.firstInToLastOut()
                && measured[3] == (long) predicted.initiationInterval();
        System.out.println("    bit-exact: " + (gemms + 2) + " GEMMs (" + measured[2] + " result rows) equal the golden model");
        System.out.println("    " + predicted.workload() + ": first-in -> first-out " + measured[0] + " cycles measured, "
                + predicted.firstInToFirstOut() + " predicted; first-in -> last-out " + measured[1] + " measured, "
                + predicted.firstInToLastOut() + " predicted; initiation interval " + measured[3] + " measured, "
                + (long) predicted.initiationInterval() + " predicted");

        Report report = step(synthesize ? "4/4 synthesise with Yosys (xcup, xc7, iCE40) and place & route with nextpnr-ice40 "
                        + "(minutes the first time, then cached)" : "4/4 estimate resources (synthesis skipped: --no-synth)",
                () -> ReportBuilder.build(block, design, synthesize, line -> System.out.println("    " + line)));
        report.addTo(folder);
        folder.commit();
        System.out.println();
        System.out.print(report.toText());
        System.out.println();
        if (!latencyMatches) {
            System.out.println("demo: FAILED: the measured latency or initiation interval differs from the cycle model");
            return 1;
        }
        System.out.println("demo: ok: RTL bit-exact with the golden model, measured latency and initiation interval equal the report; files in " + out);
        return 0;
    }

    /**
     * Returns {first-in -> first-out, first-in -> last-out} of the reference GEMM, the result rows
     * checked, and the initiation interval (its cfg beat to the next GEMM's, with nothing stalled).
     */
    private static long[] cosimulate(Model model, SystolicConfig cfg, int seed, int gemms) {
        Random rnd = new Random(seed);
        try (Simulator sim = model.start(SimOptions.defaults().withSeed(seed))) {
            sim.reset();
            Gemm reference = GemmRunner.randomGemm(cfg, rnd, cfg.maxM(), cfg.maxK(), cfg.maxN());
            StreamResult r = GemmRunner.run(sim, cfg, List.of(reference, reference), rnd, 0, 0);
            long[] outAt = r.cycles("out");
            long first = r.cycles("cfg")[0];
            long interval = r.cycles("cfg")[1] - first;
            long rows = outAt.length;
            List<Gemm> random = new ArrayList<>();
            for (int i = 0; i < gemms; i++) {
                random.add(GemmRunner.randomGemm(cfg, rnd, 1 + rnd.nextInt(cfg.maxM()), 1 + rnd.nextInt(cfg.maxK()),
                        1 + rnd.nextInt(cfg.maxN())));
            }
            rows += GemmRunner.run(sim, cfg, random, rnd, 0.3, 0.4).cycles("out").length;
            return new long[] {outAt[0] - first, outAt[reference.m() * cfg.nFolds(reference.n()) - 1] - first, rows, interval};
        }
    }

    /** Runs a long step, printing what it does and, every 15 s while it runs, that it is still going. */
    private static <T> T step(String what, Callable<T> work) throws Exception {
        System.out.println("[" + what + "]");
        long t0 = System.nanoTime();
        Thread ticker = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(15_000);
                    System.out.println("    ... " + (System.nanoTime() - t0) / 1_000_000_000 + " s");
                }
            } catch (InterruptedException done) {
                Thread.currentThread().interrupt();
            }
        }, "demo-progress");
        ticker.setDaemon(true);
        ticker.start();
        try {
            return work.call();
        } finally {
            ticker.interrupt();
            System.out.println(String.format(java.util.Locale.ROOT, "    done in %.1f s", (System.nanoTime() - t0) / 1e9));
        }
    }
}
