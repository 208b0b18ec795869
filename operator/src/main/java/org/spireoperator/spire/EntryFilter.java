package org.spireoperator.spire;

import java.util.Set;

/**
 * A server-side filter for ListEntries. Null fields do not filter. Selectors match according to
 * {@link Match}.
 */
public record EntryFilter(
    SpiffeId bySpiffeId,
    SpiffeId byParentId,
    Set<Selector> bySelectors,
    Match selectorMatch,
    Set<String> byFederatesWith,
    Match federatesWithMatch,
    String byHint) {

  /** Match behaviours of SPIRE's SelectorMatch/FederatesWithMatch. */
  public enum Match {
    EXACT,
    SUBSET,
    SUPERSET,
    ANY
  }

  public EntryFilter {
    bySelectors = bySelectors == null ? null : Set.copyOf(bySelectors);
    byFederatesWith = byFederatesWith == null ? null : Set.copyOf(byFederatesWith);
  }

  public static EntryFilter all() {
    return new EntryFilter(null, null, null, null, null, null, null);
  }

  public static EntryFilter byParent(SpiffeId parent) {
    return new EntryFilter(null, parent, null, null, null, null, null);
  }

  /** The children of {@code parent} that carry every one of {@code selectors} (and maybe more). */
  public static EntryFilter childrenWith(SpiffeId parent, Set<Selector> selectors) {
    return new EntryFilter(null, parent, selectors, Match.SUPERSET, null, null, null);
  }

  /** The children of {@code parent} with the SPIFFE ID {@code id}. */
  public static EntryFilter childrenNamed(SpiffeId parent, SpiffeId id) {
    return new EntryFilter(id, parent, null, null, null, null, null);
  }

  public static EntryFilter bySpiffeId(SpiffeId id) {
    return new EntryFilter(id, null, null, null, null, null, null);
  }

  public static EntryFilter bySelectors(Set<Selector> selectors, Match match) {
    return new EntryFilter(null, null, selectors, match, null, null, null);
  }
}
