package org.spireoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spireoperator.e2e.support.RealServers;
import org.spireoperator.e2e.support.RealServersExtension;
import org.spireoperator.spire.Agent;
import org.spireoperator.spire.AgentFilter;
import org.spireoperator.spire.Selector;

/**
 * A real spire-agent attested with k8s_sat (SPIRE before 1.12) is seen through the operator's
 * SpireClient with the ID and selectors the operator's k8s_sat node entries and agent parenting
 * rely on.
 */
@Tag("k8s_sat")
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentAttestationE2ETest {

  private final RealServers servers;

  AgentAttestationE2ETest(RealServers servers) {
    this.servers = servers;
  }

  @AfterAll
  void stopAgent() {
    servers.spire().stopAgent();
  }

  @Test
  void aK8sSatAgentIsListedWithItsClusterNamespaceAndServiceAccountSelectors() {
    Map<String, String> agentEnv = servers.spire().startAgent("spire", "spire-agent");
    String agentId = agentEnv.get("SPIRE_AGENT_ID");

    List<Agent> agents =
        servers.spire().client().listAgents(AgentFilter.byAttestationType("k8s_sat"));

    assertThat(agents)
        .filteredOn(a -> a.id().toString().equals(agentId))
        .singleElement()
        .satisfies(
            agent -> {
              assertThat(agent.id().toString())
                  .matches(
                      "spiffe://example\\.org/spire/agent/k8s_sat/demo/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                          + "[0-9a-f]{12}");
              assertThat(agent.attestationType()).isEqualTo("k8s_sat");
              assertThat(agent.selectors())
                  .containsExactlyInAnyOrder(
                      new Selector("k8s_sat", "cluster:demo"),
                      new Selector("k8s_sat", "agent_ns:spire"),
                      new Selector("k8s_sat", "agent_sa:spire-agent"));
              assertThat(agent.banned()).isFalse();
            });
  }
}
