package dev.qforge.spec.check;

import dev.qforge.generators.BlockInfo;
import dev.qforge.generators.registry.Generator;
import dev.qforge.spec.diag.Location;

import java.util.List;
import java.util.Map;

/**
 * A checked block: an instance of a registered generator with its options.
 *
 * @param at      the block's name in its statement (where notes about it point)
 * @param options the options as given (checked), in spec order
 */
public record Block(String name, Generator generator, Location at, Map<String, String> options, BlockInfo info, List<StreamPort> streams) {
    public StreamPort stream(String streamName) {
        return streams.stream().filter(s -> s.name().equals(streamName)).findFirst().orElse(null);
    }

    public List<String> streamNames() {
        return streams.stream().map(StreamPort::name).toList();
    }
}
