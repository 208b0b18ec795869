package org.spireoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.spireoperator.e2e.support.Eventually.converges;
import static org.spireoperator.e2e.support.Eventually.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spireoperator.e2e.support.E2eSettings;
import org.spireoperator.e2e.support.ForeignEntries;
import org.spireoperator.e2e.support.OperatorConfig;
import org.spireoperator.e2e.support.OperatorProcess;
import org.spireoperator.e2e.support.RealServers;
import org.spireoperator.e2e.support.RealServersExtension;
import org.spireoperator.e2e.support.Registrations;
import org.spireoperator.e2e.support.Workloads;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;

/**
 * Faults of the real servers and of the operator's own replicas: after each, the entries converge
 * to the cluster, none is lost or duplicated, and entries the operator does not own stay exactly as
 * they were.
 */
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultsE2ETest {

  private static final String NODE = "fault-node";
  private static final Duration RESYNC = Duration.ofSeconds(20);

  private final RealServers servers;
  private final Workloads workloads;
  private final Registrations registrations;
  private final List<OperatorProcess> operators = new ArrayList<>();
  private ForeignEntries foreign;

  FaultsE2ETest(RealServers servers) {
    this.servers = servers;
    this.workloads = servers.workloads();
    this.registrations = servers.registrations();
  }

  @BeforeAll
  void seedNodeAndForeignEntries() {
    workloads.node(NODE);
    foreign =
        ForeignEntries.seed(
            servers.spire().client(),
            registrations,
            List.of(
                new String[] {"fault-outage", "a-0"},
                new String[] {"fault-outage", "a-2"},
                new String[] {"fault-failover", "c-2"},
                new String[] {"fault-restart", "d-2"},
                new String[] {"fault-kube", "e-2"}),
            NODE);
  }

  @AfterEach
  void stopOperators() {
    operators.forEach(OperatorProcess::kill);
    operators.clear();
  }

  @Test
  void aSpireServerOutageWhilePodsComeAndGoEndsConvergedWithoutDuplicates() throws Exception {
    String ns = "fault-outage";
    workloads.namespace(ns);
    for (String pod : List.of("a-0", "a-1", "a-2", "a-3")) {
      workloads.runningPod(ns, pod, "app", NODE);
    }
    OperatorProcess operator = start("outage", servers.operatorConfig().withResyncPeriod(RESYNC));
    converges("operator ready").until(operator::isReady);
    awaitPodEntries(ns, "a-0", "a-1", "a-2", "a-3");
    Map<String, String> idsBefore = entryIdsByPod(ns);

    servers.spire().stop();
    workloads.deletePod(ns, "a-2");
    workloads.deletePod(ns, "a-3");
    workloads.runningPod(ns, "b-0", "app", NODE);
    workloads.runningPod(ns, "b-1", "app", NODE);
    converges("operator reports unready without SPIRE").until(() -> !operator.isReady());
    Duration outage = E2eSettings.spireOutage();
    await("operator keeps running through the outage")
        .during(outage)
        .atMost(outage.plusSeconds(30))
        .until(operator::isAlive);
    servers.spire().startAgain();

    converges("operator ready again").until(operator::isReady);
    awaitPodEntries(ns, "a-0", "a-1", "b-0", "b-1");
    assertThat(entryIdsByPod(ns))
        .containsEntry("a-0", idsBefore.get("a-0"))
        .containsEntry("a-1", idsBefore.get("a-1"));
    assertNodeEntryIntact();
    foreign.assertUntouched();
  }

  @Test
  void whenTheLeaderIsKilledTheFollowerTakesOverWithinTheLeaseAndNothingIsLostOrDuplicated()
      throws Exception {
    String ns = "fault-failover";
    workloads.namespace(ns);
    OperatorConfig config =
        servers.operatorConfig().withResyncPeriod(RESYNC).withLeaderElection("faults-failover");
    OperatorProcess first = start("replica-1", config);
    OperatorProcess second = start("replica-2", config);
    converges("exactly one leader").until(() -> leaders(first, second).size() == 1);
    OperatorProcess leader = leaders(first, second).get(0);
    OperatorProcess follower = leader == first ? second : first;
    for (String pod : List.of("c-0", "c-1", "c-2")) {
      workloads.runningPod(ns, pod, "app", NODE);
    }
    awaitPodEntries(ns, "c-0", "c-1", "c-2");
    Map<String, String> idsBefore = entryIdsByPod(ns);

    assertThat(leader.metrics().spireWriteCalls()).as("the leader writes").isPositive();
    assertThat(follower.metrics().spireWriteCalls()).as("the follower writes nothing").isZero();
    assertThat(follower.metrics().isLeader()).isFalse();

    leader.kill();
    Instant killed = Instant.now();
    workloads.deletePod(ns, "c-2");
    workloads.runningPod(ns, "c-3", "app", NODE);

    Duration budget = E2eSettings.failoverBudget();
    within(
            budget.minus(Duration.between(killed, Instant.now())),
            "follower converges within lease + 5 s")
        .untilAsserted(
            () -> {
              assertThat(follower.metrics().isLeader()).isTrue();
              assertThat(podRegistrations(ns))
                  .containsExactlyInAnyOrderElementsOf(expected(ns, "c-0", "c-1", "c-3"));
            });
    assertThat(entryIdsByPod(ns))
        .containsEntry("c-0", idsBefore.get("c-0"))
        .containsEntry("c-1", idsBefore.get("c-1"));
    assertNodeEntryIntact();
    foreign.assertUntouched();
  }

  @Test
  void aGracefullyStoppedLeaderExitsAndReleasesItsLeaseToTheFollower() throws Exception {
    OperatorConfig config =
        servers.operatorConfig().withResyncPeriod(RESYNC).withLeaderElection("faults-handover");
    OperatorProcess first = start("handover-1", config);
    OperatorProcess second = start("handover-2", config);
    converges("exactly one leader").until(() -> leaders(first, second).size() == 1);
    OperatorProcess leader = leaders(first, second).get(0);
    OperatorProcess follower = leader == first ? second : first;

    assertThat(leader.stop())
        .as("the leader exits on SIGTERM by itself; log %s", leader.log())
        .isTrue();
    assertThat(leaseHolder("faults-handover"))
        .as("lease released on exit")
        .isNotEqualTo(leader.name());

    converges("the follower leads").until(() -> follower.metrics().isLeader());
    assertThat(leaseHolder("faults-handover")).isEqualTo(follower.name());
    foreign.assertUntouched();
  }

  @Test
  void entriesOfPodsDeletedWhileTheOperatorWasDownAreCollectedWhenItStartsAgain() throws Exception {
    String ns = "fault-restart";
    workloads.namespace(ns);
    for (String pod : List.of("d-0", "d-1", "d-2", "d-3")) {
      workloads.runningPod(ns, pod, "app", NODE);
    }
    OperatorProcess operator = start("restart", servers.operatorConfig().withResyncPeriod(RESYNC));
    awaitPodEntries(ns, "d-0", "d-1", "d-2", "d-3");
    Map<String, String> idsBefore = entryIdsByPod(ns);

    assertThat(operator.stop()).as("exits on SIGTERM by itself").isTrue();
    workloads.deletePod(ns, "d-2");
    workloads.deletePod(ns, "d-3");
    operator.restart();

    converges("operator ready again").until(operator::isReady);
    awaitPodEntries(ns, "d-0", "d-1");
    assertThat(entryIdsByPod(ns))
        .as("surviving pods keep their entries")
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("d-0", idsBefore.get("d-0"), "d-1", idsBefore.get("d-1")));
    assertNodeEntryIntact();
    foreign.assertUntouched();
  }

  @Test
  void aKubeApiserverRestartLeavesEntriesAloneAndTheOperatorConvergesAfterIt() throws Exception {
    String ns = "fault-kube";
    workloads.namespace(ns);
    for (String pod : List.of("e-0", "e-1", "e-2")) {
      workloads.runningPod(ns, pod, "app", NODE);
    }
    OperatorProcess operator =
        start("kube-restart", servers.operatorConfig().withResyncPeriod(RESYNC));
    awaitPodEntries(ns, "e-0", "e-1", "e-2");
    List<Entry> before = registrations.all();

    servers.kube().stop();
    await("entries stay while the API server is down")
        .during(Duration.ofSeconds(10))
        .atMost(Duration.ofSeconds(60))
        .until(() -> operator.isAlive() && registrations.all().equals(before));
    servers.kube().startAgain();

    converges("API server answers")
        .ignoreExceptions()
        .until(() -> workloads.client().namespaces().withName(ns).get() != null);
    workloads.deletePod(ns, "e-2");
    workloads.runningPod(ns, "e-3", "app", NODE);
    awaitPodEntries(ns, "e-0", "e-1", "e-3");
    Map<String, String> idsBefore =
        before.stream()
            .filter(e -> !foreign.ids().contains(e.id()))
            .filter(e -> e.selectors().contains(Selector.k8s("ns", ns)))
            .collect(Collectors.toMap(FaultsE2ETest::podName, Entry::id));
    assertThat(entryIdsByPod(ns))
        .containsEntry("e-0", idsBefore.get("e-0"))
        .containsEntry("e-1", idsBefore.get("e-1"));
    assertNodeEntryIntact();
    foreign.assertUntouched();
  }

  // ------------------------------------------------------------------ helpers

  private OperatorProcess start(String name, OperatorConfig config) throws Exception {
    OperatorProcess p = servers.startOperator(getClass(), name, config);
    operators.add(p);
    return p;
  }

  private static List<OperatorProcess> leaders(OperatorProcess... replicas) {
    return java.util.Arrays.stream(replicas).filter(r -> r.metrics().isLeader()).toList();
  }

  private String leaseHolder(String lease) {
    var l = servers.kube().admin().leases().inNamespace("spire").withName(lease).get();
    return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
  }

  private void awaitPodEntries(String ns, String... pods) {
    converges("pod entries of " + ns + " " + List.of(pods))
        .untilAsserted(
            () ->
                assertThat(podRegistrations(ns))
                    .containsExactlyInAnyOrderElementsOf(expected(ns, pods)));
  }

  private List<Entry> expected(String ns, String... pods) {
    return java.util.Arrays.stream(pods)
        .map(p -> registrations.podEntry(ns, "app", p, NODE))
        .toList();
  }

  /**
   * Registrations of the namespace's pods other than the seeded foreign ones (a list: duplicates
   * would show).
   */
  private List<Entry> podRegistrations(String ns) {
    return registrations.inNamespaceExcept(ns, foreign.ids());
  }

  /** Entry ID of each pod of the namespace, foreign entries left out. */
  private Map<String, String> entryIdsByPod(String ns) {
    return registrations.all().stream()
        .filter(e -> !foreign.ids().contains(e.id()))
        .filter(e -> e.selectors().contains(Selector.k8s("ns", ns)))
        .collect(Collectors.toMap(FaultsE2ETest::podName, Entry::id));
  }

  private static String podName(Entry e) {
    return e.selectors().stream()
        .filter(s -> s.type().equals("k8s") && s.value().startsWith("pod-name:"))
        .map(s -> s.value().substring("pod-name:".length()))
        .findFirst()
        .orElseThrow();
  }

  private void assertNodeEntryIntact() {
    assertThat(registrations.withSpiffeId(registrations.nodeId(NODE)))
        .map(Registrations::registration)
        .containsExactly(registrations.nodeEntry(NODE));
  }
}
