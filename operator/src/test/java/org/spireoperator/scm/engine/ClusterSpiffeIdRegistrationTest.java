package org.spireoperator.scm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.crd.ClusterSPIFFEIDSpec;
import org.spireoperator.scm.crd.ClusterStaticEntry;
import org.spireoperator.scm.crd.ClusterStaticEntrySpec;
import org.spireoperator.scm.entries.ScmIntegration;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.testing.MockCluster;
import org.spireoperator.testing.OperatorFixture;
import spire.api.server.entry.v1.BatchCreateEntryRequest;

/**
 * spire-controller-manager's resources feed the same engine: a ClusterSPIFFEID's pod entries and a
 * ClusterStaticEntry's entry are written in spire-controller-manager's shape, follow the cluster,
 * and the registrar's own pod entry steps aside for a pod a ClusterSPIFFEID covers.
 */
class ClusterSpiffeIdRegistrationTest {

  private static final String DEFAULT_TEMPLATE =
      "spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}";

  private OperatorFixture f;
  private String node1Uid;

  @BeforeEach
  void setUp() throws Exception {
    f = new OperatorFixture();
    f.cluster().crds(MockCluster.ALL_CRDS);
    namespace("shop", Map.of("team", "shop"));
    namespace("kube-system", Map.of());
    node1Uid = f.cluster().node("node-1").getMetadata().getUid();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private void namespace(String name, Map<String, String> labels) {
    f.cluster()
        .client()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
  }

  private static RegistrationSettings settings() {
    return OperatorFixture.defaults()
        .withScm(OperatorFixture.clusterSpiffeIds(ScmIntegration.RegistrarPods.FALLBACK));
  }

  private void clusterSpiffeId(String name, Consumer<ClusterSPIFFEIDSpec> spec) {
    ClusterSPIFFEID c = new ClusterSPIFFEID();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    ClusterSPIFFEIDSpec s = new ClusterSPIFFEIDSpec();
    s.setSpiffeIDTemplate(DEFAULT_TEMPLATE);
    spec.accept(s);
    c.setSpec(s);
    f.cluster().client().resource(c).create();
  }

  private Optional<Entry> entryOf(String spiffeId) {
    return f.entry(spiffeId);
  }

  @Test
  void aClusterSpiffeIdGivesEachSelectedPodAnEntryInSpireControllerManagersShape() {
    var pod = f.cluster().pod("shop", "web-0", "node-1", "web");
    clusterSpiffeId("default", s -> {});
    f.start(settings());
    Entry entry = f.awaitEntry("spiffe://example.org/ns/shop/sa/web");
    assertThat(entry)
        .usingRecursiveComparison()
        .ignoringFields("createdAt", "revisionNumber")
        .isEqualTo(
            Entry.of(
                    entry.spiffeId(),
                    org.spireoperator.spire.SpiffeId.parse(
                        "spiffe://example.org/spire/agent/k8s_psat/demo/" + node1Uid),
                    List.of(Selector.k8s("pod-uid", pod.getMetadata().getUid())))
                .withId(entry.id()));
  }

  @Test
  void theRegistrarsOwnPodEntryStepsAsideForAPodAClusterSpiffeIdCovers() {
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(settings());
    clusterSpiffeId("default", s -> {});
    f.awaitEntry("spiffe://example.org/ns/shop/sa/web");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                f.entries().stream()
                        .filter(
                            e ->
                                e.spiffeId()
                                    .toString()
                                    .equals("spiffe://example.org/ns/shop/sa/web"))
                        .count()
                    == 1);
  }

  @Test
  void podsOfAnIgnoredNamespaceGetNoClusterSpiffeIdEntry() {
    f.cluster().pod("kube-system", "dns-0", "node-1", "coredns");
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(settings());
    clusterSpiffeId("default", s -> {});
    f.awaitEntry("spiffe://example.org/ns/shop/sa/web");
    f.awaitIdle();
    assertThat(entryOf("spiffe://example.org/ns/kube-system/sa/coredns")).isEmpty();
  }

