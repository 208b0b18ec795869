package org.spireoperator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spireoperator.crd.Specs.load;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.tenancy.SpiffeIdPath;
import org.spireoperator.tenancy.TenantConfinement;
import org.spireoperator.tenancy.TenantRule;

/**
 * Manifests written for the upstream k8s-workload-registrar (CRD mode) are read and registered the
 * same way.
 */
class UpstreamManifestsTest {

  private static final SpiffeIdRules CONFINED =
      new SpiffeIdRules(
          new TenantConfinement(
              "example.org",
              true,
              Set.of("spire"),
              SpiffeIdPath.DEFAULT,
              Set.of(),
              Set.of(SpiffeId.server("example.org")),
              Set.of(),
              "cluster.local"),
          SpiffeId.parse("spiffe://example.org/spire-k8s-registrar"));
  private static final TenantConfinement.Parents NODES =
      new TenantConfinement.Parents(
          Set.of(
              SpiffeId.parse(
                  "spiffe://example.org/k8s-workload-registrar/demo-cluster/node/worker-1"),
              SpiffeId.parse(
                  "spiffe://example.org/k8s-workload-registrar/demo-cluster/node/worker-2")),
          id -> false);

  private static Entry entryOf(SpiffeID resource) {
    EntryMapping mapping = SpiffeIDEntries.toEntry(resource.getSpec());
    assertThat(mapping.problems()).isEmpty();
    return mapping.entryIfValid().orElseThrow();
  }

  private static Set<String> selectors(Entry entry) {
    return Set.copyOf(entry.selectors().stream().map(Selector::toString).toList());
  }

  @Test
  void theUpstreamSampleIsReadAsASpiffeIdInItsNamespace() {
    SpiffeID resource = load("upstream-sample.yaml");

    assertThat(resource.getApiVersion()).isEqualTo("spiffeid.spiffe.io/v1beta1");
    assertThat(resource.getKind()).isEqualTo("SpiffeID");
    assertThat(resource.getMetadata().getName()).isEqualTo("my-test-spiffeid");
    assertThat(resource.getMetadata().getNamespace()).isEqualTo("default");
  }

  @Test
  void theUpstreamSampleBecomesTheEntryUpstreamRegistered() {
    Entry entry = entryOf(load("upstream-sample.yaml"));

    assertThat(entry.spiffeId()).hasToString("spiffe://example.org/test");
    assertThat(entry.parentId()).hasToString("spiffe://example.org/spire/server");
    assertThat(selectors(entry))
        .containsExactlyInAnyOrder("k8s:ns:default", "k8s:pod-name:my-test-pod");
    assertThat(entry.downstream()).isFalse();
  }

  @Test
  void theUpstreamSampleIsForbiddenWhenConfinedBecauseItsIdIsOutsideItsNamespacesPath() {
    Admission admission = CONFINED.admit(load("upstream-sample.yaml"), NODES);
    assertThat(((Admission.Forbidden) admission).rule()).isEqualTo(TenantRule.SPIFFE_ID_PATH);
  }

  @Test
  void theUpstreamSampleIsAllowedInAPrivilegedNamespace() {
    SpiffeID resource = load("upstream-sample.yaml");
    resource.getMetadata().setNamespace("spire");
    resource.getSpec().getSelector().setNamespace("spire");
    Admission admission = CONFINED.admit(resource, NODES);
    assertThat(admission.isAllowed()).as(admission.message()).isTrue();
  }

  @Test
  void theUpstreamBadSampleIsValidButForbiddenByTheNamespaceRuleAsUpstreamsWebhookDid() {
    SpiffeID resource = load("upstream-sample-bad.yaml");

    assertThat(SpiffeIDEntries.toEntry(resource.getSpec()).isValid()).isTrue();
    Admission admission = CONFINED.admit(resource, NODES);
    assertThat(admission)
        .isInstanceOfSatisfying(
            Admission.Forbidden.class,
            forbidden -> {
              assertThat(forbidden.rule()).isEqualTo(TenantRule.NAMESPACE);
              assertThat(forbidden.message()).contains("\"default2\"", "\"default\"");
            });
  }

  @Test
  void theReadmeExampleKeepsDnsNamesFederationAndDownstream() {
    Entry entry = entryOf(load("upstream-readme-example.yaml"));

    assertThat(entry.spiffeId()).hasToString("spiffe://example.org/my-spiffe-id");
    assertThat(entry.dnsNames()).containsExactly("my-dns-name");
    assertThat(entry.federatesWith()).containsExactly("example-third-party.org");
    assertThat(entry.downstream()).isFalse();
    assertThat(selectors(entry))
        .containsExactlyInAnyOrder("k8s:ns:my-namespace", "k8s:pod-name:my-pod-name");
  }

