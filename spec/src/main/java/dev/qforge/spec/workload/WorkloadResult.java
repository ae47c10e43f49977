package dev.qforge.spec.workload;

import java.util.List;

/**
 * A workload's layers and their figures.
 *
 * @param tokens tokens one pass through the layers produces (0 when the spec does not say)
 */
public record WorkloadResult(String name, long tokens, List<LayerResult> layers) {
    public long cycles() {
        return layers.stream().mapToLong(LayerResult::cycles).sum();
    }

    public long macs() {
        return layers.stream().mapToLong(LayerResult::macs).sum();
    }

    public long bytes() {
        return layers.stream().mapToLong(LayerResult::bytes).sum();
    }
}
