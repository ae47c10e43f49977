package dev.qforge.generators.registry;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One option of a generator, declared once: its name (as a pom's {@code <options>} element and, with
 * {@code --}, on the command line), what it takes, its default and a one-line doc. The command line,
 * its help pages, the Maven plugin and the README's option tables all read this declaration.
 *
 * @param name         e.g. {@code max-k}
 * @param kind         a whole number in {@code min..max}, one of {@code values}, or true/false (a flag)
 * @param values       a choice's values, in the order help lists them
 * @param aliases      other spellings a choice accepts, each -> the value it means
 * @param defaultValue the value when the option is left out
 * @param bareValue    the value of a choice given without one on the command line ({@code --requant}
 *                     alone), or null when it always takes one
 * @param bareQualifier a command-line option that picks the value of the bare form instead
 *                     ({@code --requant --rounding single}), or null
 * @param following    how the default of a left-out option follows the other options ({@code kv-group}: at most
 *                     {@code max-seq}), or null when it is {@code defaultValue} whatever they are
 */
public record Option(String name, Kind kind, int min, int max, List<String> values, Map<String, String> aliases,
                     String defaultValue, String doc, String bareValue, String bareQualifier, Following following) {
    public enum Kind { INTEGER, CHOICE, FLAG }

    /**
     * A default that follows the other options, so that leaving the option out never makes a shape invalid
     * that only needs a smaller default; an option given explicitly keeps its value and is checked as given.
     *
     * @param note  how help and the README word it after the declared default: "at most max-seq"
     * @param value the option's value given every option resolved, this one at its declared default
     */
    public record Following(String note, Function<Map<String, String>, String> value) { }

    public Option {
        values = List.copyOf(values);
        aliases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
    }

    public static Option integer(String name, int min, int max, int defaultValue, String doc) {
        return new Option(name, Kind.INTEGER, min, max, List.of(), Map.of(), Integer.toString(defaultValue), doc, null, null, null);
    }

    public static Option choice(String name, Collection<String> values, String defaultValue, String doc) {
        return new Option(name, Kind.CHOICE, 0, 0, List.copyOf(values), Map.of(), defaultValue, doc, null, null, null);
    }

    /** A true/false option, false by default; on the command line a flag. */
    public static Option flag(String name, String doc) {
        return new Option(name, Kind.FLAG, 0, 0, List.of(), Map.of(), "false", doc, null, null, null);
    }

    /** This choice also accepting {@code spelling} for {@code value}. */
    public Option withAlias(String spelling, String value) {
        Map<String, String> a = new LinkedHashMap<>(aliases);
        a.put(spelling, value);
        return new Option(name, kind, min, max, values, a, defaultValue, doc, bareValue, bareQualifier, following);
    }

    /** This option with another default (a bench's realistic shape); {@code value} is checked as a given one is. */
    public Option withDefault(String value) {
        return new Option(name, kind, min, max, values, aliases, check(value), doc, bareValue, bareQualifier, following);
    }

    /** This choice given alone on the command line meaning {@code value}, or {@code qualifier}'s value when that is given. */
    public Option withBareValue(String value, String qualifier) {
        return new Option(name, kind, min, max, values, aliases, defaultValue, doc, value, qualifier, following);
    }

    /** This option's default, when left out, following the other options as {@code value} computes it (see {@link Following}). */
    public Option withDefaultFollowing(String note, Function<Map<String, String>, String> value) {
        return new Option(name, kind, min, max, values, aliases, defaultValue, doc, bareValue, bareQualifier, new Following(note, value));
    }

    /** The value of this option left out, given every option {@code resolved} (this one at its declared default), checked. */
    public String leftOutValue(Map<String, String> resolved) {
        return following == null ? resolved.get(name) : check(following.value().apply(resolved));
    }

    /** The default as help and the README show it: {@code 32}, or {@code 32, at most max-seq} when it follows the others. */
    public String defaultText() {
        return following == null ? defaultValue : defaultValue + ", " + following.note();
    }

    /** {@code value} checked and normalised (trimmed, an alias replaced by its value); an {@link InvalidOption} names what is wrong. */
    public String check(String value) {
        if (value == null) {
            throw new InvalidOption(name, "has no value");
        }
        String v = value.strip();
        switch (kind) {
            case INTEGER -> {
                int n;
                try {
                    n = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new InvalidOption(name, isWholeNumber(v) ? outOfRange(v) : "takes a whole number, got '" + value + "'");
                }
                if (n < min || n > max) {
                    throw new InvalidOption(name, outOfRange(Integer.toString(n)));
                }
                return Integer.toString(n);
            }
            case FLAG -> {
                if (!v.equals("true") && !v.equals("false")) {
                    throw new InvalidOption(name, "must be true or false, got '" + value + "'");
                }
                return v;
            }
            default -> {
                String canonical = aliases.getOrDefault(v, v);
                if (!values.contains(canonical)) {
                    List<String> spellings = new java.util.ArrayList<>(values);
                    spellings.addAll(aliases.keySet());
                    throw new InvalidOption(name, "must be " + oneOf(values)
                            + aliasNote()
                            + ", got '" + value + "'" + DidYouMean.hint(v, spellings));
                }
                return canonical;
            }
        }
    }

    /**
     * Whether {@code text} is digits, signed or not: such a text that {@link Integer#parseInt} rejects is a whole
     * number beyond int (2147483648, 1e9 written out), so out of range rather than malformed.
     */
    public static boolean isWholeNumber(String text) {
        return text.matches("[+-]?[0-9]+");
    }

    /** "must be in 1..256, got 300": the problem of the whole number {@code number} outside this option's range. */
    public String outOfRange(String number) {
        return "must be in " + min + ".." + max + ", got " + number;
    }

    /** " (single, double also accepted)" for a choice with aliases, else "": for messages listing the values. */
    public String aliasNote() {
        return aliases.isEmpty() ? "" : " (" + String.join(", ", aliases.keySet()) + " also accepted)";
    }

    /** What the option takes, as help and the README show it: {@code 1..256}, {@code ws|os}, or "" for a flag. */
    public String syntax() {
        return switch (kind) {
            case INTEGER -> min + ".." + max;
            case CHOICE -> String.join("|", values);
            case FLAG -> "";
        };
    }

    /** "a, b or c". */
    public static String oneOf(List<String> words) {
        return words.size() == 1 ? words.get(0)
                : String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }
}
