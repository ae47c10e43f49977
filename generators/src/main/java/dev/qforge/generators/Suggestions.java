package dev.qforge.generators;

import java.util.Collection;

/** "Did you mean ...?" for a misspelt name: the one known name a near miss away, for every place that refuses a name. */
public final class Suggestions {
    /** At most this many single-character edits make a near miss. */
    private static final int MAX_EDITS = 2;

    private Suggestions() { }

    /** The known name closest to {@code wrong} within two edits (the first in {@code known}'s order on a tie), or null. */
    public static String closest(String wrong, Collection<String> known) {
        String closest = null;
        int best = MAX_EDITS + 1;
        for (String k : known) {
            int d = editDistance(wrong, k);
            if (d < best) {
                best = d;
                closest = k;
            }
        }
        return closest;
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
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
