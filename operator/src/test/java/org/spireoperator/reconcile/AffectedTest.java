package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spireoperator.reconcile.ScmObjects.agentOf;
import static org.spireoperator.reconcile.ScmObjects.clusterSpiffeId;
import static org.spireoperator.reconcile.ScmObjects.matchLabels;
import static org.spireoperator.reconcile.ScmObjects.namespace;
import static org.spireoperator.reconcile.ScmObjects.staticEntryForPod;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodView;
import org.spireoperator.registration.StaticEntryKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.registration.WorkloadKey;
import org.spireoperator.scm.entries.ScmIntegration;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.testing.InMemoryCluster;

/**
 * Which subjects a change to one object sends back to the engine: all that the change can alter,
 * and no more (the work stays incremental).
 */
class AffectedTest {

  private static final String NODE_1 = "node-1";
  private static final String NODE_2 = "node-2";
  private static final PodKey WEB = new PodKey("shop", "web-0");
  private static final PodKey API = new PodKey("shop", "api-0");
  private static final PodKey LEDGER = new PodKey("bank", "ledger-0");

  private final InMemoryCluster cluster = new InMemoryCluster();
  private final OwnedEntries owned = new OwnedEntries();
  private final PodView web;

  AffectedTest() {
    cluster.node(NODE_1).node(NODE_2);
    cluster.namespace(namespace("shop", Map.of("team", "shop")));
    cluster.namespace(namespace("bank", Map.of("team", "bank")));
    web = labelledPod(WEB, NODE_1, Map.of("app", "web"));
    labelledPod(API, NODE_1, Map.of("app", "api"));
    labelledPod(LEDGER, NODE_2, Map.of("app", "ledger"));
  }

  private PodView labelledPod(PodKey key, String node, Map<String, String> labels) {
    PodView p = cluster.pod(key.namespace(), key.name(), node, key.name());
    return cluster.pod(
        new PodView(
            p.namespace(),
            p.name(),
            p.uid(),
            p.serviceAccount(),
            p.nodeName(),
            p.hostname(),
            p.phase(),
            p.podIp(),
            labels,
            p.annotations(),
            p.containerImages(),
            false));
  }

  private Affected affected() {
    return affected(ScmObjects.served());
  }

  private Affected affected(ScmIntegration scm) {
    return new Affected(cluster, owned, ScmObjects.decisions(scm, cluster));
  }

  private static WorkloadKey workload(String clusterSpiffeId, PodKey pod) {
    return new WorkloadKey(clusterSpiffeId, pod.namespace(), pod.name());
  }

  private void clusterSpiffeIdSelecting(String name, Map<String, String> podLabels) {
    cluster.clusterSpiffeId(
        clusterSpiffeId(name, 0, s -> s.setPodSelector(matchLabels(podLabels))));
  }

  /** The index holds an entry of {@code clusterSpiffeId} for {@code pod}. */
  private void ownsEntryFor(String clusterSpiffeId, PodKey pod) {
    owned.put(
        workload(clusterSpiffeId, pod),
        List.of(
            Entry.of(
                    SpiffeId.parse("spiffe://example.org/ns/" + pod.namespace() + "/" + pod.name()),
                    agentOf(NODE_1),
                    List.of(Selector.k8s("pod-uid", "uid-" + pod.name())))
                .withId("csid-" + pod.name())));
  }

  // a pod

  @Test
  void aPodChangeReachesThePodsOwnEntry() {
    assertThat(affected().byPod(WEB)).contains(WEB);
  }

  @Test
  void aPodChangeReachesWhatEveryClusterSpiffeIdMakesOfThePodSelectingItOrNot() {
    clusterSpiffeIdSelecting("webs", Map.of("app", "web"));
    clusterSpiffeIdSelecting("apis", Map.of("app", "api"));
    assertThat(affected().byPod(WEB))
        .containsExactlyInAnyOrder(WEB, workload("webs", WEB), workload("apis", WEB));
  }

  @Test
  void withTheApiNotServedAPodChangeReachesOnlyThePod() {
    clusterSpiffeIdSelecting("webs", Map.of("app", "web"));
    assertThat(affected(ScmIntegration.disabled("example.org")).byPod(WEB)).containsExactly(WEB);
  }

  // a namespace's labels

  @Test
  void aNamespaceLabelChangeAffectsOnlyThatNamespacesPods() {
    assertThat(affected().byNamespace("shop")).containsExactlyInAnyOrder(WEB, API);
  }

  @Test
  void aNamespaceLabelChangeReachesWhatEachClusterSpiffeIdMakesOfItsPods() {
    clusterSpiffeIdSelecting("webs", Map.of("app", "web"));
    assertThat(affected().byNamespace("shop"))
        .containsExactlyInAnyOrder(WEB, API, workload("webs", WEB), workload("webs", API));
  }

  // a node

