package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spireoperator.reconcile.ScmObjects.agentOf;
import static org.spireoperator.reconcile.ScmObjects.clusterSpiffeId;
import static org.spireoperator.reconcile.ScmObjects.matchLabels;
import static org.spireoperator.reconcile.ScmObjects.namespace;
import static org.spireoperator.reconcile.ScmObjects.staticEntryForPod;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodView;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.registration.StaticEntryKey;
import org.spireoperator.registration.WorkloadKey;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.entries.ClassRule;
import org.spireoperator.scm.entries.ParentRule;
import org.spireoperator.scm.entries.ScmIntegration;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.testing.InMemoryCluster;
import org.spireoperator.testing.OperatorFixture;

/**
 * What spire-controller-manager's objects make of one pod (as one ClusterSPIFFEID sees it) or one
 * ClusterStaticEntry, over a cluster held in memory: selection, ignored namespaces, fallback,
 * masking (the oldest declaration wins) and the class rule.
 */
class ScmDecisionsTest {

  private static final String NODE = "node-1";
  private static final PodKey WEB = new PodKey("shop", "web-0");
  private static final String WEB_ID = "spiffe://example.org/ns/shop/sa/web";

  private final InMemoryCluster cluster = new InMemoryCluster();
  private final PodView web;

  ScmDecisionsTest() {
    cluster.node(NODE);
    cluster.namespace(namespace("shop", Map.of("team", "shop")));
    cluster.namespace(namespace("kube-system", Map.of()));
    web = cluster.pod(WEB.namespace(), WEB.name(), NODE, "web");
  }

  private ScmDecisions decisions() {
    return ScmObjects.decisions(ScmObjects.served(), cluster);
  }

  private Desired forWorkload(String clusterSpiffeId, PodKey pod) {
    return decisions().forWorkload(new WorkloadKey(clusterSpiffeId, pod.namespace(), pod.name()));
  }

  private Desired forWeb(String clusterSpiffeId) {
    return forWorkload(clusterSpiffeId, WEB);
  }

  private static String conditionOf(Desired desired) {
    if (desired instanceof Desired.Unwanted u) {
      return u.condition();
    }
    if (desired instanceof Desired.Rejected r) {
      return r.condition();
    }
    return "Wanted";
  }

  private static SpiffeId spiffeIdOf(Desired desired) {
    return ((Desired.Wanted) desired).entry().spiffeId();
  }

  private ClusterSPIFFEID everyPod(String name, long createdSecond) {
    return cluster.clusterSpiffeId(clusterSpiffeId(name, createdSecond, s -> {}));
  }

  private void websEntryDeclaredStatically(String name, long createdSecond) {
    cluster.staticEntry(staticEntryForPod(name, createdSecond, WEB_ID, agentOf(NODE), web.uid()));
  }

  // selection

  @Test
  void aSelectedPodWantsTheEntryItsClusterSpiffeIdRenders() {
    everyPod("default", 0);
    assertThat(spiffeIdOf(forWeb("default"))).isEqualTo(SpiffeId.parse(WEB_ID));
  }

  @Test
  void aSelectedPodsEntryIsParentedToItsNodesAgent() {
    everyPod("default", 0);
    assertThat(((Desired.Wanted) forWeb("default")).entry().parentId()).isEqualTo(agentOf(NODE));
  }

  @Test
  void aPodOutsideThePodSelectorIsNotSelected() {
    cluster.clusterSpiffeId(
        clusterSpiffeId("api", 0, s -> s.setPodSelector(matchLabels(Map.of("app", "api")))));
    assertThat(conditionOf(forWeb("api"))).isEqualTo("NotSelected");
  }

  @Test
  void aPodOfANamespaceOutsideTheNamespaceSelectorIsNotSelected() {
    cluster.clusterSpiffeId(
        clusterSpiffeId(
            "bank", 0, s -> s.setNamespaceSelector(matchLabels(Map.of("team", "bank")))));
    assertThat(conditionOf(forWeb("bank"))).isEqualTo("NotSelected");
  }

