package dev.qforge.testbenches.bench;

import dev.qforge.dsl.Design;
import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmEngineBlock;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.testbenches.systolic.GemmRunner;
import dev.qforge.testbenches.verilator.Model;
import dev.qforge.testbenches.verilator.ModelCompiler;
import dev.qforge.testbenches.verilator.SimOptions;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Simulation speed of an N x N int8 weight-stationary GEMM engine in Verilator: random GEMMs
 * (M=256, K=N=4N, no bias) as stream transactions, every result checked against the golden model.
 * Prints last {@code gemm n=N pe_stages=P cycles=C seconds=S cps=X harness_cpu_seconds=T cpu_cps=Y}:
 * cps is wall-clock cycles/s of running the transactions from Java (encoding each, sending it
 * one transaction ahead of the model so the two overlap, and checking every result beat against
 * the golden results, which are computed beforehand), cpu_cps the same cycles over the CPU time of the harness process alone. The model's
 * C++ is built for speed ({@link ModelCompiler#forSpeed}).
 */
public final class GemmBench {
    private static final int GEMMS_PER_TRANSACTION = 16;

    private GemmBench() { }

    /** Runs {@code transactions} transactions of 16 GEMMs each through the engine with {@code peStages} stages per PE. */
    public static void run(int n, int transactions, int peStages) {
        SystolicConfig cfg = SystolicConfig.int8(n, n, 256, 4 * n, 4 * n, false).withPeStages(peStages);
        Model model = ModelCompiler.shared().forSpeed().model(Design.elaborate(GemmEngineBlock.engine(cfg)));
        Random rnd = new Random(1);
        long cycles = 0;
        long nanos;
        long cpuNanos;
        try (Simulator sim = model.start(SimOptions.defaults().withSeed(1).withRecordMb(0))) {
            sim.reset();
            Duration cpu0 = harnessCpu(sim);
            // The golden model runs first, untimed: the figure is the simulation's, not Java's GEMM arithmetic.
            List<GemmRunner.Transaction> work = new ArrayList<>();
            for (int t = 0; t < transactions; t++) {
                work.add(randomTransaction(cfg, rnd));
            }
            long t0 = System.nanoTime();
            // Two transactions in flight: Java encodes the next one and checks the last while the model runs.
            Simulator.PendingTransaction running = sim.submit(work.get(0).run());
            for (int t = 0; t < transactions; t++) {
                Simulator.PendingTransaction queued = t + 1 < transactions ? sim.submit(work.get(t + 1).run()) : null;
                StreamResult r = running.await();
                cycles += r.cycles();
                GemmRunner.check(sim, work.get(t), r);
                running = queued;
            }
            nanos = System.nanoTime() - t0;
            cpuNanos = harnessCpu(sim).minus(cpu0).toNanos();
        }
        System.out.println(String.format(Locale.ROOT, "gemm n=%d pe_stages=%d cycles=%d seconds=%.3f cps=%.0f harness_cpu_seconds=%.3f cpu_cps=%.0f",
                n, peStages, cycles, nanos / 1e9, cycles / (nanos / 1e9), cpuNanos / 1e9, cycles / (cpuNanos / 1e9)));
    }

    /** Several GEMMs per transaction, so the round trip to the harness costs little. */
    private static GemmRunner.Transaction randomTransaction(SystolicConfig cfg, Random rnd) {
        List<Gemm> gemms = new ArrayList<>();
        for (int i = 0; i < GEMMS_PER_TRANSACTION; i++) {
            gemms.add(GemmRunner.randomGemm(cfg, rnd, cfg.maxM(), cfg.maxK(), cfg.maxN()));
        }
        return GemmRunner.transaction(cfg, gemms, null, 0, 0);
    }

    /** CPU time the harness process has used: on a shared machine cpu_cps is the steadier figure. */
    private static Duration harnessCpu(Simulator sim) {
        return ProcessHandle.of(sim.pid()).flatMap(h -> h.info().totalCpuDuration()).orElse(Duration.ZERO);
    }
}
