package org.spireoperator.e2e.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireAddress;
import org.spireoperator.spire.SpireCallObserver;
import org.spireoperator.spire.SpireChannels;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireClientSettings;
import org.spireoperator.testing.LogFiles;
import org.spireoperator.testing.Script;
import spire.api.server.agent.v1.AgentGrpc;
import spire.api.server.agent.v1.DeleteAgentRequest;
import spire.api.types.SPIFFEID;

/**
 * A real spire-server on loopback, run by {@code scripts/spire-server.sh} (sqlite datastore kept
 * across restarts), and a {@link SpireClient} (the operator's own classes) over its admin unix
 * socket to inspect and seed entries.
 */
public final class RealSpire implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RealSpire.class);

  private final Path workdir;
  private final Script server;
  private final Script agent;
  private final String trustDomain;
  private final String k8sCluster;
  private final SpireVersion version;
  private final Path socket;
  private final SpireChannels.Connection connection;
  private final SpireClient client;

  /** Agents started under their own SPIRE_AGENT_NAME, stopped on close. */
  private final Set<String> namedAgents = ConcurrentHashMap.newKeySet();

  private RealSpire(
      Path workdir,
      Script server,
      Script agent,
      String trustDomain,
      String k8sCluster,
      SpireVersion version,
      Path socket,
      SpireChannels.Connection connection) {
    this.workdir = workdir;
    this.server = server;
    this.agent = agent;
    this.trustDomain = trustDomain;
    this.k8sCluster = k8sCluster;
    this.version = version;
    this.socket = socket;
    this.connection = connection;
    this.client =
        new SpireClient(
            connection.channel(),
            SpireClientSettings.defaults()
                .withTimeout(Duration.ofSeconds(10))
                .withRetries(3, Duration.ofMillis(200), Duration.ofSeconds(1)),
            SpireCallObserver.NONE);
  }

  /**
   * Starts the server in {@code workdir} (keep it short: unix socket paths are limited to ~100
   * characters).
   *
   * @param k8sCluster the cluster name of the server's k8s_sat and k8s_psat node attestors
   * @param version the SPIRE release to run (built by scripts/spire-install.sh)
   * @param kubeconfig the kubeconfig the k8s_psat attestor reads the API server with
   * @param agentAccounts {@code namespace:serviceaccount} of every agent allowed to attest with
   *     k8s_sat or k8s_psat
   */
  public static RealSpire start(
      Path repoRoot,
      Path workdir,
      Path logDir,
      String trustDomain,
      String k8sCluster,
      SpireVersion version,
      Path kubeconfig,
      List<String> agentAccounts)
      throws Exception {
    Script server =
        new Script(
            repoRoot.resolve("scripts/spire-server.sh"),
            logDir.resolve("spire-server.sh.log"),
            Map.of(
                "SPIRE_TRUST_DOMAIN",
                trustDomain,
                "SPIRE_K8S_CLUSTER",
                k8sCluster,
                "SPIRE_VERSION",
                version.toString(),
                "SPIRE_K8S_KUBECONFIG",
                kubeconfig.toString(),
                "SPIRE_K8S_SA_ALLOW_LIST",
                String.join(",", agentAccounts)));
    Script agent =
        new Script(
            repoRoot.resolve("scripts/spire-agent.sh"),
            logDir.resolve("spire-agent.sh.log"),
            Map.of());
    java.nio.file.Files.createDirectories(workdir);
    // Agents a previous run left behind: the default one and any under its own SPIRE_AGENT_NAME.
    try (var dirs = java.nio.file.Files.list(workdir)) {
      for (Path dir :
          dirs.filter(d -> java.nio.file.Files.isRegularFile(d.resolve("agent.pid"))).toList()) {
        agent
            .withEnvironment("SPIRE_AGENT_NAME", dir.getFileName().toString())
            .run("stop", workdir.toString());
      }
    }
    agent.run("stop", workdir.toString());
    server.run("stop", workdir.toString());
    LogFiles.deleteRecursively(workdir);
    Map<String, String> env = Script.exports(server.run("start", workdir.toString()));
    String socketPath = env.get("SPIRE_SERVER_SOCKET");
    if (socketPath == null || socketPath.isEmpty()) {
      throw new IllegalStateException(
          "scripts/spire-server.sh start printed no SPIRE_SERVER_SOCKET: " + env);
    }
    Path socket = Path.of(socketPath);
    SpireVersion running = SpireVersion.parse(env.getOrDefault("SPIRE_VERSION", "?"));
    if (!running.equals(version)) {
      server.run("stop", workdir.toString());
      throw new IllegalStateException(
          "asked for spire-server "
              + version
              + ", but "
              + env.get("SPIRE_SERVER_BIN")
              + " is "
              + running
              + " (is SPIRE_BIN_DIR set?)");
    }
    LOG.atInfo()
        .addKeyValue("socket", socket)
        .addKeyValue("trustDomain", trustDomain)
        .addKeyValue("version", running)
        .addKeyValue("nodeAttestors", env.get("SPIRE_NODE_ATTESTORS"))
        .log("spire-server started");
    return new RealSpire(
        workdir,
        server,
        agent,
        trustDomain,
        k8sCluster,
        running,
        socket,
        SpireChannels.open(new SpireAddress.Unix(socket), null, trustDomain));
  }

  /** The channel the client uses: admin access to the server's APIs over the unix socket. */
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

  /** The cluster name the server's k8s_sat and k8s_psat attestors know. */
  public String k8sCluster() {
    return k8sCluster;
  }

  /** The SPIRE release running. */
  public SpireVersion version() {
    return version;
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
   * Starts a spire-agent attested with k8s_sat as {@code namespace}/{@code serviceAccount}; returns
   * the script's exports (SPIRE_AGENT_ID, ...).
   */
  public Map<String, String> startAgent(String namespace, String serviceAccount) {
    return Script.exports(agent.run("start", workdir.toString(), namespace, serviceAccount));
  }

  public void stopAgent() {
    agent.run("stop", workdir.toString());
  }

  /**
   * Like {@link #startAgent(String, String)}, for an agent of its own ({@code SPIRE_AGENT_NAME},
   * directory {@code <workdir>/<name>}) beside the default one; keep the name short (the agent's
   * socket lives under it).
   */
  public Map<String, String> startAgent(String name, String namespace, String serviceAccount) {
    return startAgent(name, "k8s_sat", namespace, serviceAccount, null);
  }

  /**
   * Starts an agent of its own ({@code SPIRE_AGENT_NAME}) attested with a one-time join token (any
   * SPIRE version); returns the script's exports.
   */
  public Map<String, String> startJoinTokenAgent(String name) {
    return startAgent(name, "join_token", "spire", "spire-agent", null);
  }

  /**
   * Starts an agent of its own ({@code SPIRE_AGENT_NAME}, directory {@code <workdir>/<name>})
   * attested with {@code attestor}; returns the script's exports (SPIRE_AGENT_ID,
   * SPIRE_AGENT_DATA_DIR, ...).
   *
   * @param psatToken for {@code k8s_psat}: the file holding the agent Pod's projected token
   */
  public Map<String, String> startAgent(
      String name, String attestor, String namespace, String serviceAccount, Path psatToken) {
    namedAgents.add(name);
    Script script =
        agent
            .withEnvironment("SPIRE_AGENT_NAME", name)
            .withEnvironment("SPIRE_AGENT_ATTESTOR", attestor);
    if (psatToken != null) {
      script = script.withEnvironment("SPIRE_AGENT_TOKEN_FILE", psatToken.toString());
    }
    return Script.exports(script.run("start", workdir.toString(), namespace, serviceAccount));
  }

  /**
   * Starts an agent like {@link #startAgent(String, String, String, String, Path)} expecting the
   * server to refuse its attestation; returns the agent's log, whose lines name the server's
   * answer. Waits at most 15 s: an agent retries attestation errors other than PermissionDenied.
   */
  public String refusedAgent(
      String name, String attestor, String namespace, String serviceAccount, Path psatToken) {
    namedAgents.add(name);
    Script script =
        agent
            .withEnvironment("SPIRE_AGENT_NAME", name)
            .withEnvironment("SPIRE_AGENT_ATTESTOR", attestor)
            .withEnvironment("SPIRE_START_TIMEOUT", "15");
    if (psatToken != null) {
      script = script.withEnvironment("SPIRE_AGENT_TOKEN_FILE", psatToken.toString());
    }
    try {
      Map<String, String> env =
          Script.exports(script.run("start", workdir.toString(), namespace, serviceAccount));
      stopAgent(name);
      throw new AssertionError(
          "the server attested " + env.get("SPIRE_AGENT_ID") + "; expected a refusal");
    } catch (IllegalStateException e) {
      try {
        return java.nio.file.Files.readString(workdir.resolve(name).resolve("agent.log"));
      } catch (IOException unreadable) {
        return e.getMessage();
      }
    }
  }

  public void stopAgent(String name) {
    agent.withEnvironment("SPIRE_AGENT_NAME", name).run("stop", workdir.toString());
    namedAgents.remove(name);
  }

  /** Removes an attested agent from the server (Agent API DeleteAgent); stop the agent first. */
  public void evictAgent(String agentId) {
    SpiffeId id = SpiffeId.parse(agentId);
    AgentGrpc.newBlockingStub(channel())
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .deleteAgent(
            DeleteAgentRequest.newBuilder()
                .setId(SPIFFEID.newBuilder().setTrustDomain(id.trustDomain()).setPath(id.path()))
                .build());
  }

  /**
   * The exports of {@code scripts/spire-server.sh env}: where the server runs now (its port changes
   * on restart).
   */
  public Map<String, String> serverExports() {
    return Script.exports(server.run("env", workdir.toString()));
  }

  /** {@code host:port} of the server's TCP API (mTLS), as the server runs now. */
  public String tcpAddress() {
    Map<String, String> env = serverExports();
    return env.get("SPIRE_SERVER_ADDRESS") + ":" + env.get("SPIRE_SERVER_PORT");
  }

  /**
   * True if the agent listening on {@code agentSocket} serves this process (its uid) an X509-SVID
   * with {@code id}: {@code spire-agent api fetch x509 -socketPath <agentSocket>}.
   */
  public boolean agentServes(Path agentSocket, SpiffeId id) {
    Command.Result fetched =
        Command.of(
                serverExports().get("SPIRE_AGENT_BIN"),
                "api",
                "fetch",
                "x509",
                "-socketPath",
                agentSocket.toString())
            .run();
    return fetched.succeeded()
        && fetched
            .output()
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("SPIFFE ID:")
                        && l.substring("SPIFFE ID:".length()).strip().equals(id.toString()));
  }

  @Override
  public void close() throws Exception {
    connection.close();
    for (String name : namedAgents) {
      agent.withEnvironment("SPIRE_AGENT_NAME", name).run("stop", workdir.toString());
    }
    agent.run("stop", workdir.toString());
    server.run("stop", workdir.toString());
  }
}