  @Test
  void aPodOfAnIgnoredNamespaceIsNotSelected() {
    everyPod("default", 0);
    PodView dns = cluster.pod("kube-system", "dns-0", NODE, "coredns");
    assertThat(conditionOf(forWorkload("default", dns.key()))).isEqualTo("NotSelected");
  }

  @Test
  void aClusterSpiffeIdThatIsGoneWantsNoEntry() {
    assertThat(conditionOf(forWeb("default"))).isEqualTo("NotSelected");
  }

  @Test
  void aClusterSpiffeIdBeingDeletedWantsNoEntry() {
    everyPod("default", 0).getMetadata().setDeletionTimestamp("2025-01-01T00:00:00Z");
    assertThat(conditionOf(forWeb("default"))).isEqualTo("NotSelected");
  }

  @Test
  void withTheApiNotServedNoClusterSpiffeIdGivesAnEntry() {
    everyPod("default", 0);
    ScmDecisions off =
        ScmObjects.decisions(
            ScmIntegration.disabled(ScmObjects.served().settings().trustDomain()), cluster);
    assertThat(off.forWorkload(new WorkloadKey("default", WEB.namespace(), WEB.name())))
        .isInstanceOf(Desired.Unwanted.class);
  }

  @Test
  void anInvalidClusterSpiffeIdIsRejectedAsAnInvalidSpec() {
    cluster.clusterSpiffeId(clusterSpiffeId("broken", 0, s -> s.setSpiffeIDTemplate("{{ .Nope")));
    assertThat(conditionOf(forWeb("broken"))).isEqualTo("InvalidSpec");
  }

  @Test
  void aPodWhoseEntryCannotBeRenderedIsARenderFailure() {
    everyPod("default", 0);
    PodView lost = cluster.pod("shop", "lost-0", "node-gone", "lost");
    assertThat(conditionOf(forWorkload("default", lost.key()))).isEqualTo("RenderFailure");
  }

  // fallback

  @Test
  void aFallbackStepsAsideWhenAnotherClusterSpiffeIdGivesThePodAnEntry() {
    everyPod("default", 0);
    cluster.clusterSpiffeId(
        clusterSpiffeId(
            "catch-all",
            0,
            s -> {
              s.setFallback(true);
              s.setSpiffeIDTemplate("spiffe://example.org/fallback/{{ .PodMeta.Name }}");
            }));
    assertThat(conditionOf(forWeb("catch-all"))).isEqualTo("FallbackSkipped");
  }

  @Test
  void aFallbackGivesThePodAnEntryWhenNoOtherClusterSpiffeIdDoes() {
    cluster.clusterSpiffeId(clusterSpiffeId("catch-all", 0, s -> s.setFallback(true)));
    assertThat(spiffeIdOf(forWeb("catch-all"))).isEqualTo(SpiffeId.parse(WEB_ID));
  }

  @Test
  void aFallbackGivesThePodAnEntryWhenTheOtherClusterSpiffeIdFailsToRenderOne() {
    cluster.clusterSpiffeId(
        clusterSpiffeId(
            "elsewhere", 0, s -> s.setSpiffeIDTemplate("spiffe://other.org/{{ .PodMeta.Name }}")));
    cluster.clusterSpiffeId(clusterSpiffeId("catch-all", 0, s -> s.setFallback(true)));
    assertThat(spiffeIdOf(forWeb("catch-all"))).isEqualTo(SpiffeId.parse(WEB_ID));
  }

  @Test
  void aPodSomeClusterSpiffeIdRendersAnEntryForGetsOne() {
    everyPod("default", 0);
    assertThat(decisions().givesEntry(WEB)).isTrue();
  }

