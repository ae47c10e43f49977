package dev.qforge.generators.systolic;

/**
 * The exact cycle model of {@link GemmEngine} with no input bubbles and no output back-pressure,
 * counted from the cycle the cfg beat is accepted (cycle 0).
 *
 * <p>SCALE-Sim charges each fold fill and drain of 2R + C - 2 cycles. This engine loads a fold's
 * weights one row per beat (kRows = min(R, K - k0) cycles), streams the M activation rows (M
 * cycles) and then waits W = G - 1 cycles until the last row has passed every column (G = C PE
 * columns, ceil(C/2) when packed), so with
 * B = 1 bias beat per N fold (0 without bias), KF = ceil(K/R), NF = ceil(N/C):
 * <pre>
 *   per N fold        P   = B + K + KF * (M + W)
 *   latency           L   = R + G + 1            (activation beat accepted -> its result beat)
 *   first in -> first out = 1 + B + K + (KF - 1) * (M + W) + L
 *   first in -> last out  = NF * P - W + L
 *   initiation interval   = 1 + NF * P            (cfg beat to the next GEMM's cfg beat)
 * </pre>
 *
 * <p>Output-stationary ({@link OsGemmEngine}): T = MF * NF tiles (MF = ceil(M/R)), each taking
 * P = max(K, S) cycles with S = max(R, C) (K steps, then idle until S cycles have passed), the
 * last one K + max(0, S - 2); row i of a tile leaves C + 2 + i cycles after its last step; the
 * last tile has mLast = M - (MF - 1) * R rows:
 * <pre>
 *   first in -> first out = K + C + 2
 *   first in -> last out  = (T - 1) * P + K + C + 1 + mLast
 *   initiation interval   = 1 + (T - 1) * P + K + max(0, S - 2)
 * </pre>
 */
public final class GemmCycleModel {
    /** Predicted cycle counts of one GEMM. */
    public record Prediction(long firstInToFirstOut, long firstInToLastOut, long initiationInterval) { }

    private final SystolicConfig cfg;

    public GemmCycleModel(SystolicConfig cfg) {
        this.cfg = cfg;
    }

    /** Cycles from an activation beat accepted to its result beat delivered (output-stationary: from a tile's last step to its first row). */
    public int latency() {
        return cfg.dataflow() == Dataflow.WS ? cfg.rows() + cfg.gridCols() + 1 : cfg.cols() + 2;
    }

    public Prediction predict(int m, int k, int n) {
        cfg.requireShape(m, k, n);
        if (cfg.dataflow() == Dataflow.OS) {
            long tiles = (long) cfg.mFolds(m) * cfg.nFolds(n);
            long span = Math.max(cfg.rows(), cfg.cols());
            long period = Math.max(k, span);
            long lastRows = m - (cfg.mFolds(m) - 1L) * cfg.rows();
            return new Prediction(k + latency(), (tiles - 1) * period + k + latency() - 1 + lastRows,
                    1 + (tiles - 1) * period + k + Math.max(0, span - 2));
        }
        long b = cfg.bias() ? 1 : 0;
        long w = cfg.gridCols() - 1;
        long kFolds = cfg.kFolds(k);
        long perN = b + k + kFolds * (m + w);
        long first = 1 + b + k + (kFolds - 1) * (m + w) + latency();
        long last = cfg.nFolds(n) * perN - w + latency();
        return new Prediction(first, last, 1 + cfg.nFolds(n) * perN);
    }
}
