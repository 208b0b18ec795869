package org.spireoperator.scm.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.grpc.Status;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.spireoperator.scm.crd.BundleEndpointProfile;
import org.spireoperator.scm.crd.ClusterFederatedTrustDomain;
import org.spireoperator.scm.crd.ClusterFederatedTrustDomainSpec;
import org.spireoperator.scm.crd.ScmApi;
import org.spireoperator.scm.entries.ClassRule;
import org.spireoperator.spire.FederationRelationship;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.testserver.SpireTestServer;
import org.spireoperator.testing.MockCluster;

/**
 * ClusterFederatedTrustDomains become federation relationships in SPIRE: the reconciler against
 * fabric8's mock API server (CRUD mode, the CRD created in it) and the in-process SPIRE server.
 */
class ClusterFederatedTrustDomainReconcilerTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private MockCluster cluster;
  private SpireTestServer spire;
  private Operator operator;

  @BeforeEach
  void setUp() {
    cluster = new MockCluster();
    cluster
        .client()
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .load(Path.of("..", "crds", ClusterFederatedTrustDomain.CRD_NAME + "-v1.yml").toFile())
        .create();
    spire = SpireTestServer.start("example.org");
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.stop();
    }
    spire.close();
    cluster.close();
  }

  private void start(ClassRule classRule) {
    ClusterFederatedTrustDomainReconciler reconciler =
        new ClusterFederatedTrustDomainReconciler(
            spire.client(),
            "example.org",
            classRule,
            Duration.ofSeconds(1),
            Duration.ofMillis(200),
            Clock.systemUTC());
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(cluster.client())
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false));
    operator.register(reconciler, c -> c.withGenericFilter(reconciler.eventFilter()));
    operator.start();
  }

  private void start() {
    start(ClassRule.classless());
  }

  private ClusterFederatedTrustDomain apply(
      String name, String trustDomain, Consumer<ClusterFederatedTrustDomainSpec> more) {
    ClusterFederatedTrustDomainSpec spec = new ClusterFederatedTrustDomainSpec();
    spec.setTrustDomain(trustDomain);
    spec.setBundleEndpointURL("https://" + trustDomain + "/bundle");
    spec.setBundleEndpointProfile(new BundleEndpointProfile(BundleEndpointProfile.HTTPS_WEB, null));
    more.accept(spec);
    ClusterFederatedTrustDomain resource = new ClusterFederatedTrustDomain();
    resource.setMetadata(new ObjectMetaBuilder().withName(name).build());
    resource.setSpec(spec);
    return cluster.client().resource(resource).create();
  }

  private ClusterFederatedTrustDomain get(String name) {
    return cluster.client().resources(ClusterFederatedTrustDomain.class).withName(name).get();
  }

  private void edit(String name, Consumer<ClusterFederatedTrustDomainSpec> change) {
    cluster
        .client()
        .resources(ClusterFederatedTrustDomain.class)
        .withName(name)
        .edit(
            r -> {
              change.accept(r.getSpec());
              return r;
            });
  }

  private void delete(String name) {
    cluster.client().resources(ClusterFederatedTrustDomain.class).withName(name).delete();
  }

  private Optional<Condition> ready(String name) {
    ClusterFederatedTrustDomain r = get(name);
    return r == null || r.getStatus() == null || r.getStatus().getConditions() == null
        ? Optional.empty()
        : r.getStatus().getConditions().stream()
            .filter(c -> ScmApi.READY.equals(c.getType()))
            .findFirst();
  }

  private void awaitReason(String name, String reason) {
    await()
        .atMost(WAIT)
        .until(() -> ready(name).map(Condition::getReason), r -> r.equals(Optional.of(reason)));
  }

  private static FederationRelationship web(String td, String url) {
    return new FederationRelationship(
        td, url, org.spireoperator.spire.BundleEndpointProfile.httpsWeb(), null);
  }

  @Test
  void aClusterFederatedTrustDomainBecomesARelationshipItManages() {
    start();
    apply("partner", "partner.org", s -> {});

    awaitReason("partner", ClusterFederatedTrustDomainReconciler.FEDERATED);

    assertThat(spire.federationRelationship("partner.org"))
        .contains(web("partner.org", "https://partner.org/bundle"));
    assertThat(get("partner").getStatus().getManagedTrustDomain()).isEqualTo("partner.org");
  }

  @Test
  void deletingItDeletesTheRelationship() {
    start();
    apply("partner", "partner.org", s -> {});
    awaitReason("partner", ClusterFederatedTrustDomainReconciler.FEDERATED);

    delete("partner");

    await().atMost(WAIT).until(() -> spire.federationRelationships().isEmpty());
    await().atMost(WAIT).until(() -> get("partner") == null);
  }

  @Test
  void aChangedEndpointUpdatesTheRelationship() {
    start();
    apply("partner", "partner.org", s -> {});
    awaitReason("partner", ClusterFederatedTrustDomainReconciler.FEDERATED);

    edit(
        "partner",
        s -> {
          s.setBundleEndpointURL("https://bundles.partner.org:8443");
          s.setBundleEndpointProfile(
              new BundleEndpointProfile(
                  BundleEndpointProfile.HTTPS_SPIFFE, "spiffe://partner.org/spire/server"));
        });

    await()
        .atMost(WAIT)
        .until(
            () -> spire.federationRelationship("partner.org").orElseThrow(),
            r ->
                r.equals(
                    new FederationRelationship(
                        "partner.org",
                        "https://bundles.partner.org:8443",
                        org.spireoperator.spire.BundleEndpointProfile.httpsSpiffe(
                            SpiffeId.parse("spiffe://partner.org/spire/server")),
                        null)));
  }

  @Test
  void theDeclaredBundleIsWrittenWithTheRelationship() {
    start();
    ClusterFederatedTrustDomain sample =
        FederationSpecsTest.sample("docs-clusterfederatedtrustdomain-https-spiffe.yaml");
    cluster.client().resource(sample).create();

    awaitReason("backend", ClusterFederatedTrustDomainReconciler.FEDERATED);

    assertThat(spire.federationRelationship("backend").orElseThrow().bundle().jwtAuthorities())
        .hasSize(1);
    assertThat(spire.federatedTrustDomains()).contains("backend");
  }

  @Test
  void aForeignRelationshipThatDiffersIsLeftAloneAndReported() {
    FederationRelationship foreign = web("partner.org", "https://configured.partner.org/bundle");
    spire.putFederationRelationship(foreign);
    start();
    apply("partner", "partner.org", s -> {});

    awaitReason("partner", ClusterFederatedTrustDomainReconciler.RELATIONSHIP_CONFLICT);
    delete("partner");
    await().atMost(WAIT).until(() -> get("partner") == null);

    assertThat(spire.federationRelationships()).containsExactly(foreign);
  }

  @Test
  void aForeignRelationshipEqualToTheSpecIsAdoptedAndThenOwned() {
    spire.putFederationRelationship(web("partner.org", "https://partner.org/bundle"));
    start();
    apply("partner", "partner.org", s -> {});
    awaitReason("partner", ClusterFederatedTrustDomainReconciler.FEDERATED);

    delete("partner");

    await().atMost(WAIT).until(() -> spire.federationRelationships().isEmpty());
  }

  @Test
  void relationshipsOfUndeclaredTrustDomainsAreNeverTouched() {
    FederationRelationship other = web("other.org", "https://other.org/bundle");
    spire.putFederationRelationship(other);
    start();
    apply("partner", "partner.org", s -> {});
    awaitReason("partner", ClusterFederatedTrustDomainReconciler.FEDERATED);

    assertThat(spire.federationRelationships())
        .containsExactly(other, web("partner.org", "https://partner.org/bundle"));
  }

  @Test
  void aRelationshipDeletedBehindItsBackIsRecreated() {
    start();
    apply("partner", "partner.org", s -> {});
    awaitReason("partner", ClusterFederatedTrustDomainReconciler.FEDERATED);

    spire.removeFederationRelationship("partner.org");

    await().atMost(WAIT).until(() -> spire.federationRelationship("partner.org").isPresent());
  }

  @Test
  void aChangedTrustDomainMovesTheRelationship() {
    start();
    apply("partner", "partner.org", s -> {});
    awaitReason("partner", ClusterFederatedTrustDomainReconciler.FEDERATED);

    edit(
        "partner",
        s -> {
          s.setTrustDomain("partner.net");
          s.setBundleEndpointURL("https://partner.net/bundle");
        });

    await()
        .atMost(WAIT)
        .until(
            () -> spire.federationRelationships(),
            l -> l.equals(java.util.List.of(web("partner.net", "https://partner.net/bundle"))));
    await()
        .atMost(WAIT)
        .until(() -> get("partner").getStatus().getManagedTrustDomain(), "partner.net"::equals);
  }

  @Test
  @DisplayName("of two objects declaring one trust domain the older (then the smaller UID) wins")
  void theOlderOfTwoObjectsDeclaringATrustDomainWins() {
    start();
    apply("first", "partner.org", s -> {});
    apply("second", "partner.org", s -> s.setBundleEndpointURL("https://second.partner.org"));
    ClusterFederatedTrustDomain first = get("first");
    ClusterFederatedTrustDomain second = get("second");
    boolean firstWins =
        Comparator.comparing(
                    (ClusterFederatedTrustDomain r) -> r.getMetadata().getCreationTimestamp())
                .thenComparing(r -> r.getMetadata().getUid())
                .compare(first, second)
            < 0;
    ClusterFederatedTrustDomain winner = firstWins ? first : second;
    String loser = firstWins ? "second" : "first";

    awaitReason(loser, ClusterFederatedTrustDomainReconciler.DUPLICATE_TRUST_DOMAIN);
    awaitReason(winner.getMetadata().getName(), ClusterFederatedTrustDomainReconciler.FEDERATED);

    await()
        .atMost(WAIT)
        .until(
            () -> spire.federationRelationships(),
            l ->
                l.equals(
                    java.util.List.of(
                        web("partner.org", winner.getSpec().getBundleEndpointURL()))));
  }

  @Test
  void anInvalidSpecIsReportedAndWritesNothing() {
    start();
    apply(
        "partner",
        "partner.org",
        s -> s.getBundleEndpointProfile().setEndpointSPIFFEID("spiffe://partner.org/server"));

    awaitReason("partner", "InvalidSpec");

    assertThat(ready("partner").orElseThrow().getMessage())
        .contains("not allowed with the https_web profile");
    assertThat(spire.federationRelationships()).isEmpty();
  }

  @Test
  void objectsOfAnotherClassAreIgnored() {
    start(new ClassRule("ours", false));
    apply("theirs", "partner.org", s -> s.setClassName("theirs"));
    apply("ours", "partner.net", s -> s.setClassName("ours"));

    awaitReason("ours", ClusterFederatedTrustDomainReconciler.FEDERATED);

    assertThat(spire.federationRelationship("partner.org")).isEmpty();
    assertThat(get("theirs").getMetadata().getFinalizers()).isEmpty();
    assertThat(ready("theirs")).isEmpty();
  }

  @Test
  void anObjectLeavingTheClassKeepsItsRelationshipAndLosesTheFinalizer() {
    start(new ClassRule("ours", false));
    apply("partner", "partner.org", s -> s.setClassName("ours"));
    awaitReason("partner", ClusterFederatedTrustDomainReconciler.FEDERATED);

    edit("partner", s -> s.setClassName("theirs"));

    await().atMost(WAIT).until(() -> get("partner").getMetadata().getFinalizers().isEmpty());
    assertThat(spire.federationRelationship("partner.org")).isPresent();
  }

  @Test
  void aSpireOutageIsRetriedUntilTheRelationshipIsThere() {
    start();
    spire.failNext("GetFederationRelationship", 10, Status.Code.UNAVAILABLE);
    apply("partner", "partner.org", s -> {});

    awaitReason("partner", ClusterFederatedTrustDomainReconciler.FEDERATED);

    assertThat(spire.calls("GetFederationRelationship")).hasSizeGreaterThan(10);
  }
}