  @Test
  void aPodWhoseOnlyClusterSpiffeIdFailsToRenderGetsNone() {
    cluster.clusterSpiffeId(
        clusterSpiffeId(
            "elsewhere", 0, s -> s.setSpiffeIDTemplate("spiffe://other.org/{{ .PodMeta.Name }}")));
    assertThat(decisions().givesEntry(WEB)).isFalse();
  }

  // masking: of the declarations of the same entry, the oldest object's is set

  @Test
  void ofTwoClusterSpiffeIdsDeclaringTheSameEntryTheOlderSetsIt() {
    everyPod("younger", 20);
    everyPod("older", 10);
    assertThat(conditionOf(forWeb("older"))).isEqualTo("Wanted");
  }

  @Test
  void ofTwoClusterSpiffeIdsDeclaringTheSameEntryTheYoungerIsMasked() {
    everyPod("younger", 20);
    everyPod("older", 10);
    assertThat(conditionOf(forWeb("younger"))).isEqualTo("Masked");
  }

  @Test
  void anOlderClusterStaticEntryMasksTheClusterSpiffeIdsEntryForThePod() {
    everyPod("default", 20);
    websEntryDeclaredStatically("web-static", 10);
    assertThat(conditionOf(forWeb("default"))).isEqualTo("Masked");
  }

  @Test
  void aClusterStaticEntryBeingDeletedMasksNothing() {
    everyPod("default", 20);
    websEntryDeclaredStatically("web-static", 10);
    cluster
        .staticEntry("web-static")
        .orElseThrow()
        .getMetadata()
        .setDeletionTimestamp("2025-01-01T00:00:00Z");
    assertThat(conditionOf(forWeb("default"))).isEqualTo("Wanted");
  }

  @Test
  void ofTwoClusterStaticEntriesDeclaringTheSameEntryTheOlderIsSet() {
    websEntryDeclaredStatically("younger", 20);
    websEntryDeclaredStatically("older", 10);
    assertThat(conditionOf(decisions().forStatic(new StaticEntryKey("older")))).isEqualTo("Wanted");
  }

  @Test
  void ofTwoClusterStaticEntriesDeclaringTheSameEntryTheYoungerIsMasked() {
    websEntryDeclaredStatically("younger", 20);
    websEntryDeclaredStatically("older", 10);
    assertThat(conditionOf(decisions().forStatic(new StaticEntryKey("younger"))))
        .isEqualTo("Masked");
  }

  @Test
  void aClusterStaticEntryYoungerThanAClusterSpiffeIdDeclaringTheSameEntryIsMasked() {
    everyPod("default", 10);
    websEntryDeclaredStatically("web-static", 20);
    assertThat(conditionOf(decisions().forStatic(new StaticEntryKey("web-static"))))
        .isEqualTo("Masked");
  }

  @Test
  void aClusterStaticEntryThatIsGoneWantsNoEntry() {
    assertThat(decisions().forStatic(new StaticEntryKey("web-static")))
        .isInstanceOf(Desired.Unwanted.class);
  }

  @Test
  void anInvalidClusterStaticEntryIsRejectedAsAnInvalidSpec() {
    cluster.staticEntry(ScmObjects.staticEntry("broken", 0, s -> s.setSpiffeID("not a SPIFFE ID")));
    assertThat(conditionOf(decisions().forStatic(new StaticEntryKey("broken"))))
        .isEqualTo("InvalidSpec");
  }

  // tenants: pod labels are tenant input

  /** Decisions with tenants confined to their namespaces; {@code spire} is privileged. */
  private ScmDecisions confined() {
    RegistrationSettings settings = OperatorFixture.defaults().withScm(ScmObjects.served());
    return new ScmDecisions(
        settings.scm(),
        cluster,
        ParentRule.scmDefault(),
        settings.tenant(),
        settings.operatorIdRoot());
  }

  private void reservedIdForEveryPod() {
    cluster.clusterSpiffeId(
        clusterSpiffeId(
            "reserved",
            0,
            s -> s.setSpiffeIDTemplate("spiffe://example.org/spire/{{ .PodMeta.Name }}")));
  }

