package dev.qforge.generators.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A choice option's values with what each selects, in the order help lists them: the one place a generator spells them. */
public final class Choices {
    private Choices() { }

    /** An insertion-ordered, unmodifiable map of name -> value pairs (a value may be null). */
    @SuppressWarnings("unchecked")
    public static <T> Map<String, T> ordered(Object... pairs) {
        Map<String, T> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (T) pairs[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The first name of {@code value} in {@code values}. */
    public static <T> String nameOf(Map<String, T> values, T value) {
        return values.entrySet().stream().filter(e -> Objects.equals(e.getValue(), value)).findFirst().orElseThrow().getKey();
    }
}
