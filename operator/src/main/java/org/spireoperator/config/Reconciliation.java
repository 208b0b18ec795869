package org.spireoperator.config;

import java.time.Duration;

/**
 * How the operator reconciles, beyond reacting to each change.
 *
 * @param resyncPeriod {@code resync_period}: interval of the full pass (positive)
 * @param podController {@code pod_controller} (crd mode): write pod identities as SpiffeID objects
 * @param adoptUpstreamSpiffeIdEntries {@code adopt_upstream_spiffeid_entries}: SpiffeIDs adopt the
 *     entries upstream's registrar wrote for them (a migration switch, off by default)
 */
public record Reconciliation(
    Duration resyncPeriod, boolean podController, boolean adoptUpstreamSpiffeIdEntries) {

  public Reconciliation {
    if (!Durations.isPositive(resyncPeriod)) {
      throw new IllegalArgumentException("resyncPeriod must be positive");
    }
  }
}
