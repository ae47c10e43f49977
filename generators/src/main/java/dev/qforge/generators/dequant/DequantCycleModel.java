package dev.qforge.generators.dequant;

/**
 * Exact timing of a {@link Dequantizer}: a beat offered on cycle t with the output ready appears
 * on out_valid at cycle t + {@link #latency}; one beat per cycle (II = 1) while ready stays high;
 * a low out_ready holds the whole pipeline, so every stall cycle delays each later beat by one.
 */
public final class DequantCycleModel {
    private DequantCycleModel() { }

    /** Register stages: input, product; float output adds normalise, shift amount, round and pack. */
    public static int latency(DequantConfig cfg) {
        return cfg.out() == null ? 2 : 2 + FloatRounder.LATENCY;
    }

    /** Beats of {@code codes} values (the last beat padded). */
    public static long beats(DequantConfig cfg, long codes) {
        return (codes + cfg.lanes() - 1) / cfg.lanes();
    }

    /** Cycles from the first input beat to the last output beat of {@code beats} back-to-back beats, no stalls. */
    public static long firstInToLastOut(DequantConfig cfg, long beats) {
        return beats - 1 + latency(cfg);
    }
}
