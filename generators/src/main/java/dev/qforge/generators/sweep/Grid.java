package dev.qforge.generators.sweep;

import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Option;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The design points of a sweep: every combination of the values given per option of one
 * generator (options left out keep their defaults). Values come as text from the command line
 * ({@code 4,8,16}, {@code 4..32}, {@code 4..32:4}, {@code int8,int4}) or as lists from a spec's
 * ranges; each is checked by its {@link Option}. Points are in a fixed order (options in the
 * generator's declaration order, the last one varying fastest) and carry an id that depends only
 * on the generator and the point's resolved options, so a grown grid keeps the ids of old points.
 */
public final class Grid {
    /** Largest grid a sweep accepts: beyond it a typo in a range ({@code 1..100000}) is likelier than intent. */
    public static final long MAX_POINTS = 1_000_000;

    /** One design point: its id and every option of the generator, resolved. */
    public record Point(String id, Map<String, String> options) { }

    private final Generator generator;
    private final Map<String, List<String>> values;

    /** The grid of {@code values} (option -> its values, each checked) of {@code generator}. */
    public Grid(Generator generator, Map<String, List<String>> values) {
        this.generator = generator;
        Map<String, List<String>> checked = new LinkedHashMap<>();
        for (String name : values.keySet()) {
            if (generator.option(name) == null) {
                generator.resolve(Map.of(name, "")); // throws the registry's "not an option" message, with did-you-mean
            }
        }
        for (Option o : generator.options()) {
            List<String> given = values.get(o.name());
            if (given == null) {
                continue;
            }
            if (given.isEmpty()) {
                throw new InvalidOption(o.name(), "has no values to sweep");
            }
            LinkedHashSet<String> distinct = new LinkedHashSet<>();
            for (String v : given) {
                distinct.add(o.check(v));
            }
            checked.put(o.name(), List.copyOf(distinct));
        }
        this.values = java.util.Collections.unmodifiableMap(checked);
        if (size() > MAX_POINTS) {
            throw new IllegalArgumentException("the grid has " + size() + " points, more than the " + MAX_POINTS + " a sweep takes; narrow a range");
        }
    }

    /**
     * The values of one option as the command line writes them: a comma-separated list whose items
     * are values or, for a whole-number option, ranges {@code lo..hi} (every number) and
     * {@code lo..hi:step}. A flag given no values means true.
     */
    public static List<String> parseValues(Option o, String text) {
        if (text == null || text.isBlank()) {
            if (o.kind() == Option.Kind.FLAG) {
                return List.of("true");
            }
            if (o.bareValue() != null) {
                return List.of(o.bareValue());
            }
            throw new InvalidOption(o.name(), "needs values to sweep, e.g. " + example(o));
        }
        List<String> out = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            String s = item.strip();
            if (s.isEmpty()) {
                throw new InvalidOption(o.name(), "has an empty item in '" + text + "'");
            }
            int dots = s.indexOf("..");
            if (dots < 0) {
                out.add(s);
                continue;
            }
            if (o.kind() != Option.Kind.INTEGER) {
                throw new InvalidOption(o.name(), "takes a list of values (" + o.syntax() + "), not a range: '" + s + "'");
            }
            String hiText = s.substring(dots + 2);
            int step = 1;
            int colon = hiText.indexOf(':');
            if (colon >= 0) {
                step = number(o, hiText.substring(colon + 1), s);
                hiText = hiText.substring(0, colon);
                if (step < 1) {
                    throw new InvalidOption(o.name(), "range step must be at least 1, got " + step + " in '" + s + "'");
                }
            }
            int lo = number(o, s.substring(0, dots), s);
            int hi = number(o, hiText, s);
            if (lo > hi) {
                throw new InvalidOption(o.name(), "range '" + s + "' is empty (" + lo + " > " + hi + ")");
            }
            if ((long) (hi - lo) / step + out.size() >= MAX_POINTS) {
                throw new InvalidOption(o.name(), "range '" + s + "' has more than " + MAX_POINTS + " values");
            }
            for (long v = lo; v <= hi; v += step) {
                out.add(Long.toString(v));
            }
        }
        return out;
    }

    private static int number(Option o, String text, String item) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            if (Option.isWholeNumber(text.strip())) { // beyond int: worded as the option words it, after the range it is in
                throw new InvalidOption(o.name(), "range '" + item + "': " + o.outOfRange(text.strip()));
            }
            throw new InvalidOption(o.name(), "range '" + item + "' needs whole numbers, as in " + example(o));
        }
    }

    private static String example(Option o) {
        return switch (o.kind()) {
            case INTEGER -> "--" + o.name() + " 4,8,16 or --" + o.name() + " 4..32:4";
            case CHOICE -> "--" + o.name() + " " + String.join(",", o.values());
            case FLAG -> "--" + o.name() + " true,false";
        };
    }

    public Generator generator() { return generator; }

    /** The swept options and their values (checked, normalised, duplicates dropped), in declaration order. */
    public Map<String, List<String>> values() { return values; }

    public long size() {
        long n = 1;
        for (List<String> v : values.values()) {
            n *= v.size();
        }
        return n;
    }

    /** Every point, in grid order. */
    public List<Point> points() {
        List<Point> points = new ArrayList<>();
        for (Map<String, String> given : combinations(values)) {
            Map<String, String> resolved = generator.complete(given);
            points.add(new Point(id(generator.name(), resolved), resolved));
        }
        return points;
    }

    /** Every combination of {@code values} (name -> its values), the last name varying fastest. */
    public static List<Map<String, String>> combinations(Map<String, List<String>> values) {
        List<Map<String, String>> out = new ArrayList<>();
        List<String> names = List.copyOf(values.keySet());
        int[] at = new int[names.size()];
        while (true) {
            Map<String, String> given = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                given.put(names.get(i), values.get(names.get(i)).get(at[i]));
            }
            out.add(given);
            int i = names.size() - 1;
            while (i >= 0 && ++at[i] == values.get(names.get(i)).size()) {
                at[i--] = 0;
            }
            if (i < 0) {
                return out;
            }
        }
    }

    /** The points of chunk {@code index} of {@code count}: every count-th point from the index-th, so chunks take equal shares of large and small points. */
    public List<Point> chunk(int index, int count) {
        return chunk(points(), index, count);
    }

    /** Chunk {@code index} of {@code count} of {@code all}, as {@link #chunk(int, int)} takes it. */
    public static List<Point> chunk(List<Point> all, int index, int count) {
        List<Point> mine = new ArrayList<>();
        for (int i = index; i < all.size(); i += count) {
            mine.add(all.get(i));
        }
        return mine;
    }

    /** A point's id: the first 12 hex digits of SHA-256 over the generator's name and every resolved option. */
    public static String id(String generator, Map<String, String> resolved) {
        StringBuilder sb = new StringBuilder(generator);
        resolved.forEach((k, v) -> sb.append('\n').append(k).append('=').append(v));
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
