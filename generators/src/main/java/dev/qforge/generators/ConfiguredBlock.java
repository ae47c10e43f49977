package dev.qforge.generators;

import dev.qforge.dsl.Module;

import java.util.Map;
import java.util.function.Function;

/**
 * A built-in generator's block: a design name, the configuration record it was built from, and
 * the top module the generator builds from that record. Its parameters are the record stated as
 * the generator's options, so the registry's factory given them builds the same block again. A
 * subclass adds only what is its own: ports, cycle-model figures, lane formats.
 *
 * @param <C> the configuration record
 */
public abstract class ConfiguredBlock<C> implements BlockInfo {
    private final String designName;
    protected final C cfg;
    private final Module top;
    private final Function<C, Map<String, String>> options;

    /**
     * @param generator builds the top module from {@code cfg}
     * @param options   states {@code cfg} as the generator's options (e.g. {@code AttentionOptions::of})
     */
    protected ConfiguredBlock(String designName, C cfg, Function<C, ? extends Module> generator, Function<C, Map<String, String>> options) {
        this.designName = designName;
        this.cfg = cfg;
        this.top = generator.apply(cfg);
        this.options = options;
    }

    public final C config() { return cfg; }

    @Override
    public final String designName() { return designName; }

    @Override
    public final Module top() { return top; }

    @Override
    public final Map<String, String> parameters() { return options.apply(cfg); }
}
