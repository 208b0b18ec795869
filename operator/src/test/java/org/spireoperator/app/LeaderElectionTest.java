package org.spireoperator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.observe.RegistrarMetrics;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireClientSettings;
import org.spireoperator.testing.OperatorFixture;

/**
 * Several replicas, one leader: only the leader writes; a follower takes over when the leader goes.
 */
class LeaderElectionTest {

  private static final List<String> WRITES =
      List.of("BatchCreateEntry", "BatchUpdateEntry", "BatchDeleteEntry");

  private final OperatorFixture f = new OperatorFixture();
  private RegistrarOperator a;
  private RegistrarOperator b;
  private final AtomicInteger writesOfB = new AtomicInteger();

  @AfterEach
  void tearDown() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    f.close();
  }

  private RegistrarOperator replica(String identity, AtomicInteger writes) {
    SpireClient client =
        new SpireClient(
            f.spire().channel(),
            SpireClientSettings.defaults(),
            (method, code, latency) -> {
              if (WRITES.contains(method)) {
                writes.incrementAndGet();
              }
            });
    var le =
        new OperatorOptions.LeaderElection(
            "registrar-leader",
            "spire",
            identity,
            Duration.ofSeconds(4),
            Duration.ofSeconds(3),
            Duration.ofMillis(300));
    RegistrarOperator op =
        new RegistrarOperator(
            f.cluster().newClient(),
            client,
            OperatorFixture.defaults(),
            OperatorFixture.ids(),
            OperatorFixture.options().withLeaderElection(le),
            new RegistrarMetrics(new SimpleMeterRegistry()));
    op.start();
    return op;
  }

  private boolean hasEntry(String spiffeId) {
    return f.entries().stream().anyMatch(e -> e.spiffeId().toString().equals(spiffeId));
  }

  @Test
  void onlyTheLeaderWritesToSpire() {
    a = replica("replica-a", new AtomicInteger());
    await().atMost(Duration.ofSeconds(20)).until(a::isLeading);
    b = replica("replica-b", writesOfB);
    f.cluster().node("node-1");
    f.cluster().pod("shop", "web-0", "node-1", "web");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> hasEntry("spiffe://example.org/ns/shop/sa/web"));
    assertThat(writesOfB).hasValue(0);
  }

  @Test
  void followerTakesOverWhenTheLeaderStops() {
    a = replica("replica-a", new AtomicInteger());
    await().atMost(Duration.ofSeconds(20)).until(a::isLeading);
    b = replica("replica-b", writesOfB);
    f.cluster().node("node-1");
    a.close();
    a = null;
    f.cluster().pod("shop", "api-0", "node-1", "api");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> hasEntry("spiffe://example.org/ns/shop/sa/api"));
  }

  @Test
  void gracefulShutdownReleasesTheLease() {
    a = replica("replica-a", new AtomicInteger());
    await().atMost(Duration.ofSeconds(20)).until(a::isLeading);
    a.close();
    a = null;
    Lease lease =
        f.cluster().client().leases().inNamespace("spire").withName("registrar-leader").get();
    assertThat(lease.getSpec().getHolderIdentity()).isEmpty();
  }
}
