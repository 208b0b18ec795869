package org.spireoperator.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.spireoperator.app.OperatorOptions;
import org.spireoperator.app.RegistrarOperator;
import org.spireoperator.k8s.AgentPodSelector;
import org.spireoperator.observe.RegistrarMetrics;
import org.spireoperator.registration.EntryIds;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireClientSettings;
import org.spireoperator.spire.testserver.SpireTestServer;
import org.spireoperator.tenancy.SpiffeIdPath;
import org.spireoperator.tenancy.TenantConfinement;

/**
 * The whole operator against fabric8's mock API server (CRUD) and the in-process SPIRE API test
 * server: what the integration specifications drive. Start with {@link #start}, stop with {@link
 * #close}.
 */
public final class OperatorFixture implements AutoCloseable {

  public static final String TRUST_DOMAIN = "example.org";
  public static final String CLUSTER = "demo";

  private final MockCluster cluster;
  private final SpireTestServer spire;
  private final SpireClient client;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private RegistrarOperator operator;

  public OperatorFixture() {
    this.cluster = new MockCluster();
    this.spire = SpireTestServer.start(TRUST_DOMAIN);
    this.client =
        new SpireClient(
            spire.channel(),
            SpireClientSettings.defaults().withTimeout(Duration.ofSeconds(5)),
            (m, c, l) -> {});
  }

  /**
   * spire-controller-manager's API as the SCM tests serve it: classless objects, {@code
   * kube-system} ignored, cluster domain {@code cluster.local}, pod entries under their node's
   * agent.
   */
  public static org.spireoperator.scm.entries.ScmIntegration clusterSpiffeIds(
      org.spireoperator.scm.entries.ScmIntegration.RegistrarPods registrarPods) {
    return new org.spireoperator.scm.entries.ScmIntegration(
        true,
        new org.spireoperator.scm.entries.ScmSettings(
            TRUST_DOMAIN,
            CLUSTER,
            "cluster.local",
            org.spireoperator.scm.entries.ClassRule.classless(),
            org.spireoperator.scm.entries.IgnoredNamespaces.of(List.of("kube-system"))
                .orElseThrow()),
        org.spireoperator.scm.entries.ScmIntegration.Parent.AGENT_BY_NODE_UID,
        registrarPods);
  }

  public static RegistrationSettings defaults() {
    return RegistrationSettings.defaults(TRUST_DOMAIN, CLUSTER)
        .withTenant(
            new TenantConfinement(
                TRUST_DOMAIN,
                true,
                Set.of("spire"),
                SpiffeIdPath.DEFAULT,
                Set.of(),
                Set.of(),
                Set.of(),
                "cluster.local"));
  }

  /** Defaults with tenant confinement off (upstream's behaviour without its webhook). */
  public static RegistrationSettings unconfined() {
    return RegistrationSettings.defaults(TRUST_DOMAIN, CLUSTER)
        .withTenant(
            new TenantConfinement(
                TRUST_DOMAIN,
                false,
                Set.of(),
                SpiffeIdPath.DEFAULT,
                Set.of(),
                Set.of(),
                Set.of(),
                "cluster.local"));
  }

  /** The entry ID marks of the operator under test. */
  public static EntryIds ids() {
    return EntryIds.forCluster("spire-k8s-registrar", CLUSTER);
  }

  public static OperatorOptions options() {
    return new OperatorOptions(
        Duration.ofHours(1),
        50,
        2,
        10,
        new AgentPodSelector("spire", Map.of("app", "spire-agent")),
        null,
        false);
  }

  public OperatorFixture start(RegistrationSettings settings) {
    return start(settings, UnaryOperator.identity());
  }

  public OperatorFixture start(
      RegistrationSettings settings, UnaryOperator<OperatorOptions> options) {
    operator =
        new RegistrarOperator(
            cluster.operatorClient(),
            client,
            settings,
            ids(),
            options.apply(options()),
            new RegistrarMetrics(meters));
    operator.start();
    return this;
  }

  /** The meters of the operators this fixture started (JOSDK's and the registrar's). */
  public SimpleMeterRegistry meters() {
    return meters;
  }

  public MockCluster cluster() {
    return cluster;
  }

  public SpireTestServer spire() {
    return spire;
  }

  public SpireClient spireClient() {
    return client;
  }

  public RegistrarOperator operator() {
    return operator;
  }

  /** Every entry the SPIRE server holds. */
  public List<Entry> entries() {
    return spire.entries();
  }

  /** The entry with this SPIFFE ID, if the server holds one. */
  public java.util.Optional<Entry> entry(String spiffeId) {
    return entries().stream().filter(e -> e.spiffeId().toString().equals(spiffeId)).findFirst();
  }

  /** Waits until the server holds an entry with this SPIFFE ID. */
  public Entry awaitEntry(String spiffeId) {
    return org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> entry(spiffeId), java.util.Optional::isPresent)
        .get();
  }

  /** True once the first full pass has loaded the owned entries. */
  public boolean loaded() {
    return operator.registrar().isLoaded();
  }

  /** Runs a full pass now (on the caller's thread); its writes follow on the engine's workers. */
  public void fullPass() {
    operator.registrar().runPass();
  }

  /** Waits until the engine has nothing left to write. */
  public void awaitIdle() {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> loaded() && operator.registrar().queue().isIdle());
  }

  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  @Override
  public void close() {
    stopOperator();
    spire.close();
    cluster.close();
  }
}
