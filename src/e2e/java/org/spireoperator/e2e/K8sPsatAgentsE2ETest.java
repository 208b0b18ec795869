package org.spireoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spireoperator.e2e.support.NodeAgents.NodeAgent;
import org.spireoperator.e2e.support.RealServers;
import org.spireoperator.e2e.support.RealServersExtension;
import org.spireoperator.spire.Selector;

/**
 * {@link NodeAgentsScenario} with {@code k8s_psat} agents, as SPIRE 1.12 and later run them: each
 * agent presents a token the real kube-apiserver issued for its Pod (TokenRequest bound to the Pod,
 * audience {@code spire-server}), which the server validates with TokenReview before reading the
 * Pod and its Node; the agent ID names the Node's UID and the node entry selects the agent by
 * {@code k8s_psat:agent_node_name}, so both agents run as the same ServiceAccount.
 */
@Tag("k8s_psat")
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class K8sPsatAgentsE2ETest extends NodeAgentsScenario {

  K8sPsatAgentsE2ETest(RealServers servers) {
    super(servers);
  }

  @Override
  String attestor() {
    return "k8s_psat";
  }

  @Override
  String namespace() {
    return "psat-agents";
  }

  @Override
  List<String> nodes() {
    return List.of("psat-a", "psat-b");
  }

  @Override
  String agentServiceAccount(String node) {
    return "spire-agent";
  }

  @Override
  String agentName(String node) {
    return node;
  }

  @Override
  List<Selector> nodeEntrySelectors(String node) {
    return List.of(
        new Selector("k8s_psat", "cluster:" + RealServers.CLUSTER),
        new Selector("k8s_psat", "agent_node_name:" + node));
  }

  @Test
  @DisplayName(
      "each agent attested as spiffe://<td>/spire/agent/k8s_psat/<cluster>/<its Node's UID>")
  void eachAgentIsNamedForItsNodesUid() {
    assertThat(agents.values())
        .allSatisfy(
            agent ->
                assertThat(agent.id().toString())
                    .isEqualTo(
                        "spiffe://"
                            + servers.spire().trustDomain()
                            + "/spire/agent/k8s_psat/"
                            + RealServers.CLUSTER
                            + "/"
                            + workloads
                                .client()
                                .nodes()
                                .withName(agent.node())
                                .get()
                                .getMetadata()
                                .getUid()));
  }

  @Test
  @DisplayName(
      "parent_mode agent: an agent restart re-attests with the same ID and keeps receiving its"
          + " node's identities")
  void anAgentRestartKeepsItsIdAndItsNodesIdentities() throws Exception {
    start("agent-restart", config("agent"));
    everyAgentReceivesExactlyItsNodesIdentities("agent");
    String node = nodes().get(0);
    NodeAgent old = agents.get(node);

    NodeAgent restarted = nodeAgents.restart(old);
    agents.put(node, restarted);

    assertThat(restarted.id()).isEqualTo(old.id());
    everyAgentReceivesExactlyItsNodesIdentities("agent");
  }
}