  @Test
  void aNodeChangeAffectsOnlyThePodsOnThatNode() {
    assertThat(affected().byNode(NODE_2)).containsExactly(LEDGER);
  }

  @Test
  void aNodeChangeReachesWhatEachClusterSpiffeIdMakesOfItsPods() {
    clusterSpiffeIdSelecting("webs", Map.of("app", "web"));
    assertThat(affected().byNode(NODE_2))
        .containsExactlyInAnyOrder(LEDGER, workload("webs", LEDGER));
  }

  // a ClusterSPIFFEID

  @Test
  void aClusterSpiffeIdChangeReachesThePodsItsSelectorsSelectNow() {
    clusterSpiffeIdSelecting("webs", Map.of("app", "web"));
    assertThat(affected().byClusterSpiffeId("webs")).contains(workload("webs", WEB));
  }

  @Test
  void aClusterSpiffeIdChangeReachesThePodsItOwnsEntriesForThoughItNoLongerSelectsThem() {
    clusterSpiffeIdSelecting("webs", Map.of("app", "web"));
    ownsEntryFor("webs", API);
    assertThat(affected().byClusterSpiffeId("webs")).contains(workload("webs", API));
  }

  @Test
  void aClusterSpiffeIdChangeReachesWhatTheOtherClusterSpiffeIdsMakeOfItsPods() {
    clusterSpiffeIdSelecting("webs", Map.of("app", "web"));
    clusterSpiffeIdSelecting("everything", Map.of());
    assertThat(affected().byClusterSpiffeId("webs")).contains(workload("everything", WEB));
  }

  @Test
  void aClusterSpiffeIdChangeReachesTheRegistrarsOwnEntryOfItsPods() {
    clusterSpiffeIdSelecting("webs", Map.of("app", "web"));
    assertThat(affected().byClusterSpiffeId("webs")).contains(WEB);
  }

  @Test
  void aClusterSpiffeIdChangeDoesNotReachPodsItNeitherSelectsNorOwns() {
    clusterSpiffeIdSelecting("webs", Map.of("app", "web"));
    assertThat(affected().byClusterSpiffeId("webs"))
        .extracting(AffectedTest::podOf)
        .containsOnly(WEB);
  }

  @Test
  void aClusterSpiffeIdsNamespaceSelectorLimitsThePodsItReaches() {
    cluster.clusterSpiffeId(
        clusterSpiffeId(
            "bank-only", 0, s -> s.setNamespaceSelector(matchLabels(Map.of("team", "bank")))));
    assertThat(affected().byClusterSpiffeId("bank-only"))
        .extracting(AffectedTest::podOf)
        .containsOnly(LEDGER);
  }

  @Test
  void aDeletedClusterSpiffeIdReachesEveryPodItOwnsEntriesFor() {
    ownsEntryFor("gone", WEB);
    ownsEntryFor("gone", LEDGER);
    assertThat(affected().byClusterSpiffeId("gone"))
        .contains(workload("gone", WEB), workload("gone", LEDGER));
  }

  @Test
  void anEntryOfAPodThatIsGoneIsStillReached() {
    PodKey gone = new PodKey("shop", "gone-0");
    ownsEntryFor("webs", gone);
    assertThat(affected().byClusterSpiffeId("webs")).contains(workload("webs", gone));
  }

  @Test
  void aClusterSpiffeIdChangeNamesOnlyPodsNeverTheObjectAlone() {
    clusterSpiffeIdSelecting("webs", Map.of("app", "web"));
    assertThat(affected().byClusterSpiffeId("webs"))
        .noneMatch(s -> s instanceof WorkloadKey w && w.pod().isEmpty());
  }

  // a ClusterStaticEntry

  @Test
  void aStaticEntryChangeReachesEveryStaticEntrySinceTheyMaskEachOther() {
    cluster.staticEntry(staticEntryForPod("a", 0, "spiffe://example.org/a", agentOf(NODE_1), "1"));
    cluster.staticEntry(staticEntryForPod("b", 0, "spiffe://example.org/b", agentOf(NODE_1), "2"));
    assertThat(affected().byStaticEntry("a"))
        .containsExactlyInAnyOrder(new StaticEntryKey("a"), new StaticEntryKey("b"));
  }

  @Test
  void aDeletedStaticEntryIsStillReached() {
    assertThat(affected().byStaticEntry("gone")).containsExactly(new StaticEntryKey("gone"));
  }

  @Test
  void aStaticEntryChangeReachesThePodEntriesItMasks() {
    cluster.clusterSpiffeId(clusterSpiffeId("default", 20, s -> {}));
    cluster.staticEntry(
        staticEntryForPod(
            "web-static", 10, "spiffe://example.org/ns/shop/sa/web-0", agentOf(NODE_1), web.uid()));
    assertThat(affected().byStaticEntry("web-static")).contains(workload("default", WEB));
  }

  private static PodKey podOf(Subject s) {
    return s instanceof WorkloadKey w ? w.podKey() : (PodKey) s;
  }
}
