package dev.moat.policy;

import java.util.Collection;
import java.util.Optional;

/**
 * "Did you mean" for a policy: the known name closest to a mistyped one (an unknown key, an agent
 * name that is not declared), when it is close enough to be a typo: at most a third of its
 * length in edits (insertions, deletions, substitutions, swaps of neighbours), and at least one.
 */
public final class Suggestions {
    private static final int MAX_LENGTH = 128;

    private Suggestions() {}

    /** The closest of {@code known} to {@code typed}, if it is a plausible typo. */
    public static Optional<String> closest(String typed, Collection<String> known) {
        if (typed == null || typed.isEmpty() || typed.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            if (k == null || k.length() > MAX_LENGTH || k.equals(typed)) {
                continue;
            }
            int d = distance(typed.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        int limit = Math.max(1, Math.max(typed.length(), best == null ? 0 : best.length()) / 3);
        return best != null && bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** {@code " (did you mean 'x'?)"} or the empty string. */
    public static String didYouMean(String typed, Collection<String> known) {
        return closest(typed, known).map(s -> " (did you mean '" + s + "'?)").orElse("");
    }

    /** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
