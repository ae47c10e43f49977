package dev.qforge.generators.systolic;

import dev.qforge.generators.requant.Requantizer;

/**
 * The exact cycle model of {@link GemmEngine} and {@link OsGemmEngine} with no input bubbles and
 * no output back-pressure, counted from the cycle the cfg beat is accepted (cycle 0). G = C PE
 * columns (ceil(C/P) when P columns share a packed PE), D = peStages - 1 (the cycles each PE's extra register stages
 * add), O = 1 for the plain output register or the requantizer's latency.
 *
 * <p>SCALE-Sim charges each fold fill and drain of 2R + C - 2 cycles. The weight-stationary engine
 * loads a fold's weights one row per beat (kRows = min(R, K - k0) cycles), streams the M
 * activation rows (M cycles) and then drains: W = G - 1 cycles after a K fold (G with 3 PE stages,
 * whose multiplier reads the weight a cycle later), until the last row has passed every column,
 * and Wl after an N fold's last K fold: W; G - 1 + D with a bias (until the last row has taken
 * it); R + G - 1 + D with requant (until its last row is in the requantizer, so the next fold's
 * parameters can be loaded). With B = 1 bias or quant beat per N fold (else 0), KF = ceil(K/R),
 * NF = ceil(N/C):
 * <pre>
 *   per N fold        P   = B + K + KF * M + (KF - 1) * W + Wl
 *   latency           L   = R + G + D + O         (activation beat accepted -> its result beat)
 *   first in -> first out = 1 + B + K + (KF - 1) * (M + W) + L
 *   first in -> last out  = NF * P - Wl + L
 *   initiation interval   = 1 + NF * P            (cfg beat to the next GEMM's cfg beat)
 * </pre>
 * With group scales (GK = ceil(K / group) groups), each group starts with its scale beat
 * (B = GK) and each group's last K fold drains R + G - 1 + D cycles (until its last row has
 * taken the scale): P = GK + K + KF * M + (KF - GK) * W + GK * Wl, first in -> first out
 * = 1 + GK + K + (KF - 1) * M + (KF - GK) * W + (GK - 1) * Wl + L, with O = 8 (the
 * {@link GroupScaleStage} and the output register). MX engines time as grouped ones with groups
 * of 32 (their blocks), the {@link MxScaleStage} as long as the group-scale stage.
 *
 * <p>Output-stationary: T = MF * NF tiles (MF = ceil(M/R)), each taking P = max(K, S) cycles with
 * S = max(R, G) (K steps, then idle until S cycles have passed), the last one K + max(0, S - 2);
 * row i of a tile leaves L + i cycles after its last step, L = G + 1 + D + O; the last tile has
 * mLast = M - (MF - 1) * R rows:
 * <pre>
 *   first in -> first out = K + L
 *   first in -> last out  = (T - 1) * P + K + L - 1 + mLast
 *   initiation interval   = 1 + (T - 1) * P + K + max(0, S - 2)
 * </pre>
 * With a bias or quant beat per N fold, an N fold's last tile waits R + G - 1 + D cycles after
 * its last step (until its readout is done), so an N fold takes Q = (MF - 1) * P + K + R + G + D
 * cycles with its beat; with t = 1 + (NF - 1) * Q + (MF - 1) * P + K the last tile's last step:
 * <pre>
 *   first in -> first out = K + 1 + L
 *   first in -> last out  = t + L - 1 + mLast
 *   initiation interval   = t + R + G + D
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
        int outputStage = cfg.scaled() ? ScaledSumStage.LATENCY + 1 : cfg.requant() == null ? 1 : new Requantizer(1, cfg.accBits(), SystolicConfig.REQUANT_OUT_BITS, true, cfg.requant()).latency();
        int grid = cfg.dataflow() == Dataflow.OS ? cfg.gridCols() + 1 : cfg.rows() + cfg.gridCols();
        return grid + cfg.productDelay() + outputStage;
    }

    public Prediction predict(int m, int k, int n) {
        cfg.requireShape(m, k, n);
        if (cfg.dataflow() == Dataflow.OS) {
            long mFolds = cfg.mFolds(m);
            long tiles = mFolds * cfg.nFolds(n);
            long span = Math.max(cfg.rows(), cfg.gridCols());
            long period = Math.max(k, span);
            long lastRows = m - (mFolds - 1) * cfg.rows();
            if (!cfg.bias() && cfg.requant() == null) {
                return new Prediction(k + latency(), (tiles - 1) * period + k + latency() - 1 + lastRows,
                        1 + (tiles - 1) * period + k + Math.max(0, span - 2));
            }
            long readOut = cfg.rows() + cfg.gridCols() + cfg.productDelay();
            long perN = (mFolds - 1) * period + k + readOut;
            long lastStep = 1 + (cfg.nFolds(n) - 1) * perN + (mFolds - 1) * period + k;
            return new Prediction(k + 1 + latency(), lastStep + latency() - 1 + lastRows, lastStep + readOut);
        }
        long kFolds = cfg.kFolds(k);
        // K folds that end with the long drain: the last, or each group's last
        long longDrains = !cfg.scaled() ? 1 : (k + cfg.groupSize() - 1) / cfg.groupSize();
        long b = cfg.scaled() ? longDrains : cfg.bias() || cfg.requant() != null ? 1 : 0;
        long w = GemmEngine.midDrain(cfg);
        long lastDrain = GemmEngine.lastDrain(cfg);
        long drains = (kFolds - longDrains) * w + longDrains * lastDrain;
        long perN = b + k + kFolds * m + drains;
        long first = 1 + b + k + (kFolds - 1) * m + drains - lastDrain + latency();
        long last = cfg.nFolds(n) * perN - lastDrain + latency();
        return new Prediction(first, last, 1 + cfg.nFolds(n) * perN);
    }
}
