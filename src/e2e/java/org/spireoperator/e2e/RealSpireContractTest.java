package org.spireoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spireoperator.e2e.support.NodeAgents;
import org.spireoperator.e2e.support.RealServers;
import org.spireoperator.e2e.support.RealServersExtension;
import org.spireoperator.spire.Agent;
import org.spireoperator.spire.AgentFilter;
import org.spireoperator.spire.EntryFilter;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.contract.SpireClientContract;

/**
 * The SpireClient contract against the real spire-server (the same tests run against the in-process
 * server), on every SPIRE release of the suite. The contract's agent case needs a {@code k8s_sat}
 * agent, which releases from 1.12 on cannot attest: there, the same facts are checked for a {@code
 * k8s_psat} agent standing for a node.
 */
@Tag("contract")
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealSpireContractTest extends SpireClientContract {

  private static final String PSAT_NODE = "contract-node";

  private final RealServers servers;
  private final NodeAgents nodeAgents;
  private boolean agentStarted;
  private NodeAgents.NodeAgent psatAgent;

  RealSpireContractTest(RealServers servers) {
    this.servers = servers;
    this.nodeAgents = servers.nodeAgents(RealSpireContractTest.class);
  }

  @Override
  protected SpireClient client() {
    return servers.spire().client();
  }

  @Override
  protected String trustDomain() {
    return servers.spire().trustDomain();
  }

  @Override
  protected io.grpc.Channel channel() {
    return servers.spire().channel();
  }

  @Override
  protected void seedAgentIfPossible() {
    if (!agentStarted) {
      servers.spire().startAgent(agentNamespace(), agentServiceAccount());
      agentStarted = true;
    }
  }

  @Override
  @Test
  @DisplayName(
      "listAgents finds the agent with its ID and selectors (k8s_sat before SPIRE 1.12, else"
          + " k8s_psat)")
  public void listAgentsFindsTheK8sSatAgentWithItsIdAndSelectors() {
    if (servers.spire().version().hasK8sSat()) {
      super.listAgentsFindsTheK8sSatAgentWithItsIdAndSelectors();
    } else {
      listAgentsFindsTheK8sPsatAgentWithItsIdAndSelectors();
    }
  }

  private void listAgentsFindsTheK8sPsatAgentWithItsIdAndSelectors() {
    psatAgent = nodeAgents.start("ct-agent", PSAT_NODE, agentServiceAccount(), "k8s_psat");
    Node node = servers.kube().admin().nodes().withName(PSAT_NODE).get();
    String nodeUid = node.getMetadata().getUid();
    String podUid =
        servers
            .kube()
            .admin()
            .pods()
            .inNamespace(agentNamespace())
            .withName(psatAgent.pod())
            .get()
            .getMetadata()
            .getUid();
    Set<Selector> expected =
        Set.of(
            new Selector("k8s_psat", "cluster:" + agentCluster()),
            new Selector("k8s_psat", "agent_ns:" + agentNamespace()),
            new Selector("k8s_psat", "agent_sa:" + agentServiceAccount()),
            new Selector("k8s_psat", "agent_pod_name:" + psatAgent.pod()),
            new Selector("k8s_psat", "agent_pod_uid:" + podUid),
            new Selector("k8s_psat", "agent_node_ip:127.0.0.1"),
            new Selector("k8s_psat", "agent_node_name:" + PSAT_NODE),
            new Selector("k8s_psat", "agent_node_uid:" + nodeUid));

    List<Agent> agents = client().listAgents(AgentFilter.byAttestationType("k8s_psat"));

    assertThat(psatAgent.id().toString())
        .isEqualTo(
            "spiffe://"
                + trustDomain()
                + "/spire/agent/k8s_psat/"
                + agentCluster()
                + "/"
                + nodeUid);
    Agent agent =
        agents.stream().filter(a -> a.id().equals(psatAgent.id())).findFirst().orElseThrow();
    assertThat(agent.attestationType()).isEqualTo("k8s_psat");
    assertThat(agent.selectors()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(agent.banned()).isFalse();
    assertThat(client().getAgent(agent.id())).contains(agent);
    assertThat(
            client()
                .listAgents(
                    new AgentFilter(
                        null,
                        Set.of(new Selector("k8s_psat", "cluster:" + agentCluster())),
                        EntryFilter.Match.SUPERSET,
                        null)))
        .contains(agent);
  }

  @AfterAll
  void stopAgents() {
    if (agentStarted) {
      servers.spire().stopAgent();
    }
    if (psatAgent != null) {
      nodeAgents.remove(psatAgent);
      servers.workloads().deleteNode(PSAT_NODE);
    }
  }
}