  /**
   * Whether the server takes an entry that federates depends on its federated bundles, which change
   * without a Kubernetes event (a ClusterFederatedTrustDomain's bundle, or one fetched from its
   * endpoint): spire-controller-manager retries such an entry on every pass. The fixture's full
   * pass runs once an hour, so only a retry of the refused create makes the entry.
   */
  @Test
  void anEntryRefusedForAMissingFederatedBundleIsCreatedOnceTheServerHasTheBundle() {
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(settings());
    clusterSpiffeId("default", s -> s.setFederatesWith(List.of("late.test")));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                f.spire().calls("BatchCreateEntry").stream()
                    .flatMap(
                        c -> c.request(BatchCreateEntryRequest.class).getEntriesList().stream())
                    .anyMatch(e -> e.getFederatesWithList().contains("late.test")));

    f.spire().addFederatedBundle("late.test");

    f.awaitEntry("spiffe://example.org/ns/shop/sa/web");
  }

  @Test
  void aDeletedPodLosesItsClusterSpiffeIdEntry() {
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(settings());
    clusterSpiffeId("default", s -> {});
    f.awaitEntry("spiffe://example.org/ns/shop/sa/web");
    f.cluster().deletePod("shop", "web-0");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> entryOf("spiffe://example.org/ns/shop/sa/web").isEmpty());
  }

  @Test
  void aNamespaceSelectorFollowsTheNamespacesLabels() {
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(settings());
    clusterSpiffeId(
        "teams",
        s -> {
          s.setSpiffeIDTemplate("spiffe://example.org/team/{{ .PodSpec.ServiceAccountName }}");
          s.setNamespaceSelector(
              new LabelSelectorBuilder().withMatchLabels(Map.of("team", "bank")).build());
        });
    f.awaitIdle();
    f.cluster()
        .client()
        .namespaces()
        .withName("shop")
        .edit(
            n -> {
              n.getMetadata().setLabels(Map.of("team", "bank"));
              return n;
            });
    f.awaitEntry("spiffe://example.org/team/web");
  }

  @Test
  void aClusterStaticEntryIsRegisteredAsDeclared() {
    f.start(settings());
    ClusterStaticEntry e = new ClusterStaticEntry();
    e.setMetadata(new ObjectMetaBuilder().withName("vm").build());
    ClusterStaticEntrySpec spec = new ClusterStaticEntrySpec();
    spec.setSpiffeID("spiffe://example.org/vm/db");
    spec.setParentID("spiffe://example.org/spire/agent/join_token/abc");
    spec.setSelectors(List.of("unix:uid:1000"));
    e.setSpec(spec);
    f.cluster().client().resource(e).create();
    Entry entry = f.awaitEntry("spiffe://example.org/vm/db");
    assertThat(entry.selectors()).containsExactly(Selector.parse("unix:uid:1000"));
  }

  @Test
  void twoClusterSpiffeIdsDeclaringTheSameEntryLeaveOne() {
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(settings());
    clusterSpiffeId("first", s -> {});
    clusterSpiffeId("second", s -> {});
    f.awaitEntry("spiffe://example.org/ns/shop/sa/web");
    f.awaitIdle();
    assertThat(f.entries())
        .filteredOn(e -> e.spiffeId().toString().equals("spiffe://example.org/ns/shop/sa/web"))
        .hasSize(1);
  }

  @Test
  void theClusterSpiffeIdsStatusCountsItsPods() {
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.cluster().pod("shop", "api-0", "node-1", "api");
    f.start(settings());
    clusterSpiffeId("default", s -> {});
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              ClusterSPIFFEID c =
                  f.cluster().client().resources(ClusterSPIFFEID.class).withName("default").get();
              return c.getStatus() == null || c.getStatus().getStats() == null
                  ? -1
                  : c.getStatus().getStats().getEntriesToSet();
            },
            n -> n == 2);
  }
}
