package org.spireoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spireoperator.e2e.support.Eventually.converges;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spireoperator.e2e.support.AgentView;
import org.spireoperator.e2e.support.NodeAgents.NodeAgent;
import org.spireoperator.e2e.support.OperatorProcess;
import org.spireoperator.e2e.support.RealServers;
import org.spireoperator.e2e.support.RealServersExtension;
import org.spireoperator.spire.Selector;
import org.spireoperator.testing.Metrics;

/**
 * {@link NodeAgentsScenario} with {@code k8s_sat} agents (SPIRE before 1.12): the token names only
 * the agent's namespace and ServiceAccount, so each node's agent runs as its own ServiceAccount
 * ({@code spire-agent-a}, {@code spire-agent-b}, both on the server's allow list) and the node
 * entry selects it by that. Every attestation is a new agent ID: an agent restart makes the
 * operator (agent mode) re-parent that node's pod entries in one batch, and the replaced agent,
 * still attested with a valid SVID, receives none of them.
 */
@Tag("k8s_sat")
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class K8sSatAgentsE2ETest extends NodeAgentsScenario {

  K8sSatAgentsE2ETest(RealServers servers) {
    super(servers);
  }

  @Override
  String attestor() {
    return "k8s_sat";
  }

  @Override
  String namespace() {
    return "sat-agents";
  }

  @Override
  List<String> nodes() {
    return List.of("sat-a", "sat-b");
  }

  @Override
  String agentServiceAccount(String node) {
    return "spire-agent-" + node.substring(node.length() - 1);
  }

  @Override
  String agentName(String node) {
    return node;
  }

  @Override
  List<Selector> nodeEntrySelectors(String node) {
    return List.of(
        new Selector("k8s_sat", "cluster:" + RealServers.CLUSTER),
        new Selector("k8s_sat", "agent_ns:" + RealServers.AGENT_NAMESPACE),
        new Selector("k8s_sat", "agent_sa:" + agentServiceAccount(node)));
  }

  @Test
  @DisplayName(
      "parent_mode agent: an agent restart (new ID) re-parents its node's pod entries in one batch;"
          + " the old agent receives none of them")
  void anAgentRestartReparentsItsNodesPodEntriesInOneBatch() throws Exception {
    OperatorProcess operator = start("agent-restart", config("agent"));
    everyAgentReceivesExactlyItsNodesIdentities("agent");
    String node = nodes().get(0);
    NodeAgent old = agents.get(node);
    AgentView oldView = AgentView.of(old.dataDir());
    Metrics before = operator.metrics();

    NodeAgent restarted = nodeAgents.restart(old);
    agents.put(node, restarted);
    replaced.add(old);

    assertThat(restarted.id()).as("a k8s_sat agent's new ID").isNotEqualTo(old.id());
    everyAgentReceivesExactlyItsNodesIdentities("agent");
    Metrics after = operator.metrics();
    assertThat(writeCalls(after).minus(writeCalls(before)))
        .as("write calls for the re-parenting: one BatchUpdateEntry")
        .isEqualTo(new WriteCalls(0, 1, 0));
    converges("the old agent receives nothing of this test's")
        .untilAsserted(
            () -> {
              var stillReceived = oldView.authorizedEntries(servers.spire().tcpAddress());
              print(old, stillReceived);
              assertThat(inScope(stillReceived))
                  .as("what the replaced agent %s is still authorized for", old.id())
                  .isEmpty();
            });
  }

  /** Batch write RPCs a replica made, by method. */
  record WriteCalls(long create, long update, long delete) {
    WriteCalls minus(WriteCalls o) {
      return new WriteCalls(create - o.create, update - o.update, delete - o.delete);
    }
  }

  private static WriteCalls writeCalls(Metrics m) {
    return new WriteCalls(
        calls(m, "BatchCreateEntry"), calls(m, "BatchUpdateEntry"), calls(m, "BatchDeleteEntry"));
  }

  private static long calls(Metrics m, String method) {
    return (long) m.sum("spire_registrar_spire_rpc_seconds_count", "method", method);
  }
}
