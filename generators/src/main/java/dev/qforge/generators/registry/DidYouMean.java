package dev.qforge.generators.registry;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** The known word closest to a misspelt one, for "did you mean" hints; only near misses count. */
public final class DidYouMean {
    /** At most this many edits (insert, delete, replace a character) away. */
    private static final int MAX_EDITS = 2;

    private DidYouMean() { }

    /**
     * The closest of {@code known} to {@code given} (the first of equally close ones), if any is a near miss:
     * case aside, fewer edits than {@code given} has characters (an empty word or "8" is near nothing) and at most
     * {@value #MAX_EDITS}.
     */
    public static Optional<String> closest(String given, Collection<String> known) {
        String best = null;
        int bestDistance = Math.min(MAX_EDITS + 1, given.length());
        for (String k : known) {
            int d = editDistance(given.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return Optional.ofNullable(best);
    }

    /** " (did you mean X?)" when a near miss exists, else "". */
    public static String hint(String given, Collection<String> known) {
        return closest(given, known).map(k -> " (did you mean " + k + "?)").orElse("");
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int same = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + same);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
