package org.spireoperator.scm.engine;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.crd.ClusterSPIFFEIDSpec;
import org.spireoperator.scm.crd.ClusterStaticEntry;
import org.spireoperator.scm.crd.ClusterStaticEntrySpec;
import org.spireoperator.scm.entries.ScmIntegration;
import org.spireoperator.spire.Entry;
import org.spireoperator.testing.MockCluster;
import org.spireoperator.testing.OperatorFixture;

/**
 * What the end-to-end comparison with spire-controller-manager v0.6.4 (ScmParityE2ETest) found
 * missing, with the registrar's defaults (no {@code add_pod_dns_names}) and no full pass in between
 * (resync one hour): deleting a ClusterSPIFFEID or a ClusterStaticEntry removes its entries at once
 * (and what it masked takes over), and {@code autoPopulateDNSNames} sees the Services reaching a
 * pod.
 */
class ScmObjectLifecycleTest {

  private static final String PER_SA =
      "spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}";

  private OperatorFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new OperatorFixture();
    f.cluster().crds(MockCluster.ALL_CRDS);
    f.cluster().namespace("shop");
    f.cluster().node("node-1");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static RegistrationSettings settings() {
    return OperatorFixture.defaults()
        .withScm(OperatorFixture.clusterSpiffeIds(ScmIntegration.RegistrarPods.FALLBACK));
  }

  private void clusterSpiffeId(String name, Consumer<ClusterSPIFFEIDSpec> spec) {
    ClusterSPIFFEID c = new ClusterSPIFFEID();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    ClusterSPIFFEIDSpec s = new ClusterSPIFFEIDSpec();
    s.setSpiffeIDTemplate(PER_SA);
    spec.accept(s);
    c.setSpec(s);
    f.cluster().client().resource(c).create();
  }

  private List<String> dnsNamesOf(String spiffeId) {
    return f.entry(spiffeId).map(Entry::dnsNames).orElse(null);
  }

  @Test
  @DisplayName(
      "deleting a ClusterSPIFFEID removes its entries, and the declaration it masked takes over")
  void deletingAClusterSpiffeIdRemovesItsEntriesAndUnmasksTheOthers() {
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(settings());
    clusterSpiffeId("older", s -> s.setDnsNameTemplates(List.of("older.example")));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> dnsNamesOf("spiffe://example.org/ns/shop/sa/web"),
            List.of("older.example")::equals);
    // Masking prefers the older object by creation time (seconds): make "younger" younger.
    long olderSecond =
        java.time.Instant.parse(
                f.cluster()
                    .client()
                    .resources(ClusterSPIFFEID.class)
                    .withName("older")
                    .get()
                    .getMetadata()
                    .getCreationTimestamp())
            .getEpochSecond();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> java.time.Instant.now().getEpochSecond() > olderSecond);
    clusterSpiffeId("younger", s -> s.setDnsNameTemplates(List.of("younger.example")));
    f.awaitIdle();

    f.cluster().client().resources(ClusterSPIFFEID.class).withName("older").delete();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> dnsNamesOf("spiffe://example.org/ns/shop/sa/web"),
            List.of("younger.example")::equals);
  }

  @Test
  @DisplayName("deleting a ClusterStaticEntry removes its entry")
  void deletingAClusterStaticEntryRemovesItsEntry() {
    f.start(settings());
    ClusterStaticEntry e = new ClusterStaticEntry();
    e.setMetadata(new ObjectMetaBuilder().withName("vm").build());
    ClusterStaticEntrySpec spec = new ClusterStaticEntrySpec();
    spec.setSpiffeID("spiffe://example.org/vm/db");
    spec.setParentID("spiffe://example.org/spire/agent/join_token/abc");
    spec.setSelectors(List.of("unix:uid:1000"));
    e.setSpec(spec);
    f.cluster().client().resource(e).create();
    f.awaitEntry("spiffe://example.org/vm/db");

    f.cluster().client().resources(ClusterStaticEntry.class).withName("vm").delete();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> f.entry("spiffe://example.org/vm/db").isEmpty());
  }

  @Test
  @DisplayName(
      "autoPopulateDNSNames adds the names of the Services whose EndpointSlices reach the pod, without add_pod_dns_names")
  void autoPopulateDnsNamesSeesTheServicesOfThePod() {
    var pod = f.cluster().pod("shop", "web-0", "node-1", "web");
    f.cluster()
        .client()
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace("shop")
        .resource(
            new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("web-abcde")
                .addToLabels("kubernetes.io/service-name", "web")
                .endMetadata()
                .withAddressType("IPv4")
                .withEndpoints(
                    new EndpointBuilder()
                        .withAddresses("10.1.2.3")
                        .withTargetRef(
                            new ObjectReferenceBuilder()
                                .withKind("Pod")
                                .withNamespace("shop")
                                .withName("web-0")
                                .withUid(pod.getMetadata().getUid())
                                .build())
                        .build())
                .build())
        .create();
    f.start(settings());

    clusterSpiffeId("services", s -> s.setAutoPopulateDNSNames(true));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> dnsNamesOf("spiffe://example.org/ns/shop/sa/web"),
            List.of("web", "web.shop", "web.shop.svc", "web.shop.svc.cluster.local")::equals);
  }
}
