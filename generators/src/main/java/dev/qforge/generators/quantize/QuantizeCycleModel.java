package dev.qforge.generators.quantize;

/**
 * The quantize unit's timing with no input bubbles and no back-pressure. A block's scale is known
 * only after its last element, so the unit buffers whole blocks (two, ping-pong) and sends a block
 * while it takes the next: the first code beat leaves {@link #latency()} = beats per block + 1
 * cycles after the block's first beat was accepted (the + 1 is the output register), and blocks
 * follow each other every beats-per-block cycles (one beat per cycle in and out).
 */
public final class QuantizeCycleModel {
    private final QuantizeConfig cfg;

    public QuantizeCycleModel(QuantizeConfig cfg) {
        this.cfg = cfg;
    }

    /** Cycles from a block's first input beat accepted to its first output beat. */
    public int latency() {
        return cfg.beatsPerBlock() + 1;
    }

    /** Cycles between the starts of successive blocks in steady state. */
    public int initiationInterval() {
        return cfg.beatsPerBlock();
    }

    /** Cycles from the first input beat accepted to the last output beat of {@code blocks} back-to-back blocks. */
    public long firstInToLastOut(long blocks) {
        if (blocks < 1) {
            throw new IllegalArgumentException("blocks must be >= 1, got " + blocks);
        }
        return latency() + blocks * cfg.beatsPerBlock() - 1;
    }
}
