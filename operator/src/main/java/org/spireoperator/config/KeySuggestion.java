package org.spireoperator.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Finds the known key a misspelt one most likely meant, by edit distance. */
final class KeySuggestion {

  private KeySuggestion() {}

  /**
   * The known key nearest to {@code unknown}, if it is a plausible typo: at most a third of the
   * unknown key's length (and at least 2) edits away, or a truncation or extension of it (e.g.
   * "resync" for "resync_period").
   */
  static Optional<String> nearest(String unknown, Collection<String> known) {
    String typo = unknown.toLowerCase(Locale.ROOT);
    int limit = Math.max(2, typo.length() / 3);
    return known.stream()
        .filter(
            k ->
                distance(typo, k) <= limit
                    || (Math.min(typo.length(), k.length()) >= 4
                        && (k.startsWith(typo) || typo.startsWith(k))))
        .min(Comparator.comparingInt((String k) -> distance(typo, k)).thenComparing(k -> k));
  }

  /**
   * Optimal string alignment distance: insertions, deletions, substitutions and adjacent
   * transpositions.
   */
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
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
