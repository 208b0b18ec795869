package org.spireoperator.scm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.spireoperator.scm.crd.ClusterFederatedTrustDomain;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.crd.ClusterStaticEntry;
import org.spireoperator.scm.entries.ClusterSpiffeIdRule;
import org.spireoperator.scm.entries.StaticEntryRenderer;
import org.spireoperator.scm.federation.FederationSpecs;

/** The examples in deploy/examples/scm/ are valid objects the operator accepts. */
class ScmExamplesTest {

  private static final Path DIR = Path.of("..", "deploy", "examples", "scm");

  private static <T> T load(String file, Class<T> type) throws IOException {
    try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
      return Serialization.unmarshal(in, type);
    }
  }

  @Test
  void theDefaultClusterSpiffeIdParses() throws IOException {
    assertThat(
            ClusterSpiffeIdRule.parse(load("clusterspiffeid-default.yaml", ClusterSPIFFEID.class))
                .failure())
        .isNull();
  }

  @Test
  void theDnsTemplatedClusterSpiffeIdParses() throws IOException {
    assertThat(
            ClusterSpiffeIdRule.parse(load("clusterspiffeid-dns.yaml", ClusterSPIFFEID.class))
                .failure())
        .isNull();
  }

  @Test
  void theStaticEntryRenders() throws IOException {
    assertThat(
            StaticEntryRenderer.render(
                    load("clusterstaticentry-vm.yaml", ClusterStaticEntry.class).getSpec())
                .failure())
        .isNull();
  }

  @Test
  void theFederatedTrustDomainIsARelationship() throws IOException {
    assertThat(
            FederationSpecs.parse(
                    load("clusterfederatedtrustdomain.yaml", ClusterFederatedTrustDomain.class)
                        .getSpec(),
                    "example.org")
                .failure())
        .isNull();
  }
}