  @Test
  void aPodSpiffeIdCreatedByUpstreamKeepsItsEntryIdAndMapsToTheSameEntry() {
    SpiffeID resource = load("upstream-pod-generated.yaml");

    assertThat(resource.getStatus().getEntryId()).isEqualTo("0d1c4d1e-5a6b-4bd8-8c1f-0e2f7d9a3b11");
    assertThat(resource.getMetadata().getFinalizers())
        .containsExactly("finalizers.spiffeid.spiffe.io");
    Entry entry = entryOf(resource);
    assertThat(entry.parentId())
        .hasToString("spiffe://example.org/k8s-workload-registrar/demo-cluster/node/worker-1");
    assertThat(entry.dnsNames()).containsExactly("web-7ffbd8bd54-rcnt8");
    assertThat(selectors(entry))
        .containsExactlyInAnyOrder(
            "k8s:ns:shop",
            "k8s:node-name:worker-1",
            "k8s:pod-uid:2849bd42-ed7c-4652-af0b-382911c11f52");
    assertThat(CONFINED.admit(resource, NODES).isAllowed()).isTrue();
  }

  @Test
  void aNodeSpiffeIdCreatedByUpstreamMapsToANodeEntryAllowedInThePrivilegedNamespace() {
    SpiffeID resource = load("upstream-node-generated.yaml");

    Entry entry = entryOf(resource);
    assertThat(entry.parentId()).isEqualTo(SpiffeId.server("example.org"));
    assertThat(selectors(entry))
        .containsExactlyInAnyOrder(
            "k8s_psat:cluster:demo-cluster",
            "k8s_psat:agent_node_uid:5e0c9d43-8a7e-4f55-9f0a-6c0de3b1a2f4");
    Admission admission = CONFINED.admit(resource, NODES);
    assertThat(admission)
        .isInstanceOfSatisfying(
            Admission.Allowed.class, allowed -> assertThat(allowed.entry()).isEqualTo(entry));
  }

  @Test
  void everyUpstreamFieldIsRead() {
    SpiffeID resource = load("every-upstream-field.yaml");
    SpiffeIDSelector selector = resource.getSpec().getSelector();

    assertThat(selector.getPodLabel()).isEqualTo(Map.of("app", "api", "tier", "backend"));
    Entry entry = entryOf(resource);
    assertThat(selectors(entry))
        .containsExactlyInAnyOrder(
            "k8s:pod-label:app:api",
            "k8s:pod-label:tier:backend",
            "k8s:pod-name:api-0",
            "k8s:pod-uid:0f4a1d2c-1111-2222-3333-444455556666",
            "k8s:ns:apps",
            "k8s:sa:api",
            "k8s:container-image:registry.example/api:1.2.3",
            "k8s:container-name:api",
            "k8s:node-name:worker-2",
            "k8s:pod-image-count:1",
            "k8s:pod-owner:StatefulSet:api");
    assertThat(entry.dnsNames()).containsExactly("api.apps.svc", "*.api.example.com");
    assertThat(entry.federatesWith()).containsExactly("other.example", "partner.example");
  }

  @Test
  void theOperatorsAdditionsAreRead() {
    SpiffeID resource = load("with-extensions.yaml");

    Entry entry = entryOf(resource);
    assertThat(entry.x509SvidTtl()).isEqualTo(3600);
    assertThat(entry.jwtSvidTtl()).isEqualTo(300);
    assertThat(entry.hint()).isEqualTo("ops");
    assertThat(entry.admin()).isTrue();
    assertThat(entry.storeSvid()).isFalse();
    assertThat(resource.getStatus().getObservedGeneration()).isEqualTo(3L);
    assertThat(resource.getStatus().getConditions())
        .singleElement()
        .satisfies(
            condition -> {
              assertThat(condition.getType()).isEqualTo(SpiffeIDStatus.READY);
              assertThat(condition.getStatus()).isEqualTo("True");
            });
  }

  @Test
  void writingAResourceBackUsesTheUpstreamFieldNames() {
    String json = Serialization.asJson(load("upstream-node-generated.yaml"));

    assertThat(json)
        .contains("\"agent_node_uid\":\"5e0c9d43-8a7e-4f55-9f0a-6c0de3b1a2f4\"", "\"entryId\":")
        .doesNotContain("agentNodeUid", "null");
  }
}
