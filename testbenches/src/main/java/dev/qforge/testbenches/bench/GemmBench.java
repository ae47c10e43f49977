package dev.qforge.testbenches.bench;

import dev.qforge.generators.systolic.Gemm;
import dev.qforge.generators.systolic.GemmEngine;
import dev.qforge.generators.systolic.GemmGolden;
import dev.qforge.generators.systolic.SystolicConfig;
import dev.qforge.dsl.Design;
import dev.qforge.testbenches.verilator.Model;
import dev.qforge.testbenches.verilator.ModelCompiler;
import dev.qforge.testbenches.verilator.SimOptions;
import dev.qforge.testbenches.verilator.Simulator;
import dev.qforge.testbenches.verilator.StreamResult;
import dev.qforge.testbenches.verilator.StreamRun;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Simulation speed of an N x N int8 GEMM engine in Verilator: random GEMMs (M=256, K=N=4N, no
 * bias) as stream transactions, every result checked against the golden model. Prints last
 * {@code gemm n=N cycles=C seconds=S cps=X harness_cpu_seconds=T cpu_cps=Y}: cps is wall-clock
 * cycles/s of the transactions (model plus the harness's stream driving, not the Java-side
 * checking), cpu_cps the same cycles over the CPU time of the harness process.
 */
public final class GemmBench {
    private static final int GEMMS_PER_TRANSACTION = 16;

    private GemmBench() { }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int transactions = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        SystolicConfig cfg = SystolicConfig.int8(n, n, 256, 4 * n, 4 * n, false);
        Model model = ModelCompiler.shared().model(Design.elaborate(new GemmEngine(cfg)));
        GemmGolden golden = new GemmGolden(cfg);
        Random rnd = new Random(1);
        long cycles = 0;
        long nanos = 0;
        long cpuNanos;
        try (Simulator sim = model.start(SimOptions.defaults().withSeed(1).withRecordMb(0))) {
            sim.reset();
            Duration cpu0 = harnessCpu(sim);
            // Several GEMMs per transaction, so the round trip to the harness costs little.
            for (int t = 0; t < transactions; t++) {
                List<long[]> cfgBeats = new ArrayList<>();
                List<long[]> wgt = new ArrayList<>();
                List<long[]> act = new ArrayList<>();
                List<long[]> expected = new ArrayList<>();
                for (int i = 0; i < GEMMS_PER_TRANSACTION; i++) {
                    Gemm g = randomGemm(rnd, cfg.maxM(), cfg.maxK(), cfg.maxN());
                    cfgBeats.add(golden.cfgBeat(g));
                    wgt.addAll(golden.weightBeats(g, null));
                    act.addAll(golden.activationBeats(g, null));
                    expected.addAll(golden.resultBeats(g));
                }
                StreamRun run = new StreamRun().sendBeats("cfg", cfgBeats).sendBeats("wgt", wgt).sendBeats("act", act)
                        .receive("out", expected.size());
                long t0 = System.nanoTime();
                StreamResult r = sim.transact(run);
                nanos += System.nanoTime() - t0;
                cycles += r.cycles();
                List<long[]> got = r.beats("out");
                for (int j = 0; j < expected.size(); j++) {
                    if (!Arrays.equals(expected.get(j), got.get(j))) {
                        throw new AssertionError("transaction " + t + " result beat " + j + ": expected "
                                + Arrays.toString(expected.get(j)) + ", got " + Arrays.toString(got.get(j)));
                    }
                }
            }
            cpuNanos = harnessCpu(sim).minus(cpu0).toNanos();
        }
        System.out.println(String.format(Locale.ROOT, "gemm n=%d cycles=%d seconds=%.3f cps=%.0f harness_cpu_seconds=%.3f cpu_cps=%.0f",
                n, cycles, nanos / 1e9, cycles / (nanos / 1e9), cpuNanos / 1e9, cycles / (cpuNanos / 1e9)));
    }

    /** CPU time the harness process has used: on a shared machine cpu_cps is the steadier figure. */
    private static Duration harnessCpu(Simulator sim) {
        return ProcessHandle.of(sim.pid()).flatMap(h -> h.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    private static Gemm randomGemm(Random rnd, int m, int k, int n) {
        int[][] a = new int[m][k];
        int[][] b = new int[k][n];
        for (int[] row : a) {
            for (int j = 0; j < k; j++) {
                row[j] = rnd.nextInt(256) - 128;
            }
        }
        for (int[] row : b) {
            for (int j = 0; j < n; j++) {
                row[j] = rnd.nextInt(256) - 128;
            }
        }
        int[] bias = new int[n];
        for (int j = 0; j < n; j++) {
            bias[j] = rnd.nextInt();
        }
        return new Gemm(a, b, null);
    }
}
