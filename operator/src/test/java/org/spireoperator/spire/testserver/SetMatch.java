package org.spireoperator.spire.testserver;

import java.util.Collections;
import java.util.Set;
import org.spireoperator.spire.EntryFilter.Match;

/**
 * The match behaviours of SPIRE's SQL datastore ({@code sqlstore.go}), for a stored set {@code
 * have} and a requested set {@code wanted} (never empty: the API refuses empty filters).
 *
 * <p>Selectors are matched in two steps, and the difference shows in paging: the SQL query
 * preselects (EXACT and SUPERSET: {@code have ⊇ wanted}; SUBSET and ANY: they intersect) and limits
 * the page; then EXACT and SUBSET drop rows whose selectors are not all wanted ({@code have ⊆
 * wanted}). So EXACT is equality, SUBSET is {@code have ⊆ wanted}, SUPERSET {@code have ⊇ wanted},
 * ANY a non-empty intersection.
 *
 * <p>Federated trust domains are matched in SQL alone: EXACT equality, SUBSET {@code have ⊆ wanted}
 * with {@code have} non-empty, SUPERSET {@code have ⊇ wanted}, ANY a non-empty intersection.
 */
final class SetMatch {

  private SetMatch() {}

  static <T> boolean selectorsPreselected(Match match, Set<T> have, Set<T> wanted) {
    return switch (match) {
      case EXACT, SUPERSET -> have.containsAll(wanted);
      case SUBSET, ANY -> !Collections.disjoint(have, wanted);
    };
  }

  static boolean hasSelectorPostFilter(Match match) {
    return match == Match.EXACT || match == Match.SUBSET;
  }

  static <T> boolean selectorsKept(Match match, Set<T> have, Set<T> wanted) {
    return !hasSelectorPostFilter(match) || wanted.containsAll(have);
  }

  static <T> boolean selectorsMatch(Match match, Set<T> have, Set<T> wanted) {
    return selectorsPreselected(match, have, wanted) && selectorsKept(match, have, wanted);
  }

  static <T> boolean federatesWithMatch(Match match, Set<T> have, Set<T> wanted) {
    return switch (match) {
      case EXACT -> have.equals(wanted);
      case SUBSET -> !have.isEmpty() && wanted.containsAll(have);
      case SUPERSET -> have.containsAll(wanted);
      case ANY -> !Collections.disjoint(have, wanted);
    };
  }

  /**
   * The proto enum's number as SPIRE's datastore reads it; unknown numbers fail like the real
   * "unhandled" error.
   */
  static Match fromNumber(int number, String what) {
    return switch (number) {
      case 0 -> Match.EXACT;
      case 1 -> Match.SUBSET;
      case 2 -> Match.SUPERSET;
      case 3 -> Match.ANY;
      default ->
          throw new ItemFailure(
              io.grpc.Status.Code.INTERNAL,
              "unhandled " + what + " match behavior \"" + number + "\"");
    };
  }
}
