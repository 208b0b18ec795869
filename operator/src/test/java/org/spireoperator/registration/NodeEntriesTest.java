package org.spireoperator.registration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

class NodeEntriesTest {

  private final RegistrationSettings psat = RegistrationSettings.defaults("example.org", "demo");
  private final RegistrationSettings sat = psat.withNodeAttestor(NodeAttestor.K8S_SAT);

  @Test
  void nodeEntryIdHasUpstreamShape() {
    assertThat(new NodeEntries(psat).idFor("node-1"))
        .hasToString("spiffe://example.org/spire-k8s-registrar/demo/node/node-1");
  }

  @Test
  void psatNodeEntryIsParentedToTheServerAndSelectsTheNodeByName() {
    Entry e = ((Desired.Wanted) new NodeEntries(psat).desired("node-1", null)).entry();
    assertThat(e)
        .isEqualTo(
            Entry.of(
                SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/demo/node/node-1"),
                SpiffeId.parse("spiffe://example.org/spire/server"),
                List.of(
                    Selector.parse("k8s_psat:cluster:demo"),
                    Selector.parse("k8s_psat:agent_node_name:node-1"))));
  }

  @Test
  void satNodeEntrySelectsTheAgentsNamespaceAndServiceAccount() {
    Entry e =
        ((Desired.Wanted)
                new NodeEntries(sat).desired("node-1", new AgentAccount("spire", "spire-agent")))
            .entry();
    assertThat(e.selectors())
        .containsExactlyInAnyOrder(
            Selector.parse("k8s_sat:cluster:demo"),
            Selector.parse("k8s_sat:agent_ns:spire"),
            Selector.parse("k8s_sat:agent_sa:spire-agent"));
  }

  @Test
  void satNodeWithoutAgentPodWantsNoEntry() {
    assertThat(new NodeEntries(sat).desired("node-1", null)).isInstanceOf(Desired.Unwanted.class);
  }

  @Test
  void ownsOnlyServerChildrenDirectlyUnderItsClusterRoot() {
    NodeEntries nodes = new NodeEntries(psat);
    SpiffeId server = SpiffeId.parse("spiffe://example.org/spire/server");
    Entry ours =
        Entry.of(
            SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/demo/node/n1"),
            server,
            List.of(Selector.parse("k8s_psat:cluster:demo")));
    Entry otherCluster =
        Entry.of(
            SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/prod/node/n1"),
            server,
            List.of(Selector.parse("k8s_psat:cluster:prod")));
    Entry deeper =
        Entry.of(
            SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/demo/node/n1/x"),
            server,
            List.of(Selector.parse("k8s_psat:cluster:demo")));
    assertThat(List.of(ours, otherCluster, deeper).stream().map(nodes::ownerOf).toList())
        .containsExactly(
            java.util.Optional.of(new NodeKey("n1")),
            java.util.Optional.empty(),
            java.util.Optional.empty());
  }
}
