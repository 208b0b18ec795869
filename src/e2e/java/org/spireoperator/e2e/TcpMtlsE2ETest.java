package org.spireoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spireoperator.e2e.support.Eventually.converges;
import static org.spireoperator.e2e.support.Eventually.within;

import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spireoperator.e2e.support.E2eSettings;
import org.spireoperator.e2e.support.OperatorConfig;
import org.spireoperator.e2e.support.OperatorProcess;
import org.spireoperator.e2e.support.RealServers;
import org.spireoperator.e2e.support.RealServersExtension;
import org.spireoperator.e2e.support.Registrations;
import org.spireoperator.e2e.support.Workloads;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireChannels;

/**
 * The packaged operator reaches the spire-server over TCP with mTLS ({@code server_address} +
 * {@code agent_socket_path}), authenticating with the X509-SVID a real spire-agent (attested with a
 * join token, which every SPIRE release has; unix workload attestor) serves to its process, and
 * registers exactly what it registers over the admin unix socket. Without an agent it says so in
 * one line and exits.
 */
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpMtlsE2ETest {

  /** This class's own agent (SPIRE_AGENT_NAME), beside the one other classes start. */
  private static final String AGENT = "tcp-agent";

  private static final String NS = "tcp-mtls";
  private static final String NODE = "tcp-node";
  private static final String POD = "web-0";

  private final RealServers servers;
  private final Workloads workloads;
  private final Registrations registrations;
  private final List<OperatorProcess> operators = new ArrayList<>();
  private String agentId;
  private Path agentSocket;
  private String operatorEntryId;

  TcpMtlsE2ETest(RealServers servers) {
    this.servers = servers;
    this.workloads = servers.workloads();
    this.registrations = servers.registrations();
  }

  /**
   * The operator's identity: {@code spiffe://example.org/spire-k8s-operator}, an admin entry
   * parented to the agent, selecting this JVM's uid (the operator process runs as the same user).
   */
  @BeforeAll
  void startAnAgentAndRegisterTheOperatorAsAdmin() throws IOException {
    Map<String, String> agent = servers.spire().startJoinTokenAgent(AGENT);
    agentId = agent.get("SPIRE_AGENT_ID");
    agentSocket = Path.of(agent.get("SPIRE_AGENT_SOCKET"));
    int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    Entry operatorEntry =
        Entry.of(operatorId(), SpiffeId.parse(agentId), List.of(new Selector("unix", "uid:" + uid)))
            .withFlags(true, false, false);

    List<EntryOutcome> created = servers.spire().client().createEntries(List.of(operatorEntry));

    assertThat(created)
        .singleElement()
        .satisfies(o -> assertThat(o.code()).as(o.toString()).isEqualTo(Status.Code.OK));
    operatorEntryId = created.get(0).entry().id();
    converges("the agent serves the operator's X509-SVID")
        .until(() -> servers.spire().agentServes(agentSocket, operatorId()));
  }

  @AfterEach
  void stopOperators() {
    operators.forEach(OperatorProcess::stop);
    operators.clear();
  }

  /**
   * Leaves no entry, workload or agent of this class behind (other classes compare entries field
   * for field).
   */
  @AfterAll
  void removeWhatThisClassCreated() {
    workloads.deletePod(NS, POD);
    if (workloads.client().nodes().withName(NODE).get() != null) {
      workloads.deleteNode(NODE);
    }
    List<String> ids =
        Stream.concat(
                Stream.concat(
                        registrations.withSpiffeId(registrations.nodeId(NODE)).stream(),
                        registrations.ofPod(NS, POD).stream())
                    .map(Entry::id),
                Stream.ofNullable(operatorEntryId))
            .toList();
    if (!ids.isEmpty()) {
      servers.spire().client().deleteEntries(ids);
    }
    if (agentId != null) {
      servers.spire().stopAgent(AGENT);
      servers.spire().evictAgent(agentId);
    }
  }

  @Test
  void overTcpWithTheAgentsSvidTheOperatorRegistersNodesAndPodsExactlyAsOverTheUnixSocket()
      throws Exception {
    workloads.namespace(NS);
    workloads.node(NODE);
    workloads.runningPod(NS, POD, "web", NODE);

    OperatorProcess operator = start("over-tcp", overTcp(agentSocket));

    converges("node and pod entries written over TCP")
        .untilAsserted(
            () -> {
              assertThat(registrations.withSpiffeId(registrations.nodeId(NODE)))
                  .map(Registrations::registration)
                  .as("node entry, parented to spire/server")
                  .containsExactly(registrations.nodeEntry(NODE));
              assertThat(registrations.inNamespace(NS))
                  .as("pod entry, parented to the node entry")
                  .containsExactly(registrations.podEntry(NS, "web", POD, NODE));
              assertThat(operator.metrics().spireWriteCalls())
                  .as("written by this replica, the only one running")
                  .isPositive();
            });
  }

  @Test
  void withNoAgentAtAgentSocketPathTheOperatorExitsWithOneLineNamingIt() throws Exception {
    Path noAgent = servers.dirFor(getClass()).resolve("no-agent.sock");
    OperatorProcess operator = start("no-agent", overTcp(noAgent));

    int exitCode =
        within(
                SpireChannels.DEFAULT_SVID_WAIT.plus(E2eSettings.convergence()),
                "the operator gives up")
            .until(operator::exitCode, OptionalInt::isPresent)
            .getAsInt();

    assertThat(exitCode).isEqualTo(1);
    List<String> log = operator.logLines();
    assertThat(log.get(log.size() - 1))
        .as("the last line of its output")
        .contains(
            ": cannot connect to the SPIRE server at "
                + servers.spire().tcpAddress()
                + ": agent_socket_path "
                + noAgent
                + ": no X509-SVID from the SPIRE agent within "
                + SpireChannels.DEFAULT_SVID_WAIT.toSeconds()
                + "s: there is no socket at that path");
  }

  // ------------------------------------------------------------------ helpers

  private SpiffeId operatorId() {
    return SpiffeId.of(servers.spire().trustDomain(), "spire-k8s-operator");
  }

  /**
   * The default configuration, but {@code server_address = "127.0.0.1:<port>"} and {@code
   * agent_socket_path}.
   */
  private OperatorConfig overTcp(Path agentSocketPath) {
    return servers.operatorConfig().overTcp(servers.spire().tcpAddress(), agentSocketPath);
  }

  private OperatorProcess start(String name, OperatorConfig config) throws Exception {
    OperatorProcess p = servers.startOperator(getClass(), name, config);
    operators.add(p);
    return p;
  }
}
