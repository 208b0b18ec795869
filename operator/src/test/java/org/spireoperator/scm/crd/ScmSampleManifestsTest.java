package org.spireoperator.scm.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spireoperator.testing.StructuralSchema;

/**
 * spire-controller-manager's own example manifests (its docs, demo and migration guide, and the
 * SPIRE Helm chart's default ClusterSPIFFEIDs), copied unchanged into {@code
 * src/test/resources/scm/}, read into our classes without losing anything and conform to our CRDs'
 * schemas.
 */
class ScmSampleManifestsTest {

  static Stream<Arguments> samples() {
    return Stream.of(
        Arguments.of("demo-config-greeter-client-id.yaml", ClusterSPIFFEID.class),
        Arguments.of("demo-config-greeter-server-id.yaml", ClusterSPIFFEID.class),
        Arguments.of("migration-config-clusterspiffeid.yaml", ClusterSPIFFEID.class),
        Arguments.of("docs-clusterspiffeid-namespace-selector.yaml", ClusterSPIFFEID.class),
        Arguments.of("docs-clusterspiffeid-federates-with.yaml", ClusterSPIFFEID.class),
        Arguments.of("docs-clusterspiffeid-dns-names.yaml", ClusterSPIFFEID.class),
        Arguments.of("migration-readme-label-based.yaml", ClusterSPIFFEID.class),
        Arguments.of("migration-readme-service-account-based.yaml", ClusterSPIFFEID.class),
        Arguments.of("migration-readme-federation.yaml", ClusterSPIFFEID.class),
        Arguments.of("migration-readme-dns-names.yaml", ClusterSPIFFEID.class),
        Arguments.of("helm-chart-default-clusterspiffeid.yaml", ClusterSPIFFEID.class),
        Arguments.of(
            "helm-chart-oidc-discovery-provider-clusterspiffeid.yaml", ClusterSPIFFEID.class),
        Arguments.of("demo-config-static-entry.yaml", ClusterStaticEntry.class),
        Arguments.of(
            "docs-clusterfederatedtrustdomain-https-web.yaml", ClusterFederatedTrustDomain.class),
        Arguments.of(
            "docs-clusterfederatedtrustdomain-https-spiffe.yaml",
            ClusterFederatedTrustDomain.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  @DisplayName("reads into our class and writes back exactly the same document")
  void readsWithoutLoss(String sample, Class<? extends HasMetadata> type) {
    HasMetadata resource = ScmCrds.sample(sample, type);

    JsonNode written = Serialization.jsonMapper().valueToTree(resource);
    ((ObjectNode) written).remove("status");

    assertThat(written).isEqualTo(ScmCrds.sampleTree(sample));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  @DisplayName("conforms to our generated CRD")
  void conformsToOurCrd(String sample, Class<? extends HasMetadata> type) {
    String crd = HasMetadata.getPlural(type) + "." + HasMetadata.getGroup(type);

    assertThat(
            StructuralSchema.violations(
                ScmCrds.sampleTree(sample), ScmCrds.schema(ScmCrds.generated(crd))))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  @DisplayName("conforms to spire-controller-manager's CRD (the checker agrees with theirs)")
  void conformsToTheirCrd(String sample, Class<? extends HasMetadata> type) {
    assertThat(
            StructuralSchema.violations(
                ScmCrds.sampleTree(sample),
                ScmCrds.schema(ScmCrds.upstream(HasMetadata.getPlural(type)))))
        .isEmpty();
  }

  @Test
  void theHelmChartsDefaultIsAClassedFallbackExcludingSpiresNamespaces() {
    ClusterSPIFFEIDSpec spec =
        ScmCrds.sample("helm-chart-default-clusterspiffeid.yaml", ClusterSPIFFEID.class).getSpec();

    assertThat(spec.getFallback()).isTrue();
    assertThat(spec.getClassName()).isEqualTo("spire-server-spire");
    assertThat(spec.getHint()).isEqualTo("default");
    assertThat(spec.getNamespaceSelector().getMatchExpressions())
        .extracting(
            LabelSelectorRequirement::getKey,
            LabelSelectorRequirement::getOperator,
            LabelSelectorRequirement::getValues)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "kubernetes.io/metadata.name",
                "NotIn",
                java.util.List.of("spire-server", "spire-system")));
  }

  @Test
  void theStaticEntrySampleKeepsEveryField() {
    ClusterStaticEntrySpec spec =
        ScmCrds.sample("demo-config-static-entry.yaml", ClusterStaticEntry.class).getSpec();

    assertThat(
            Map.of(
                "selectors", spec.getSelectors(),
                "x509SVIDTTL", spec.getX509SVIDTTL(),
                "jwtSVIDTTL", spec.getJwtSVIDTTL(),
                "hint", spec.getHint(),
                "flags",
                    java.util.List.of(spec.getAdmin(), spec.getDownstream(), spec.getStoreSVID())))
        .isEqualTo(
            Map.of(
                "selectors", java.util.List.of("static:one", "static:two"),
                "x509SVIDTTL", "2h",
                "jwtSVIDTTL", "6m",
                "hint", "static-hint-2",
                "flags", java.util.List.of(true, true, true)));
  }

  @Test
  void theHttpsSpiffeSampleKeepsProfileAndBundle() {
    ClusterFederatedTrustDomainSpec spec =
        ScmCrds.sample(
                "docs-clusterfederatedtrustdomain-https-spiffe.yaml",
                ClusterFederatedTrustDomain.class)
            .getSpec();

    assertThat(spec.getBundleEndpointProfile())
        .isEqualTo(
            new BundleEndpointProfile(
                BundleEndpointProfile.HTTPS_SPIFFE, "spiffe://backend/bundle-endpoint-server"));
    assertThat(spec.getTrustDomainBundle()).startsWith("{").contains("\"x509-svid\"");
  }
}
