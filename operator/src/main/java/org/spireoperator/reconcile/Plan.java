package org.spireoperator.reconcile;

import java.util.List;

/**
 * What {@code plan} shows: the writes a full pass would make, and the entries it would take over
 * from spire-controller-manager as they are (no write).
 *
 * @param diff the creates, updates and deletes
 * @param adoptions taken-over entries a subject keeps unchanged
 */
public record Plan(EntryDiff diff, List<org.spireoperator.spire.Entry> adoptions) {

  public Plan {
    adoptions = List.copyOf(adoptions);
  }
}
