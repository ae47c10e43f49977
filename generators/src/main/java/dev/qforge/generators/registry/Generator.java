package dev.qforge.generators.registry;

import dev.qforge.generators.BlockInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A built-in generator as the command line ({@code qforge generate NAME}), the Maven plugin and
 * the spec language see it: its name, a one-line summary, its options declared once, and how to
 * build a block from them.
 *
 * @param name          e.g. {@code systolic}
 * @param summary       one line: what it generates
 * @param options       every option, in the order help lists them
 * @param designName    the default design (and output folder) name for resolved options
 * @param factory       builds the block from options (checked by {@link #resolve} first)
 * @param notApplicable why a given option means nothing with the other options (null: it applies)
 */
public record Generator(String name, String summary, List<Option> options, Function<Map<String, String>, String> designName,
                        Factory factory, NotApplicable notApplicable) {
    /** Builds a block from its design name and every option (resolved). */
    @FunctionalInterface
    public interface Factory {
        BlockInfo build(String designName, Map<String, String> options);
    }

    /**
     * An option that only means something with some values of the others (a scale format only with
     * group scales), so that one given where it means nothing is refused, not silently ignored, even
     * at its default.
     */
    @FunctionalInterface
    public interface NotApplicable {
        /** Why {@code option} means nothing given every option resolved ("applies only with ..."), or null when it applies. */
        String reason(String option, Map<String, String> resolved);
    }

    public Generator {
        options = List.copyOf(options);
    }

    /** A generator whose options all apply whatever the others are. */
    public Generator(String name, String summary, List<Option> options, Function<Map<String, String>, String> designName, Factory factory) {
        this(name, summary, options, designName, factory, (option, resolved) -> null);
    }

    /**
     * This generator with some options' defaults replaced (a bench's realistic shape): everything
     * else, names, ranges, choices, defaults' following and "does not apply" rules, stays the declaration's.
     */
    public Generator withDefaults(Map<String, String> defaults) {
        for (String key : defaults.keySet()) {
            if (option(key) == null) {
                throw new IllegalArgumentException(key + " is not an option of the " + name + " generator");
            }
        }
        List<Option> overlaid = options.stream().map(o -> defaults.containsKey(o.name()) ? o.withDefault(defaults.get(o.name())) : o).toList();
        return new Generator(name, summary, overlaid, designName, factory, notApplicable);
    }

    /** The declared option {@code name}, or null. */
    public Option option(String optionName) {
        return options.stream().filter(o -> o.name().equals(optionName)).findFirst().orElse(null);
    }

    public List<String> optionNames() {
        return options.stream().map(Option::name).toList();
    }

    /**
     * Every declared option, in declaration order: the given ones checked and normalised, the
     * others at their defaults (following the other options where the option's {@link Option.Following} says so). An unknown option, a bad value
     * or a given option that does not apply to the others ({@link #notApplicable}) is an
     * {@link InvalidOption}.
     */
    public Map<String, String> resolve(Map<String, String> given) {
        Map<String, String> resolved = complete(given);
        for (String key : given.keySet()) {
            String reason = notApplicable.reason(key, resolved);
            if (reason != null) {
                throw new InvalidOption(key, reason);
            }
        }
        return resolved;
    }

    /**
     * {@link #resolve} without refusing options that do not apply: a sweep crosses an option's
     * values with points where it does not apply; {@link #buildResolved} fails those points alone.
     */
    public Map<String, String> complete(Map<String, String> given) {
        for (String key : given.keySet()) {
            if (option(key) == null) {
                throw new InvalidOption(key, "is not an option of the " + name + " generator" + DidYouMean.hint(key, optionNames())
                        + "; its options are " + String.join(", ", optionNames()));
            }
        }
        Map<String, String> resolved = new LinkedHashMap<>();
        for (Option o : options) {
            resolved.put(o.name(), given.containsKey(o.name()) ? o.check(given.get(o.name())) : o.defaultValue());
        }
        for (Option o : options) {
            if (!given.containsKey(o.name())) {
                resolved.put(o.name(), o.leftOutValue(resolved));
            }
        }
        return resolved;
    }

    /** The block for {@code given} options, named {@code designName} (the default name when null). */
    public BlockInfo build(String designName, Map<String, String> given) {
        Map<String, String> resolved = resolve(given);
        return factory.build(designName != null ? designName : this.designName.apply(resolved), resolved);
    }

    /**
     * The block, by its default name, for a sweep point's options ({@link #complete}: every option):
     * one that does not apply is taken as left out at its declared default and refused otherwise.
     */
    public BlockInfo buildResolved(Map<String, String> resolved) {
        Map<String, String> all = complete(resolved);
        Map<String, String> given = new LinkedHashMap<>(all);
        given.entrySet().removeIf(e -> e.getValue().equals(option(e.getKey()).defaultValue()) && notApplicable.reason(e.getKey(), all) != null);
        return build(null, given);
    }
}
