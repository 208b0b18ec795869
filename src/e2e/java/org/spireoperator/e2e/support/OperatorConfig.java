package org.spireoperator.e2e.support;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The HCL configuration one operator replica runs with (keys of docs/CONFIG.md). Ports are filled
 * in per replica.
 *
 * @param serverSocket the server's admin unix socket ({@code server_socket_path}); used unless
 *     serverAddress is set
 * @param serverAddress null, or {@code host:port} of the server's TCP API ({@code server_address},
 *     mTLS)
 * @param agentSocket with serverAddress: the SPIRE agent's Workload API socket ({@code
 *     agent_socket_path})
 * @param leaseName null to run without leader election
 * @param parentMode {@code parent_mode}: {@code node} or {@code agent}
 */
public record OperatorConfig(
    String trustDomain,
    String cluster,
    Path serverSocket,
    String serverAddress,
    Path agentSocket,
    String nodeAttestor,
    Duration resyncPeriod,
    String leaseName,
    String parentMode) {

  public static OperatorConfig of(RealSpire spire, String cluster) {
    return new OperatorConfig(
        spire.trustDomain(),
        cluster,
        spire.socket(),
        null,
        null,
        "k8s_psat",
        Duration.ofMinutes(10),
        null,
        "node");
  }

  public OperatorConfig withResyncPeriod(Duration period) {
    return new OperatorConfig(
        trustDomain,
        cluster,
        serverSocket,
        serverAddress,
        agentSocket,
        nodeAttestor,
        period,
        leaseName,
        parentMode);
  }

  public OperatorConfig withLeaderElection(String lease) {
    return new OperatorConfig(
        trustDomain,
        cluster,
        serverSocket,
        serverAddress,
        agentSocket,
        nodeAttestor,
        resyncPeriod,
        lease,
        parentMode);
  }

  /**
   * Reaches the server over TCP ({@code server_address = "<hostPort>"}) with mTLS, authenticating
   * with the X509-SVID the agent at {@code agentSocketPath} serves, instead of over the admin unix
   * socket.
   */
  public OperatorConfig overTcp(String hostPort, Path agentSocketPath) {
    return new OperatorConfig(
        trustDomain,
        cluster,
        serverSocket,
        hostPort,
        agentSocketPath,
        nodeAttestor,
        resyncPeriod,
        leaseName,
        parentMode);
  }

  /**
   * {@code node_attestor}: the attestor of the cluster's agents, {@code k8s_psat} or {@code
   * k8s_sat}.
   */
  public OperatorConfig withNodeAttestor(String attestor) {
    return new OperatorConfig(
        trustDomain,
        cluster,
        serverSocket,
        serverAddress,
        agentSocket,
        attestor,
        resyncPeriod,
        leaseName,
        parentMode);
  }

  /**
   * {@code parent_mode}: {@code node} (pod entries under their node's entry) or {@code agent}
   * (under the agent attested on their node).
   */
  public OperatorConfig withParentMode(String mode) {
    return new OperatorConfig(
        trustDomain,
        cluster,
        serverSocket,
        serverAddress,
        agentSocket,
        nodeAttestor,
        resyncPeriod,
        leaseName,
        mode);
  }

  /** The file's text for a replica listening on the given ports. */
  public String hcl(int healthPort, int metricsPort) {
    StringBuilder b = new StringBuilder();
    b.append("log_level = \"debug\"\n");
    b.append("log_format = \"text\"\n");
    b.append("mode = \"reconcile\"\n");
    b.append("trust_domain = \"").append(trustDomain).append("\"\n");
    b.append("cluster = \"").append(cluster).append("\"\n");
    if (serverAddress != null) {
      b.append("server_address = \"").append(serverAddress).append("\"\n");
      b.append("agent_socket_path = \"").append(agentSocket).append("\"\n");
    } else {
      b.append("server_socket_path = \"").append(serverSocket).append("\"\n");
    }
    b.append("node_attestor = \"").append(nodeAttestor).append("\"\n");
    b.append("parent_mode = \"").append(parentMode).append("\"\n");
    b.append("resync_period = \"").append(resyncPeriod.toSeconds()).append("s\"\n");
    b.append("health_addr = \"127.0.0.1:").append(healthPort).append("\"\n");
    b.append("metrics_addr = \"127.0.0.1:").append(metricsPort).append("\"\n");
    b.append("spire_timeout = \"5s\"\n");
    if (leaseName != null) {
      b.append("leader_election = true\n");
      b.append("leader_election_namespace = \"").append(RealKube.OPERATOR_NAMESPACE).append("\"\n");
      b.append("leader_election_lease_name = \"").append(leaseName).append("\"\n");
    } else {
      b.append("leader_election = false\n");
    }
    return b.toString();
  }
}
