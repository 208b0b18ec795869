package org.spireoperator.scm.entries;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spireoperator.scm.crd.ClusterStaticEntry;
import org.spireoperator.scm.crd.ClusterStaticEntrySpec;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/** A ClusterStaticEntry's entry is the one spire-controller-manager v0.6.4 renders. */
class StaticEntryRendererTest {

  private static ClusterStaticEntrySpec spec(Consumer<ClusterStaticEntrySpec> changes) {
    ClusterStaticEntrySpec spec = new ClusterStaticEntrySpec();
    spec.setSpiffeID("spiffe://example.org/vm/db");
    spec.setParentID("spiffe://example.org/spire/agent/join_token/abc");
    spec.setSelectors(List.of("unix:uid:1000"));
    changes.accept(spec);
    return spec;
  }

  @Test
  void theDemosStaticEntryKeepsEveryField() throws Exception {
    ClusterStaticEntry resource;
    try (InputStream in =
        getClass().getResourceAsStream("/scm/samples/demo-config-static-entry.yaml")) {
      resource = Serialization.unmarshal(in, ClusterStaticEntry.class);
    }

    Entry e = StaticEntryRenderer.render(resource.getSpec()).orElseThrow();

    assertThat(e)
        .isEqualTo(
            new Entry(
                null,
                SpiffeId.parse("spiffe://cluster1.demo/static-spiffe-id"),
                SpiffeId.parse("spiffe://cluster1.demo/static-parent-id"),
                new TreeSet<>(
                    List.of(new Selector("static", "one"), new Selector("static", "two"))),
                List.of("static-dns"),
                new TreeSet<>(List.of("cluster1.demo")),
                7200,
                360,
                true,
                true,
                "static-hint-2",
                true,
                0,
                0,
                0));
  }

  @Test
  void theSpiffeIdMayBeInAnyTrustDomain() {
    assertThat(
            StaticEntryRenderer.render(spec(s -> s.setSpiffeID("spiffe://elsewhere.org/x"))).isOk())
        .isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          bad SPIFFE ID   | spiffeID    | example.org/db       | spiffeID: invalid SPIFFE ID
          bad parent ID   | parentID    | spiffe://EX.org/x    | parentID: invalid SPIFFE ID
          bad selector    | selectors   | unix                 | selectors[0]: "unix" has no ':'
          bad TTL         | x509SVIDTTL | 2 hours              | x509SVIDTTL: unknown unit
          bad JWT TTL     | jwtSVIDTTL  | 10                   | jwtSVIDTTL: missing unit
          bad federation  | federatesWith | Bad.Org            | federatesWith "Bad.Org": trust domain
          """)
  void anInvalidFieldFailsNamingIt(String title, String field, String value, String message) {
    ClusterStaticEntrySpec s =
        spec(
            x -> {
              switch (field) {
                case "spiffeID" -> x.setSpiffeID(value);
                case "parentID" -> x.setParentID(value);
                case "selectors" -> x.setSelectors(List.of(value));
                case "x509SVIDTTL" -> x.setX509SVIDTTL(value);
                case "jwtSVIDTTL" -> x.setJwtSVIDTTL(value);
                default -> x.setFederatesWith(List.of(value));
              }
            });

    assertThat(StaticEntryRenderer.render(s).failure()).startsWith(message);
  }
}
