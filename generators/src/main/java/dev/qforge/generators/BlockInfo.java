package dev.qforge.generators;

import dev.qforge.dsl.Module;

import java.util.List;
import java.util.Map;

/**
 * What a block generator tells its report beyond the hardware itself: the parameters it was built
 * with, a port table an engineer can integrate from, and the figures of its cycle model. The
 * report adds resources and Fmax (estimated from the elaborated design and, when Yosys is
 * installed, synthesised).
 */
public interface BlockInfo {
    /** The design's name: the output folder name and the report title. */
    String designName();

    /** The top module to elaborate. */
    Module top();

    /** Generation parameters in a stable, meaningful order (name -> value as the user would write it). */
    Map<String, String> parameters();

    /** Every top-level port with its meaning and protocol. */
    List<PortDoc> ports();

    /** The cycle model's figures for the block's reference workload, or null for a block without a cycle model. */
    Performance performance();

    /** Multiply-accumulate units (MACs per cycle at full use), for the report's MACs per DSP; 0 when the block does not say. */
    default long macUnits() {
        return 0;
    }

    /** The bytes the reference workload moves and its arithmetic intensity, or null where the block does not state them. */
    default MemoryTraffic memoryTraffic() {
        return null;
    }

    /** Token workloads (decode, prefill) whose cycles per token and tokens/s the report states; empty for a block without tokens. */
    default List<TokenWorkload> tokenWorkloads() {
        return List.of();
    }

    /** The output error against a float64 reference on a seeded workload, or null where the block does not state it. */
    default Accuracy accuracy() {
        return null;
    }

    /**
     * The number format of the lanes of {@code stream} where its port types do not say it: a float's
     * bit pattern is an unsigned port ({@code "fp32"}, {@code "bf16"}, {@code "fp16"}); null when the
     * port types are the format. A connection joins streams of one format only.
     */
    default String laneFormat(String stream) {
        return null;
    }
}
