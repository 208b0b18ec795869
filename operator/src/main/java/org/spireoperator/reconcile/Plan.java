package org.spireoperator.reconcile;

import java.util.List;

/**
 * What {@code plan} shows: the writes a full pass would make, and the entries it would take over as
 * they are (no write): spire-controller-manager's, and upstream's SpiffeID entries.
 *
 * @param diff the creates, updates and deletes
 * @param adoptions taken-over or adopted entries a subject keeps unchanged
 */
public record Plan(EntryDiff diff, List<org.spireoperator.spire.Entry> adoptions) {

  public Plan {
    adoptions = List.copyOf(adoptions);
  }
}
