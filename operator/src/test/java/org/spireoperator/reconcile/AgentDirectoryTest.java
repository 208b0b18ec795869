package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.AgentAccount;
import org.spireoperator.registration.NodeAttestor;
import org.spireoperator.spire.Agent;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireClientSettings;
import org.spireoperator.spire.testserver.SpireTestServer;
import org.spireoperator.testing.InMemoryCluster;
import org.spireoperator.testing.OperatorFixture;

class AgentDirectoryTest {

  private static final AgentAccount POOL_A = new AgentAccount("spire", "pool-a");

  private final SpireTestServer spire = SpireTestServer.start("example.org");
  private final InMemoryCluster cluster = new InMemoryCluster().node("node-1").node("node-2");
  private final AgentDirectory psat =
      new AgentDirectory(
          OperatorFixture.defaults(), spire.client(SpireClientSettings.defaults()), cluster);
  private final AgentDirectory sat =
      new AgentDirectory(
          OperatorFixture.defaults().withNodeAttestor(NodeAttestor.K8S_SAT),
          spire.client(SpireClientSettings.defaults()),
          cluster);

  @AfterEach
  void tearDown() {
    spire.close();
  }

  /** A k8s_psat agent of {@code cluster} attested on {@code node}. */
  private Agent psatAgent(String cluster, String node, long expiresAt, boolean banned) {
    SpiffeId id =
        SpiffeId.parse(
            "spiffe://example.org/spire/agent/k8s_psat/" + cluster + "/" + UUID.randomUUID());
    return spire.addAgent(
        new Agent(
            id,
            "k8s_psat",
            new TreeSet<>(
                List.of(
                    new Selector("k8s_psat", "cluster:" + cluster),
                    new Selector("k8s_psat", "agent_node_name:" + node))),
            banned,
            expiresAt,
            true));
  }

  private Agent psatAgent(String node, long expiresAt) {
    return psatAgent("demo", node, expiresAt, false);
  }

  @Test
  void aPsatAgentIsPlacedOnTheNodeItsSelectorsName() {
    Agent agent = psatAgent("node-1", 1000);
    psat.refresh();
    assertThat(psat.agentFor("node-1")).contains(agent.id());
  }

  @Test
  void theAgentWhoseSvidExpiresLastWins() {
    psatAgent("node-1", 1000);
    Agent newer = psatAgent("node-1", 2000);
    psatAgent("node-1", 1500);
    psat.refresh();
    assertThat(psat.agentFor("node-1")).contains(newer.id());
  }

  @Test
  void aBannedAgentIsNeverPlaced() {
    Agent unbanned = psatAgent("node-1", 1000);
    psatAgent("demo", "node-1", 2000, true);
    psat.refresh();
    assertThat(psat.agentFor("node-1")).contains(unbanned.id());
  }

  @Test
  void anAgentOfAnotherClusterIsNotPlaced() {
    psatAgent("other", "node-1", 1000, false);
    psat.refresh();
    assertThat(psat.agentFor("node-1")).isEmpty();
  }

  @Test
  void theFirstRefreshReportsEveryPlacedNode() {
    psatAgent("node-1", 1000);
    psatAgent("node-2", 1000);
    assertThat(psat.refresh()).containsExactlyInAnyOrder("node-1", "node-2");
  }

  @Test
  void aRefreshReportsTheNodesWhoseAgentChanged() {
    psatAgent("node-1", 1000);
    psatAgent("node-2", 1000);
    psat.refresh();
    psatAgent("node-2", 2000);
    assertThat(psat.refresh()).containsExactly("node-2");
  }

  @Test
  void aRefreshWithNothingChangedReportsNothing() {
    psatAgent("node-1", 1000);
    psat.refresh();
    assertThat(psat.refresh()).isEmpty();
  }

  @Test
  void aNodeWhoseAgentVanishedHasNoAgent() {
    Agent agent = psatAgent("node-1", 1000);
    psat.refresh();
    spire.removeAgent(agent.id());
    psat.refresh();
    assertThat(psat.agentFor("node-1")).isEmpty();
  }

  @Test
  void aSatAgentIsPlacedOnTheOnlyNodeWhoseAgentPodUsesItsAccount() {
    cluster.agent("node-1", POOL_A).agent("node-2", new AgentAccount("spire", "pool-b"));
    Agent agent = spire.addK8sSatAgent("demo", "spire", "pool-a");
    sat.refresh();
    assertThat(sat.agentFor("node-1")).contains(agent.id());
  }

  @Test
  void aSatAgentWhoseAccountRunsOnSeveralNodesIsPlacedNowhere() {
    cluster.agent("node-1", POOL_A).agent("node-2", POOL_A);
    spire.addK8sSatAgent("demo", "spire", "pool-a");
    sat.refresh();
    assertThat(sat.placedAgents()).isEmpty();
  }

  @Test
  void everyAgentOfThisClusterIsListedPlacedOrNotBannedOrNot() {
    Agent placed = psatAgent("node-1", 1000);
    Agent unplaced = psatAgent("node-9", 1000);
    Agent banned = psatAgent("demo", "node-2", 1000, true);
    psatAgent("other", "node-1", 1000, false);
    assertThat(psat.allClusterAgents())
        .containsExactlyInAnyOrder(placed.id(), unplaced.id(), banned.id());
  }

  @Test
  void agentsOfThisClusterAreToldByTheirId() {
    assertThat(
            List.of(
                SpiffeId.parse("spiffe://example.org/spire/agent/k8s_psat/demo/abc"),
                SpiffeId.parse("spiffe://example.org/spire/agent/k8s_psat/other/abc"),
                SpiffeId.parse("spiffe://example.org/spire/agent/k8s_sat/demo/abc")))
        .filteredOn(psat::isClusterAgent)
        .extracting(SpiffeId::toString)
        .containsExactly("spiffe://example.org/spire/agent/k8s_psat/demo/abc");
  }
}
