package dev.qforge.generators.attention;

/**
 * Exact cycles of {@link AttentionDecode} for a token that attends over n cached rows (this one
 * included), with input beats offered back to back and the output always ready. Cycle 0 is the
 * cycle the token's first beat is accepted.
 */
public record AttentionCycleModel(AttentionConfig cfg) {
    /** Cycles one cached row takes: QK (d/P + 1), SCALE, MAX, PV (d/P + 1). */
    public int cyclesPerRow() {
        return 2 * cfg.chunks() + 4;
    }

    /** First input beat accepted to first output beat: the other d/P - 1 input beats, n rows, the divider. */
    public long firstInToFirstOut(int n) {
        requireRows(n);
        return cfg.chunks() + (long) n * cyclesPerRow() + cfg.reciprocalBits();
    }

    /** First input beat to last output beat (d/P output beats, one a cycle). */
    public long firstInToLastOut(int n) {
        return firstInToFirstOut(n) + cfg.chunks() - 1;
    }

    /** Steady state: cycles from one token's first accepted beat to the next's, tokens back to back. */
    public long cyclesPerToken(int n) {
        return firstInToLastOut(n) + 1;
    }

    /**
     * Multiply-accumulates per cycle over all 2P multipliers (P for Q.K^T, P for P.V), steady state:
     * each set is busy d/P of the 2d/P + 4 cycles of a row, so this stays below 1/2.
     */
    public double laneUtilization(int n) {
        return 2.0 * n * cfg.headDim() / (2.0 * cfg.lanes() * cyclesPerToken(n));
    }

    private void requireRows(int n) {
        if (n < 1 || n > cfg.maxSeq()) {
            throw new IllegalArgumentException("a token attends over 1.." + cfg.maxSeq() + " rows, got " + n);
        }
    }
}
