package org.spireoperator.scm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.crd.ClusterSPIFFEIDSpec;
import org.spireoperator.scm.entries.ClassRule;
import org.spireoperator.scm.entries.IgnoredNamespaces;
import org.spireoperator.scm.entries.ScmIntegration;
import org.spireoperator.scm.entries.ScmSettings;
import org.spireoperator.testing.OperatorFixture;

/**
 * The entries of the last ClusterSPIFFEID lie under the nodes' agents, which no full pass needs to
 * read once no ClusterSPIFFEID is left: the pass after its deletion still reads them (it reads the
 * parents of every indexed entry), so they are deleted, not forgotten.
 */
class LastClusterSpiffeIdDeletionTest {

  private OperatorFixture f;

  @BeforeEach
  void setUp() {
    f = new OperatorFixture();
    f.cluster().crd("clusterspiffeids.spire.spiffe.io-v1.yml");
    f.cluster().namespace("shop");
    f.cluster().node("node-1");
    f.cluster().pod("shop", "web-0", "node-1", "web");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static RegistrationSettings settings() {
    return OperatorFixture.defaults()
        .withScm(
            new ScmIntegration(
                true,
                new ScmSettings(
                    "example.org",
                    "demo",
                    "cluster.local",
                    ClassRule.classless(),
                    IgnoredNamespaces.of(List.of("kube-system")).orElseThrow()),
                ScmIntegration.Parent.AGENT_BY_NODE_UID,
                ScmIntegration.RegistrarPods.OFF,
                null,
                true));
  }

  @Test
  @DisplayName("the pass after the last ClusterSPIFFEID's deletion deletes its entries")
  void entriesOfTheLastClusterSpiffeIdAreDeleted() {
    ClusterSPIFFEID c = new ClusterSPIFFEID();
    c.setMetadata(new ObjectMetaBuilder().withName("default").build());
    ClusterSPIFFEIDSpec spec = new ClusterSPIFFEIDSpec();
    spec.setSpiffeIDTemplate("spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/web");
    c.setSpec(spec);
    f.cluster().client().resource(c).create();
    f.start(settings());
    f.awaitEntry("spiffe://example.org/ns/shop/sa/web");
    f.awaitIdle();

    f.cluster().client().resource(c).delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                f.cluster().client().resources(ClusterSPIFFEID.class).list().getItems().isEmpty());
    f.fullPass();
    f.awaitIdle();

    assertThat(f.entries()).isEmpty();
  }
}
