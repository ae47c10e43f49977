package dev.qforge.generators.attention;

/**
 * Exact cycles of {@link AttentionDecode} for a token that attends over n cached rows (its own
 * included unless the cache was full and it was dropped), with input beats offered back to back and
 * the output always ready. Cycle 0 is the cycle the token's first beat is accepted. The heads of a
 * GQA group work in the same cycles, so nothing here depends on their number.
 */
public record AttentionCycleModel(AttentionConfig cfg) {
    /** Cycles one more cached row adds in steady state: its d/P K (and V) words, read while the previous row's V is read. */
    public int cyclesPerRow() {
        return cfg.chunks();
    }

    /**
     * ATTEND over n rows: n d/P K reads, then the last row's last product, SCALE, the exponential's further
     * stages (ibert: 4), MAX and d/P V reads, and its last update.
     */
    public long attendCycles(int n) {
        requireRows(n);
        return (long) n * cyclesPerRow() + cfg.chunks() + 2 + cfg.exponentialLatency();
    }

    /**
     * CONVERT before ATTEND: an int4 cache's token whose row completes a key group (n a multiple of G,
     * not dropped) has the group's G d/P residual words read back and written as codes, G d/P + 1 cycles.
     */
    public long convertCycles(int n, boolean dropped) {
        requireRows(n);
        boolean converts = cfg.kv() == AttentionConfig.Kv.INT4 && !dropped && n % cfg.kvGroup() == 0;
        return converts ? (long) cfg.kvGroup() * cfg.chunks() + 1 : 0;
    }

    /** First input beat accepted to first output beat: the other d/P - 1 input beats, CONVERT, ATTEND, the divider. */
    public long firstInToFirstOut(int n, boolean dropped) {
        return cfg.chunks() + convertCycles(n, dropped) + attendCycles(n) + cfg.reciprocalBits();
    }

    /** First input beat to last output beat (d/P output beats, one a cycle). */
    public long firstInToLastOut(int n, boolean dropped) {
        return firstInToFirstOut(n, dropped) + cfg.chunks() - 1;
    }

    /** Steady state: cycles from one token's first accepted beat to the next's, tokens back to back. */
    public long cyclesPerToken(int n, boolean dropped) {
        return firstInToLastOut(n, dropped) + 1;
    }

    /**
     * Multiply-accumulates per cycle over all 2P multipliers of a head (P for Q.K^T, P for P.V), over the whole
     * token: both sets are busy in every ATTEND cycle but the d/P + 3 of the pipeline's fill and drain, and idle
     * while the token loads, converts, divides and leaves.
     */
    public double laneUtilization(int n, boolean dropped) {
        return 2.0 * n * cfg.headDim() / (2.0 * cfg.lanes() * cyclesPerToken(n, dropped));
    }

    private void requireRows(int n) {
        if (n < 1 || n > cfg.maxSeq()) {
            throw new IllegalArgumentException("a token attends over 1.." + cfg.maxSeq() + " rows, got " + n);
        }
    }
}
