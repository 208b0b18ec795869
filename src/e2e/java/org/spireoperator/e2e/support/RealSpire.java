package org.spireoperator.e2e.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.spire.SpireAddress;
import org.spireoperator.spire.SpireCallObserver;
import org.spireoperator.spire.SpireChannels;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireClientSettings;

/**
 * A real spire-server on loopback, run by {@code scripts/spire-server.sh} (sqlite datastore kept across restarts),
 * and a {@link SpireClient} (the operator's own classes) over its admin unix socket to inspect and seed entries.
 */
public final class RealSpire implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RealSpire.class);

  private final Path workdir;
  private final Script server;
  private final Script agent;
  private final String trustDomain;
  private final String k8sCluster;
  private final Path socket;
  private final SpireChannels.Connection connection;
  private final SpireClient client;

  private RealSpire(Path workdir, Script server, Script agent, String trustDomain, String k8sCluster, Path socket,
      SpireChannels.Connection connection) {
    this.workdir = workdir;
    this.server = server;
    this.agent = agent;
    this.trustDomain = trustDomain;
    this.k8sCluster = k8sCluster;
    this.socket = socket;
    this.connection = connection;
    this.client = new SpireClient(connection.channel(), SpireClientSettings.defaults()
        .withTimeout(Duration.ofSeconds(10)).withRetries(3, Duration.ofMillis(200), Duration.ofSeconds(1)),
        SpireCallObserver.NONE);
  }

  /**
   * Starts the server in {@code workdir} (keep it short: unix socket paths are limited to ~100 characters).
   *
   * @param k8sCluster the cluster name of the server's k8s_sat node attestor
   */
  public static RealSpire start(Path repoRoot, Path workdir, Path logDir, String trustDomain, String k8sCluster)
      throws Exception {
    Script server = new Script(repoRoot.resolve("scripts/spire-server.sh"), logDir.resolve("spire-server.sh.log"),
        Map.of("SPIRE_TRUST_DOMAIN", trustDomain, "SPIRE_K8S_CLUSTER", k8sCluster));
    Script agent = new Script(repoRoot.resolve("scripts/spire-agent.sh"), logDir.resolve("spire-agent.sh.log"),
        Map.of());
    java.nio.file.Files.createDirectories(workdir);
    agent.run("stop", workdir.toString());
    server.run("stop", workdir.toString());
    Directories.deleteRecursively(workdir);
    Map<String, String> env = Script.exports(server.run("start", workdir.toString()));
    String socketPath = env.get("SPIRE_SERVER_SOCKET");
    if (socketPath == null || socketPath.isEmpty()) {
      throw new IllegalStateException("scripts/spire-server.sh start printed no SPIRE_SERVER_SOCKET: " + env);
    }
    Path socket = Path.of(socketPath);
    LOG.atInfo().addKeyValue("socket", socket).addKeyValue("trustDomain", trustDomain).log("spire-server started");
    return new RealSpire(workdir, server, agent, trustDomain, k8sCluster, socket,
        SpireChannels.open(new SpireAddress.Unix(socket), null, trustDomain));
  }

  /** Admin access to the server's APIs (over the unix socket). */
  /** The channel the client uses. */
  public io.grpc.Channel channel() {
    return connection.channel();
  }

  public SpireClient client() {
    return client;
  }

  public Path socket() {
    return socket;
  }

  public String trustDomain() {
    return trustDomain;
  }

  /** The cluster name the server's k8s_sat attestor knows. */
  public String k8sCluster() {
    return k8sCluster;
  }

  public Path workdir() {
    return workdir;
  }

  public void stop() {
    server.run("stop", workdir.toString());
  }

  /** Starts the server again on the kept datastore (new CA keys: the key manager is in memory). */
  public void startAgain() {
    server.run("start", workdir.toString());
  }

  /**
   * Starts a spire-agent attested with k8s_sat as {@code namespace}/{@code serviceAccount}; returns the script's
   * exports (SPIRE_AGENT_ID, ...).
   */
  public Map<String, String> startAgent(String namespace, String serviceAccount) {
    return Script.exports(agent.run("start", workdir.toString(), namespace, serviceAccount));
  }

  public void stopAgent() {
    agent.run("stop", workdir.toString());
  }

  @Override
  public void close() throws Exception {
    connection.close();
    agent.run("stop", workdir.toString());
    server.run("stop", workdir.toString());
  }
}
