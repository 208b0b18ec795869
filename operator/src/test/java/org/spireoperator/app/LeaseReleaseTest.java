package org.spireoperator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.testing.MockCluster;

class LeaseReleaseTest {

  private static final String PATH = "/apis/coordination.k8s.io/v1/namespaces/spire/leases/lease";

  private final MockCluster cluster = new MockCluster();

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  private void leaseHeldBy(String holder) {
    cluster
        .client()
        .leases()
        .inNamespace("spire")
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withNamespace("spire")
                .withName("lease")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(holder)
                .withLeaseDurationSeconds(15)
                .withRenewTime(ZonedDateTime.now())
                .endSpec()
                .build())
        .create();
  }

  private String holder() {
    Lease lease = cluster.client().leases().inNamespace("spire").withName("lease").get();
    return lease.getSpec().getHolderIdentity();
  }

  private void release(String identity) {
    LeaseRelease.release(
        cluster.client(), OperatorOptions.LeaderElection.of("lease", "spire", identity));
  }

  private void nextUpdatesConflict(int times) {
    cluster
        .server()
        .expect()
        .put()
        .withPath(PATH)
        .andReturn(
            409,
            new StatusBuilder()
                .withStatus("Failure")
                .withReason("Conflict")
                .withCode(409)
                .withMessage("the object has been modified")
                .build())
        .times(times);
  }

  @Test
  void theHolderReleasesItsLease() {
    leaseHeldBy("me");

    release("me");

    assertThat(holder()).isEmpty();
  }

  @Test
  void aLeaseAnotherReplicaHoldsIsLeftAlone() {
    leaseHeldBy("other");

    release("me");

    assertThat(holder()).isEqualTo("other");
  }

  @Test
  void aConflictWithItsOwnRenewalIsReadAgainAndRetried() {
    leaseHeldBy("me");
    nextUpdatesConflict(1);

    release("me");

    assertThat(holder()).isEmpty();
  }

  @Test
  void conflictsOnEveryAttemptLeaveTheLeaseToExpire() {
    leaseHeldBy("me");
    nextUpdatesConflict(LeaseRelease.ATTEMPTS);

    release("me");

    assertThat(holder()).isEqualTo("me");
  }
}
