package org.spireoperator.scm.federation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spireoperator.scm.Outcome;
import org.spireoperator.scm.crd.BundleEndpointProfile;
import org.spireoperator.scm.crd.ClusterFederatedTrustDomain;
import org.spireoperator.scm.crd.ClusterFederatedTrustDomainSpec;
import org.spireoperator.spire.FederationRelationship;
import org.spireoperator.spire.SpiffeId;

/** A ClusterFederatedTrustDomain declares the relationship spire-controller-manager would write. */
class FederationSpecsTest {

  static ClusterFederatedTrustDomain sample(String name) {
    try (InputStream in = FederationSpecsTest.class.getResourceAsStream("/scm/samples/" + name)) {
      return Serialization.unmarshal(in, ClusterFederatedTrustDomain.class);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ClusterFederatedTrustDomainSpec spec(Consumer<ClusterFederatedTrustDomainSpec> c) {
    ClusterFederatedTrustDomainSpec spec = new ClusterFederatedTrustDomainSpec();
    spec.setTrustDomain("partner.org");
    spec.setBundleEndpointURL("https://partner.org/bundle");
    spec.setBundleEndpointProfile(new BundleEndpointProfile("https_web", null));
    c.accept(spec);
    return spec;
  }

  @Test
  void theDocumentedHttpsWebExample() {
    assertThat(
            FederationSpecs.parse(
                sample("docs-clusterfederatedtrustdomain-https-web.yaml").getSpec(), "example.org"))
        .isEqualTo(
            Outcome.ok(
                new FederationRelationship(
                    "backend",
                    "https://backend.test/bundle",
                    org.spireoperator.spire.BundleEndpointProfile.httpsWeb(),
                    null)));
  }

  @Test
  void theDocumentedHttpsSpiffeExampleCarriesItsBundle() {
    FederationRelationship r =
        FederationSpecs.parse(
                sample("docs-clusterfederatedtrustdomain-https-spiffe.yaml").getSpec(),
                "example.org")
            .orElseThrow();

    assertThat(r.profile())
        .isEqualTo(
            org.spireoperator.spire.BundleEndpointProfile.httpsSpiffe(
                SpiffeId.parse("spiffe://backend/bundle-endpoint-server")));
    assertThat(r.bundle().trustDomain()).isEqualTo("backend");
    assertThat(r.bundle().x509Authorities()).hasSize(1);
    assertThat(r.bundle().jwtAuthorities())
        .singleElement()
        .satisfies(k -> assertThat(k.keyId()).isEqualTo("BSZV4bb6MLNky0Xhk402GChJVBvSYzZq"));
  }

  @Test
  void aTrustDomainMayBeWrittenAsASpiffeId() {
    assertThat(
            FederationSpecs.parse(
                    spec(s -> s.setTrustDomain("spiffe://partner.org")), "example.org")
                .map(FederationRelationship::trustDomain))
        .isEqualTo(Outcome.ok("partner.org"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          uppercase trust domain        | trustDomain        | Partner.org                 | trustDomain:
          own trust domain              | trustDomain        | example.org                 | is the SPIRE server's own trust domain
          http URL                      | bundleEndpointURL  | http://partner.org/bundle   | is not an https URL
          URL with user info            | bundleEndpointURL  | https://u:p@partner.org/b   | must not contain user info
          URL without host              | bundleEndpointURL  | https:///bundle             | has no host
          https_web with endpoint ID    | endpointSPIFFEID   | spiffe://partner.org/server | not allowed with the https_web profile
          https_spiffe without ID       | type               | https_spiffe                | bundleEndpointProfile.endpointSPIFFEID
          unknown profile               | type               | https                       | is neither https_web nor https_spiffe
          bundle that is not JSON       | trustDomainBundle  | not json                    | trustDomainBundle: not JSON
          bundle without keys           | trustDomainBundle  | {}                          | trustDomainBundle: no "keys" array
          """)
  void invalidSpecsFailNamingTheField(String title, String field, String value, String message) {
    ClusterFederatedTrustDomainSpec s =
        spec(
            x -> {
              switch (field) {
                case "trustDomain" -> x.setTrustDomain(value);
                case "bundleEndpointURL" -> x.setBundleEndpointURL(value);
                case "endpointSPIFFEID" -> x.getBundleEndpointProfile().setEndpointSPIFFEID(value);
                case "type" -> x.getBundleEndpointProfile().setType(value);
                default -> x.setTrustDomainBundle(value);
              }
            });

    assertThat(FederationSpecs.parse(s, "example.org").failure()).contains(message);
  }
}
