package dev.qforge.spec.workload;

import dev.qforge.generators.systolic.GemmCycleModel;
import dev.qforge.generators.systolic.SystolicConfig;

/**
 * Cycles of a GEMM of any size on a systolic engine: a shape past the engine's largest runtime
 * M, K or N runs as tiles of at most that size, back to back, each as long as the engine's cycle
 * model says (its initiation interval: cfg beat to the next GEMM's cfg beat). Partial sums of K
 * tiles are added outside the engine and not counted.
 */
public final class GemmCost {
    private GemmCost() { }

    public static long cycles(SystolicConfig cfg, long m, long k, long n) {
        GemmCycleModel model = new GemmCycleModel(cfg);
        long total = 0;
        for (long[] mt : tiles(m, cfg.maxM())) {
            for (long[] kt : tiles(k, cfg.maxK())) {
                for (long[] nt : tiles(n, cfg.maxN())) {
                    if (mt[1] * kt[1] * nt[1] == 0) {
                        continue;
                    }
                    total += mt[1] * kt[1] * nt[1] * model.predict((int) mt[0], (int) kt[0], (int) nt[0]).initiationInterval();
                }
            }
        }
        return total;
    }

    /** {size, count} of the full tiles and of the remainder tile (count 0 when there is none). */
    private static long[][] tiles(long size, int max) {
        return size <= max ? new long[][] {{size, 1}} : new long[][] {{max, size / max}, {size % max, size % max != 0 ? 1 : 0}};
    }
}
