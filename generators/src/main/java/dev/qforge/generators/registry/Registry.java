package dev.qforge.generators.registry;

import dev.qforge.generators.attention.AttentionOptions;
import dev.qforge.generators.dequant.DequantOptions;
import dev.qforge.generators.quantize.QuantizeOptions;
import dev.qforge.generators.systolic.SystolicOptions;

import java.util.List;

/** Every built-in generator: the one list the command line, the Maven plugin and the spec language look names up in. */
public final class Registry {
    private static final List<Generator> GENERATORS = List.of(SystolicOptions.GENERATOR, DequantOptions.GENERATOR, QuantizeOptions.GENERATOR,
            AttentionOptions.GENERATOR);

    private Registry() { }

    public static List<Generator> all() {
        return GENERATORS;
    }

    public static List<String> names() {
        return GENERATORS.stream().map(Generator::name).toList();
    }

    /** The generator {@code name}, or null. */
    public static Generator find(String name) {
        return GENERATORS.stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
    }

    /** The generator {@code name}; an unknown one is an {@link IllegalArgumentException} listing the generators, with "did you mean". */
    public static Generator named(String name) {
        Generator g = find(name);
        if (g == null) {
            throw new IllegalArgumentException(unknown(name));
        }
        return g;
    }

    /** "unknown generator 'X' (did you mean Y?); generators: ...". */
    public static String unknown(String name) {
        return "unknown generator '" + name + "'" + DidYouMean.hint(name, names()) + "; generators: " + String.join(", ", names());
    }
}
