package org.spireoperator.e2e.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.testing.LogFiles;

/**
 * The real servers the whole suite shares: one kube-apiserver (with the operator's CRD and RBAC
 * installed) and one spire-server, started once per JVM by {@link RealServersExtension} and stopped
 * after the last test. Tests keep to their own namespaces and node names; a test that restarts a
 * server leaves it running.
 */
public final class RealServers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RealServers.class);

  public static final String TRUST_DOMAIN = "example.org";

  /** The cluster name of the operator and of the server's k8s_sat and k8s_psat attestors. */
  public static final String CLUSTER = "demo";

  /** Namespace of the agents' ServiceAccounts (and of their Pods, {@code app=spire-agent}). */
  public static final String AGENT_NAMESPACE = "spire";

  /**
   * The agents' ServiceAccounts on the server's allow list (k8s_sat and k8s_psat): the shared
   * default and one per node of the agent tests ({@code k8s_sat} agents are told apart only by
   * them).
   */
  public static final List<String> AGENT_SERVICE_ACCOUNTS =
      List.of("spire-agent", "spire-agent-a", "spire-agent-b");

  private final Path repoRoot;
  private final Path workRoot;
  private final RealKube kube;
  private final RealSpire spire;
  private final Path operatorKubeconfig;

  private RealServers(
      Path repoRoot, Path workRoot, RealKube kube, RealSpire spire, Path operatorKubeconfig) {
    this.repoRoot = repoRoot;
    this.workRoot = workRoot;
    this.kube = kube;
    this.spire = spire;
    this.operatorKubeconfig = operatorKubeconfig;
  }

  static RealServers start() throws Exception {
    Path repoRoot = E2eSettings.repoRoot();
    Path workRoot = E2eSettings.workRoot();
    Files.createDirectories(workRoot);
    Path logs = workRoot.resolve("logs");
    LogFiles.deleteRecursively(logs);
    LogFiles.deleteRecursively(workRoot.resolve("operators"));
    long started = System.nanoTime();
    RealKube kube = RealKube.start(repoRoot, workRoot.resolve("kube"), logs);
    RealSpire spire;
    try {
      kube.installOperatorResources();
      spire = startSpire(kube, workRoot.resolve("spire"), logs, TRUST_DOMAIN);
    } catch (Exception e) {
      kube.close();
      throw e;
    }
    Path kubeconfig = kube.writeOperatorKubeconfig(workRoot.resolve("operator.kubeconfig"));
    LOG.atInfo()
        .addKeyValue("seconds", (System.nanoTime() - started) / 1_000_000_000L)
        .addKeyValue("workdir", workRoot)
        .log("real servers ready");
    return new RealServers(repoRoot, workRoot, kube, spire, kubeconfig);
  }

  /**
   * A spire-server of the release under test, for the cluster {@link #CLUSTER} of {@code kube},
   * with the agents' allow list; its files in {@code workdir} (keep it short: unix socket paths are
   * limited to ~100 characters).
   */
  private static RealSpire startSpire(RealKube kube, Path workdir, Path logs, String trustDomain)
      throws Exception {
    return RealSpire.start(
        E2eSettings.repoRoot(),
        workdir,
        logs,
        trustDomain,
        CLUSTER,
        E2eSettings.spireVersion(),
        kube.writeSpireServerKubeconfig(E2eSettings.workRoot().resolve("spire-server.kubeconfig")),
        AGENT_SERVICE_ACCOUNTS.stream().map(sa -> AGENT_NAMESPACE + ":" + sa).toList());
  }

  /**
   * One more spire-server like {@link #spire()}, with a trust domain of its own, for a test that
   * needs servers of its own (the caller closes it).
   */
  public RealSpire anotherSpire(Path workdir, Path logs, String trustDomain) throws Exception {
    return startSpire(kube, workdir, logs, trustDomain);
  }

  public RealKube kube() {
    return kube;
  }

  public RealSpire spire() {
    return spire;
  }

  /** Kubeconfig with the operator ServiceAccount's token (deploy/ RBAC, not admin). */
  public Path operatorKubeconfig() {
    return operatorKubeconfig;
  }

  /** The packaged operator jar under test. */
  public Path operatorJar() {
    return repoRoot.resolve("operator/target/operator-0.1.0-SNAPSHOT-all.jar");
  }

  /** Where a test class keeps its operators' configs and logs. */
  public Path dirFor(Class<?> testClass) {
    return workRoot.resolve("operators").resolve(testClass.getSimpleName());
  }

  /**
   * Starts a replica of the operator with {@code config}, its files in the test class's directory.
   */
  public OperatorProcess startOperator(Class<?> testClass, String name, OperatorConfig config)
      throws Exception {
    return OperatorProcess.start(
        name, operatorJar(), config, operatorKubeconfig, dirFor(testClass));
  }

  /** The default operator configuration against this spire-server and cluster. */
  public OperatorConfig operatorConfig() {
    return OperatorConfig.of(spire, CLUSTER);
  }

  public Registrations registrations() {
    return new Registrations(spire.client(), TRUST_DOMAIN, CLUSTER);
  }

  public Workloads workloads() {
    return new Workloads(kube.admin());
  }

  /** Agents standing for nodes: agent Pods bound to their Nodes, attested by real spire-agents. */
  public NodeAgents nodeAgents(Class<?> testClass) {
    return new NodeAgents(kube.admin(), spire, dirFor(testClass).resolve("agents"));
  }

  @Override
  public void close() throws Exception {
    try {
      spire.close();
    } finally {
      kube.close();
    }
  }
}
