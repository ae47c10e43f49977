package dev.qforge.generators.registry;

import java.util.LinkedHashMap;
import java.util.Map;

/** A generator's options as a Markdown table (the README's) and as help text, both from its declarations. */
public final class OptionTable {
    /** The widest usage that shares its line with its doc in help pages. */
    private static final int MAX_COLUMN = 40;

    private OptionTable() { }

    /** | option | values | default | what it does |, one row per option, as in the README. */
    public static String markdown(Generator g) {
        StringBuilder sb = new StringBuilder("| option | values | default | what it does |\n|---|---|---|---|\n");
        for (Option o : g.options()) {
            sb.append("| `--").append(o.name()).append("` | ").append(values(o).replace("|", "\\|")).append(" | ")
                    .append(o.defaultText()).append(" | ").append(o.doc()).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * The help page's option list: one aligned line per option (its doc, its default in brackets; a usage
     * wider than {@value #MAX_COLUMN} characters on a line of its own),
     * then the {@code more} lines (usage -> doc) of the command that runs the generator.
     */
    public static String help(Generator g, Map<String, String> more) {
        Map<String, String> lines = new LinkedHashMap<>();
        for (Option o : g.options()) {
            lines.put(usage(o), o.doc() + (o.kind() == Option.Kind.FLAG ? "" : " [" + o.defaultText() + "]"));
        }
        lines.putAll(more);
        // a long list of values (the MX element types) gets a line of its own instead of widening every line's column
        int width = lines.keySet().stream().mapToInt(String::length).filter(n -> n <= MAX_COLUMN).max().orElse(MAX_COLUMN);
        String indent = " ".repeat(2 + width + 2);
        StringBuilder sb = new StringBuilder();
        lines.forEach((usage, doc) -> sb.append("  ").append(usage.length() > width ? usage + "\n" + indent : String.format("%-" + width + "s  ", usage))
                .append(doc).append('\n'));
        return sb.toString();
    }

    /** {@code --rows 1..256}, {@code --requant [none|tflite|gemmlowp]}, {@code --bias}. */
    public static String usage(Option o) {
        String v = o.syntax();
        return "--" + o.name() + (v.isEmpty() ? "" : o.bareValue() != null ? " [" + v + "]" : " " + v);
    }

    private static String values(Option o) {
        String v = o.kind() == Option.Kind.FLAG ? "flag" : o.syntax();
        if (o.bareValue() != null) {
            v += "; alone: " + o.bareValue() + (o.bareQualifier() != null ? " or `--" + o.bareQualifier() + "`'s" : "");
        }
        if (!o.aliases().isEmpty()) {
            StringBuilder a = new StringBuilder();
            o.aliases().forEach((spelling, value) -> a.append(a.length() == 0 ? "" : ", ").append(spelling).append(" = ").append(value));
            v += " (also " + a + ")";
        }
        return v;
    }
}
