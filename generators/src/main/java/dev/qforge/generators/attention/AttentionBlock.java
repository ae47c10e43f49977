package dev.qforge.generators.attention;

import dev.qforge.generators.Accuracy;
import dev.qforge.generators.ConfiguredBlock;
import dev.qforge.generators.MemoryTraffic;
import dev.qforge.generators.Performance;
import dev.qforge.generators.PortDoc;
import dev.qforge.generators.TokenWorkload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The attention engine as a block: its options, port table, and cycle-model figures for decode over a full cache and prefill. */
public final class AttentionBlock extends ConfiguredBlock<AttentionConfig> {
    public AttentionBlock(String designName, AttentionConfig cfg) {
        super(designName, cfg, AttentionDecode::new, AttentionOptions::of);
    }

    /** The block the registry's options describe (the Maven plugin's and {@code qforge generate attention}'s entry). */
    public static AttentionBlock fromOptions(String designName, Map<String, String> options) {
        return new AttentionBlock(designName, AttentionOptions.parse(options));
    }

    @Override
    public List<PortDoc> ports() {
        int p = cfg.lanes();
        List<PortDoc> d = new ArrayList<>();
        d.add(new PortDoc("clk", "in", 1, "clock", "every register samples on the rising edge"));
        d.add(new PortDoc("rst", "in", 1, "synchronous reset, active high", "empties the cache and drops the token in flight"));
        String in = "valid/ready stream 'in' (AXI4-Stream rules): a token is head-dim / lanes = " + cfg.chunks()
                + " beats, accepted while no token is in flight";
        d.add(new PortDoc("in_valid", "in", 1, in, "a beat is offered"));
        d.add(new PortDoc("in_ready", "out", 1, in, "the beat moves on a cycle where valid and ready are high"));
        d.add(new PortDoc("in_first", "in", 1, in, "on a token's first beat: start a new sequence (the cache is emptied first). "
                + "Decode and prefill share the stream: a prompt of T tokens is T tokens back to back, first set on the first, each token "
                + "appending its k, v row and attending over the rows cached so far, its own included and no later one (the causal mask); "
                + "a decode step is one more token with first clear"));
        String heads = cfg.heads() == 1 ? "" : "h";
        String ofHead = cfg.heads() == 1 ? "" : " of query head h (0.." + (cfg.heads() - 1) + ")";
        d.add(new PortDoc("in_q" + heads + "_0..in_q" + heads + "_" + (p - 1), "in", 8, in, "lane l of beat c = q[c * lanes + l]" + ofHead + ", int8"));
        String kv = cfg.kvHeads() == 1 ? "" : "g";
        String ofKvHead = cfg.kvHeads() == 1 ? "" : " of K/V head g (0.." + (cfg.kvHeads() - 1) + ", serving query heads g * "
                + cfg.groupSize() + " .. g * " + cfg.groupSize() + " + " + (cfg.groupSize() - 1) + ")";
        d.add(new PortDoc("in_k" + kv + "_0..in_k" + kv + "_" + (p - 1), "in", 8, in, "lane l of beat c = k[c * lanes + l]" + ofKvHead
                + ", int8, appended to the cache"));
        d.add(new PortDoc("in_v" + kv + "_0..in_v" + kv + "_" + (p - 1), "in", 8, in, "lane l of beat c = v[c * lanes + l]" + ofKvHead
                + ", int8, appended to the cache"));
        String out = "valid/ready stream 'out' (AXI4-Stream rules): " + cfg.chunks() + " beats per token; stalling ready holds the engine";
        d.add(new PortDoc("out_valid", "out", 1, out, "a beat is offered"));
        d.add(new PortDoc("out_ready", "in", 1, out, "the beat moves on a cycle where valid and ready are high"));
        d.add(new PortDoc("out_dropped", "out", 1, out, "the cache held max-seq rows: this token's k, v were not stored"));
        d.add(new PortDoc("out_o" + heads + "_0..out_o" + heads + "_" + (p - 1), "out", 8, out,
                "lane l of beat c = O[c * lanes + l]" + ofHead + " = softmax(q K^T / 2^score-shift) V, int8 in V's scale"));
        return d;
    }

    /** A decode step over a full cache (max-seq rows, nothing appended); MACs are those of Q.K^T and P.V of every head. */
    @Override
    public Performance performance() {
        AttentionCycleModel model = new AttentionCycleModel(cfg);
        int n = cfg.maxSeq();
        long ii = model.cyclesPerToken(n, true);
        return new Performance("decode step over " + n + " cached rows", model.firstInToFirstOut(n, true), model.firstInToLastOut(n, true), ii,
                2.0 * n * cfg.headDim() * cfg.heads() / ii, (int) model.firstInToFirstOut(1, false));
    }

    /**
     * A decode step over a full cache and the prefill of a max-seq-token prompt into an empty cache
     * (token t attending over t + 1 rows), each from the cycle model with its like back to back.
     */
    @Override
    public List<TokenWorkload> tokenWorkloads() {
        AttentionCycleModel model = new AttentionCycleModel(cfg);
        int n = cfg.maxSeq();
        return List.of(new TokenWorkload("decode step over " + n + " cached rows", 1, model.cyclesPerToken(n, true)),
                new TokenWorkload("prefill of a prompt of " + n + " tokens from an empty cache", n, model.prefillCycles(0, n)));
    }

    /** The golden model's (so the engine's) error against float64 attention ({@link AttentionAccuracy}). */
    @Override
    public Accuracy accuracy() {
        return AttentionAccuracy.measure(cfg);
    }

    /**
     * The decode step's bytes through the streams: each head's query and each K/V head's key and value
     * in, each head's output out. The K/V cache stays in the engine's block RAM, so it moves no bytes.
     */
    @Override
    public MemoryTraffic memoryTraffic() {
        long n = cfg.maxSeq();
        long d = cfg.headDim();
        return MemoryTraffic.of("decode step over " + n + " cached rows", 2 * n * d * cfg.heads(), 0, 0, (cfg.heads() + 2L * cfg.kvHeads()) * d * 8,
                cfg.heads() * d * 8, null, null);
    }
}
