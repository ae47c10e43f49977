package dev.qforge.spec.workload;

/**
 * One layer of a workload as the blocks' cycle models run it.
 *
 * @param shape  as the spec gave it, e.g. "1 x 4096 x 4096" or "d 128, L 2048, heads 32/8, decode"
 * @param macs   multiply-accumulates of the layer
 * @param bytes  bytes the layer moves to and from external memory (weights or KV cache, inputs, outputs)
 */
public record LayerResult(String name, String kind, String shape, String block, long cycles, long macs, long bytes) { }
