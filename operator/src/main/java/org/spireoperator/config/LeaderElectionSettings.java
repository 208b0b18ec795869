package org.spireoperator.config;

import java.util.Objects;

/**
 * Leader election among replicas: only the leader writes to SPIRE.
 *
 * @param enabled {@code leader_election}
 * @param resourceLock {@code leader_election_resource_lock}: always "leases"
 * @param namespace {@code leader_election_namespace}: namespace of the Lease
 * @param leaseName {@code leader_election_lease_name}: name of the Lease
 */
public record LeaderElectionSettings(
    boolean enabled, String resourceLock, String namespace, String leaseName) {

  public LeaderElectionSettings {
    Objects.requireNonNull(resourceLock, "resourceLock");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(leaseName, "leaseName");
  }
}
