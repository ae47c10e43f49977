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
     * CONVERT before ATTEND: an int4 cache's token whose row completes a key group (n a multiple of Lg,
     * not dropped) has the group's Lg d/P residual words read back and written as codes, Lg d/P + 1 cycles.
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

    /*
     * Prefill: a request of T tokens sent back to back, the first at cache position pos (0 for a new
     * sequence). The engine runs them one after the other, each as a decode step: token i appends its
     * row and attends over the pos + i + 1 rows cached then (L, and dropped, once the cache is full),
     * which is the causal mask. Cycle 0 is the cycle the request's first beat is accepted.
     */

    /** Request's first input beat to its first output beat: its first token's decode step. */
    public long prefillFirstInToFirstOut(int pos, int tokens) {
        requirePrefill(pos, tokens);
        return firstInToFirstOut(rowsSeen(pos), pos >= cfg.maxSeq());
    }

    /** Request's first input beat to its last output beat: T - 1 whole decode steps, then the last token's. */
    public long prefillFirstInToLastOut(int pos, int tokens) {
        requirePrefill(pos, tokens);
        long cycles = 0;
        for (int i = 0; i < tokens - 1; i++) {
            cycles += cyclesPerToken(rowsSeen(pos + i), pos + i >= cfg.maxSeq());
        }
        int last = pos + tokens - 1;
        return cycles + firstInToLastOut(rowsSeen(last), last >= cfg.maxSeq());
    }

    /** Steady state: cycles from one request's first accepted beat to the next's, requests back to back. */
    public long prefillCycles(int pos, int tokens) {
        return prefillFirstInToLastOut(pos, tokens) + 1;
    }

    /** Steady state per token of a request: its cycles over its T tokens. */
    public double prefillCyclesPerToken(int pos, int tokens) {
        return (double) prefillCycles(pos, tokens) / tokens;
    }

    /** Multiply-accumulates per cycle over all 2P multipliers of a head, over the whole request (as {@link #laneUtilization}). */
    public double prefillLaneUtilization(int pos, int tokens) {
        long rows = 0;
        for (int i = 0; i < tokens; i++) {
            rows += rowsSeen(pos + i);
        }
        return (double) rows * cfg.headDim() / ((double) cfg.lanes() * prefillCycles(pos, tokens));
    }

    /** Rows a token at cache position t attends over: its own row appended, at most L. */
    private int rowsSeen(int t) {
        return Math.min(t + 1, cfg.maxSeq());
    }

    private void requirePrefill(int pos, int tokens) {
        if (pos < 0 || tokens < 1) {
            throw new IllegalArgumentException("a prefill starts at cache position >= 0 with >= 1 tokens, got position " + pos + ", " + tokens + " tokens");
        }
    }

    private void requireRows(int n) {
        if (n < 1 || n > cfg.maxSeq()) {
            throw new IllegalArgumentException("a token attends over 1.." + cfg.maxSeq() + " rows, got " + n);
        }
    }
}
