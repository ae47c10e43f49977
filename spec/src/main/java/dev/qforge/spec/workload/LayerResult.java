package dev.qforge.spec.workload;

/**
 * One layer of a workload as the blocks' cycle models run it.
 *
 * @param shape           as the spec gave it, e.g. "1 x 4096 x 4096" or "d 128, L 2048, heads 32/8, decode"
 * @param macs            multiply-accumulates of the layer
 * @param weightBytes     bytes of weights (or of the KV cache) the layer reads from external memory
 * @param activationBytes bytes of inputs it reads
 * @param resultBytes     bytes of outputs it writes
 */
public record LayerResult(String name, String kind, String shape, String block, long cycles, long macs, long weightBytes,
                          long activationBytes, long resultBytes) {
    /** Every byte the layer moves to and from external memory. */
    public long bytes() {
        return weightBytes + activationBytes + resultBytes;
    }
}
