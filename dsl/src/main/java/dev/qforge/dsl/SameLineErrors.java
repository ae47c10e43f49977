package dev.qforge.dsl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges errors that one source line made several times, typically in a loop over the lanes of a
 * vector: one message, with how many times and for which signals ("8 times on this line: lanes 0..7
 * of 'y'"), instead of the same message per lane.
 */
final class SameLineErrors {
    private static final int NAMES_LISTED = 6;

    private SameLineErrors() { }

    /** {@code errors} with each group of same-line, same-message errors (differing only in their subject) merged, in first-seen order. */
    static List<Diagnostic> merge(List<Diagnostic> errors) {
        if (errors.size() < 2) {
            return errors;
        }
        Map<Object, List<Diagnostic>> groups = new LinkedHashMap<>();
        for (Diagnostic d : errors) {
            Object key = d.subject() == null ? d : d.where() + "\n" + d.message().replace("'" + d.subject().name() + "'", "'\0'");
            groups.computeIfAbsent(key, k -> new ArrayList<>(1)).add(d);
        }
        if (groups.size() == errors.size()) {
            return errors;
        }
        List<Diagnostic> merged = new ArrayList<>(groups.size());
        for (List<Diagnostic> g : groups.values()) {
            Diagnostic first = g.get(0);
            merged.add(g.size() == 1 ? first
                    : new Diagnostic(first.message() + " (" + g.size() + " times on this line: " + subjects(g) + ")", first.where(), first.subject()));
        }
        return merged;
    }

    /** "lanes 0..3, 5 of 'y'" when every subject is an element of one vector, else the names, a long list shortened. */
    private static String subjects(List<Diagnostic> g) {
        String vector = g.get(0).subject().vector();
        Set<Signal> distinct = new LinkedHashSet<>();
        for (Diagnostic d : g) {
            distinct.add(d.subject());
            if (vector != null && !vector.equals(d.subject().vector())) {
                vector = null;
            }
        }
        if (vector != null) {
            return "lane" + (distinct.size() == 1 ? " " : "s ") + lanes(distinct) + " of '" + vector + "'";
        }
        List<String> names = new ArrayList<>();
        for (Signal s : distinct) {
            if (names.size() == NAMES_LISTED) {
                names.add("and " + (distinct.size() - NAMES_LISTED) + " more");
                break;
            }
            names.add("'" + s.name() + "'");
        }
        return String.join(", ", names);
    }

    /** Lane numbers as ascending ranges: 0..7 or 0..3, 5, 9..10. */
    private static String lanes(Set<Signal> elements) {
        int[] ls = elements.stream().mapToInt(Signal::lane).sorted().toArray();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ls.length; ) {
            int j = i;
            while (j + 1 < ls.length && ls[j + 1] == ls[j] + 1) {
                j++;
            }
            sb.append(sb.length() == 0 ? "" : ", ").append(ls[i]).append(j > i ? ".." + ls[j] : "");
            i = j + 1;
        }
        return sb.toString();
    }
}