  @Test
  void aConfinedPodsEntryUnderAReservedIdIsForbidden() {
    reservedIdForEveryPod();
    assertThat(
            conditionOf(
                confined().forWorkload(new WorkloadKey("reserved", WEB.namespace(), WEB.name()))))
        .isEqualTo("Forbidden");
  }

  @Test
  void aPodOfAPrivilegedNamespaceMayHaveAReservedId() {
    reservedIdForEveryPod();
    cluster.namespace(namespace("spire", Map.of()));
    cluster.pod("spire", "server-0", NODE, "spire-server");
    assertThat(
            conditionOf(confined().forWorkload(new WorkloadKey("reserved", "spire", "server-0"))))
        .isEqualTo("Wanted");
  }

  // the class rule

  private ScmDecisions forClass(String className, boolean watchClassless) {
    return ScmObjects.decisions(
        ScmObjects.served(new ClassRule(className, watchClassless)), cluster);
  }

  private void clusterSpiffeIdOfClass(String name, String className) {
    cluster.clusterSpiffeId(clusterSpiffeId(name, 0, s -> s.setClassName(className)));
  }

  @Test
  void aClusterSpiffeIdOfTheOperatorsClassIsHandled() {
    clusterSpiffeIdOfClass("blue-one", "blue");
    assertThat(
            conditionOf(
                forClass("blue", false)
                    .forWorkload(new WorkloadKey("blue-one", WEB.namespace(), WEB.name()))))
        .isEqualTo("Wanted");
  }

  @Test
  void aClusterSpiffeIdOfAnotherClassIsLeftAlone() {
    clusterSpiffeIdOfClass("green-one", "green");
    assertThat(
            conditionOf(
                forClass("blue", true)
                    .forWorkload(new WorkloadKey("green-one", WEB.namespace(), WEB.name()))))
        .isEqualTo("NotSelected");
  }

  @Test
  void aClasslessClusterSpiffeIdIsHandledWhenClasslessObjectsAreWatched() {
    everyPod("classless", 0);
    assertThat(
            conditionOf(
                forClass("blue", true)
                    .forWorkload(new WorkloadKey("classless", WEB.namespace(), WEB.name()))))
        .isEqualTo("Wanted");
  }

  @Test
  void aClasslessClusterSpiffeIdIsLeftAloneWhenClasslessObjectsAreNotWatched() {
    everyPod("classless", 0);
    assertThat(
            conditionOf(
                forClass("blue", false)
                    .forWorkload(new WorkloadKey("classless", WEB.namespace(), WEB.name()))))
        .isEqualTo("NotSelected");
  }

  @Test
  void aClusterSpiffeIdOfAnotherClassNeitherMasksNorCountsAsGivingAnEntry() {
    clusterSpiffeIdOfClass("green-one", "green");
    assertThat(forClass("blue", true).givesEntry(WEB)).isFalse();
  }

  @Test
  void aClusterStaticEntryOfAnotherClassIsLeftAlone() {
    cluster.staticEntry(staticEntryForPod("green-static", 0, WEB_ID, agentOf(NODE), web.uid()));
    cluster.staticEntry("green-static").orElseThrow().getSpec().setClassName("green");
    assertThat(forClass("blue", true).forStatic(new StaticEntryKey("green-static")))
        .isInstanceOf(Desired.Unwanted.class);
  }

  @Test
  void theRulesAreTheValidClusterSpiffeIdsOfTheOperatorsClass() {
    clusterSpiffeIdOfClass("blue-one", "blue");
    clusterSpiffeIdOfClass("green-one", "green");
    cluster.clusterSpiffeId(
        clusterSpiffeId(
            "blue-broken",
            0,
            s -> {
              s.setClassName("blue");
              s.setSpiffeIDTemplate("{{ .Nope");
            }));
    assertThat(forClass("blue", false).rules())
        .extracting(r -> r.declarer().name())
        .containsExactly("blue-one");
  }
}
