package org.spireoperator.app;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the leader Lease up on graceful shutdown, so that a follower takes over at its next retry
 * instead of waiting for the lease to expire. Only clears a lease this replica holds (optimistic
 * update on its version); a conflict with this replica's own last renewal is read again and
 * retried, at most {@value #ATTEMPTS} times.
 */
final class LeaseRelease {

  private static final Logger log = LoggerFactory.getLogger(LeaseRelease.class);

  private LeaseRelease() {}

  /** Attempts at most: a conflict means the lease changed since it was read (our own renewal). */
  static final int ATTEMPTS = 3;

  static void release(KubernetesClient client, OperatorOptions.LeaderElection le) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        releaseOnce(client, le);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          log.atWarn()
              .addKeyValue("lease", le.namespace() + "/" + le.name())
              .log("could not release leadership; it expires by itself: " + e.getMessage());
          return;
        }
      }
    }
  }

  /** Clears the lease if this replica holds it; a conflict is thrown for the caller to retry. */
  private static void releaseOnce(KubernetesClient client, OperatorOptions.LeaderElection le) {
    Lease lease = client.leases().inNamespace(le.namespace()).withName(le.name()).get();
    if (lease == null
        || lease.getSpec() == null
        || !le.identity().equals(lease.getSpec().getHolderIdentity())) {
      return;
    }
    lease.getSpec().setHolderIdentity("");
    lease.getSpec().setLeaseDurationSeconds(1);
    lease.getSpec().setRenewTime(ZonedDateTime.now());
    client.leases().inNamespace(le.namespace()).resource(lease).update();
    log.atInfo()
        .addKeyValue("lease", le.namespace() + "/" + le.name())
        .addKeyValue("identity", le.identity())
        .log("released leadership");
  }
}
