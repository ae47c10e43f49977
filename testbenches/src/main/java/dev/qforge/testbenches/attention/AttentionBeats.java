package dev.qforge.testbenches.attention;

import dev.qforge.generators.attention.AttentionConfig;
import dev.qforge.generators.attention.AttentionGolden;

import java.util.ArrayList;
import java.util.List;

/**
 * The beats of the attention engine's streams for one token (a decode token or one token of a
 * prefill request), in its port order: what the co-simulation tests and the benchmark send and expect.
 */
public final class AttentionBeats {
    private AttentionBeats() { }

    /** One token's {@code in} beats with one K/V head. */
    public static List<long[]> in(AttentionConfig cfg, boolean first, int[][] q, int[] k, int[] v) {
        return in(cfg, first, q, new int[][] {k}, new int[][] {v});
    }

    /**
     * One token's {@code in} beats: per beat of lanes elements, the first flag (on a new sequence's
     * first beat), each head's query lanes, each K/V head's key lanes, each K/V head's value lanes.
     */
    public static List<long[]> in(AttentionConfig cfg, boolean first, int[][] q, int[][] k, int[][] v) {
        int p = cfg.lanes();
        int heads = cfg.heads();
        int kvHeads = cfg.kvHeads();
        List<long[]> beats = new ArrayList<>();
        for (int c = 0; c < cfg.chunks(); c++) {
            long[] b = new long[1 + (heads + 2 * kvHeads) * p];
            b[0] = first && c == 0 ? 1 : 0;
            for (int l = 0; l < p; l++) {
                for (int h = 0; h < heads; h++) {
                    b[1 + h * p + l] = q[h][c * p + l];
                }
                for (int g = 0; g < kvHeads; g++) {
                    b[1 + (heads + g) * p + l] = k[g][c * p + l];
                    b[1 + (heads + kvHeads + g) * p + l] = v[g][c * p + l];
                }
            }
            beats.add(b);
        }
        return beats;
    }

    /** One token's {@code out} beats: the dropped flag, each head's output lanes. */
    public static List<long[]> out(AttentionConfig cfg, AttentionGolden.Output o) {
        int p = cfg.lanes();
        List<long[]> beats = new ArrayList<>();
        for (int c = 0; c < cfg.chunks(); c++) {
            long[] b = new long[1 + cfg.heads() * p];
            b[0] = o.dropped() ? 1 : 0;
            for (int h = 0; h < cfg.heads(); h++) {
                for (int l = 0; l < p; l++) {
                    b[1 + h * p + l] = o.o()[h][c * p + l];
                }
            }
            beats.add(b);
        }
        return beats;
    }
}
