package org.spireoperator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.NodeAttestor;
import org.spireoperator.registration.ParentMode;
import org.spireoperator.spire.Agent;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.testing.OperatorFixture;

/** Node entries for both node attestors, agent parenting, DNS names from EndpointSlices. */
class AttestorsAndParentingTest {

  private static final String NODE_1 = "spiffe://example.org/spire-k8s-registrar/demo/node/node-1";

  private OperatorFixture f;

  @BeforeEach
  void setUp() {
    f = new OperatorFixture();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private void agentPod(String name, String node, String serviceAccount) {
    f.cluster()
        .client()
        .pods()
        .inNamespace("spire")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withNamespace("spire")
                .withName(name)
                .withUid(UUID.randomUUID().toString())
                .withLabels(Map.of("app", "spire-agent"))
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withServiceAccountName(serviceAccount)
                .addNewContainer()
                .withName("agent")
                .withImage("spire-agent")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .endStatus()
                .build())
        .create();
  }

  private static Agent agent(String id, String... selectors) {
    return new Agent(
        SpiffeId.parse(id),
        id.contains("k8s_sat") ? "k8s_sat" : "k8s_psat",
        new java.util.TreeSet<>(List.of(selectors).stream().map(Selector::parse).toList()),
        false,
        System.currentTimeMillis() / 1000 + 3600,
        false);
  }

  @Test
  void satNodeEntrySelectsTheServiceAccountOfTheAgentPodOnTheNode() {
    f.cluster().node("node-1");
    agentPod("spire-agent-a", "node-1", "spire-agent-pool-a");
    f.start(OperatorFixture.defaults().withNodeAttestor(NodeAttestor.K8S_SAT));
    assertThat(f.awaitEntry(NODE_1).selectors())
        .containsExactlyInAnyOrder(
            Selector.parse("k8s_sat:cluster:demo"),
            Selector.parse("k8s_sat:agent_ns:spire"),
            Selector.parse("k8s_sat:agent_sa:spire-agent-pool-a"));
  }

  @Test
  void satNodesWhoseAgentsShareAServiceAccountAreReportedOnTheNodes() {
    f.cluster().node("node-1");
    f.cluster().node("node-2");
    agentPod("spire-agent-a", "node-1", "spire-agent");
    agentPod("spire-agent-b", "node-2", "spire-agent");
    f.start(OperatorFixture.defaults().withNodeAttestor(NodeAttestor.K8S_SAT));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                f.cluster().client().v1().events().inAnyNamespace().list().getItems().stream()
                    .filter(e -> "IndistinguishableAgents".equals(e.getReason()))
                    .map(e -> e.getInvolvedObject().getName())
                    .distinct()
                    .sorted()
                    .toList(),
            nodes -> nodes.equals(List.of("node-1", "node-2")));
  }

  @Test
  void agentParentingUsesTheAgentAttestedOnThePodsNode() {
    String agentId = "spiffe://example.org/spire/agent/k8s_psat/demo/" + UUID.randomUUID();
    f.spire().addAgent(agent(agentId, "k8s_psat:cluster:demo", "k8s_psat:agent_node_name:node-1"));
    f.cluster().node("node-1");
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(OperatorFixture.defaults().withParentMode(ParentMode.AGENT));
    assertThat(f.awaitEntry("spiffe://example.org/ns/shop/sa/web").parentId()).hasToString(agentId);
  }

  @Test
  void podOnANodeWithoutIdentifiableAgentFallsBackToTheNodeEntry() {
    f.cluster().node("node-1");
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(OperatorFixture.defaults().withParentMode(ParentMode.AGENT));
    assertThat(f.awaitEntry("spiffe://example.org/ns/shop/sa/web").parentId()).hasToString(NODE_1);
  }

  @Test
  void satReattestationReparentsTheNodesEntriesInOneBatch() {
    String first = "spiffe://example.org/spire/agent/k8s_sat/demo/" + UUID.randomUUID();
    f.spire()
        .addAgent(
            agent(
                first,
                "k8s_sat:cluster:demo",
                "k8s_sat:agent_ns:spire",
                "k8s_sat:agent_sa:pool-a"));
    f.cluster().node("node-1");
    agentPod("spire-agent-a", "node-1", "pool-a");
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.cluster().pod("shop", "web-1", "node-1", "web");
    f.start(
        OperatorFixture.defaults()
            .withNodeAttestor(NodeAttestor.K8S_SAT)
            .withParentMode(ParentMode.AGENT));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                f.entries().stream()
                        .filter(
                            e ->
                                e.parentId().toString().equals(first)
                                    && e.spiffeId().path().startsWith("/ns/shop/"))
                        .count()
                    == 2);
    f.spire().removeAgent(SpiffeId.parse(first));
    String second = "spiffe://example.org/spire/agent/k8s_sat/demo/" + UUID.randomUUID();
    f.spire()
        .addAgent(
            agent(
                second,
                "k8s_sat:cluster:demo",
                "k8s_sat:agent_ns:spire",
                "k8s_sat:agent_sa:pool-a"));
    f.spire().resetCalls();
    f.operator().registrar().followAgents();
    f.awaitIdle();
    assertThat(f.spire().calls("BatchUpdateEntry")).hasSize(1);
  }

  @Test
  void dnsNamesIncludeTheServicesThatReachThePod() {
    f.cluster().node("node-1");
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.cluster()
        .client()
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace("shop")
        .resource(
            new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("web-abc")
                .withLabels(Map.of("kubernetes.io/service-name", "web"))
                .endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint()
                .withAddresses("10.1.2.3")
                .withNewTargetRef()
                .withKind("Pod")
                .withName("web-0")
                .withNamespace("shop")
                .endTargetRef()
                .endEndpoint()
                .build())
        .create();
    f.start(OperatorFixture.defaults().withDnsNames(true, "cluster.local"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                f.entry("spiffe://example.org/ns/shop/sa/web")
                    .map(Entry::dnsNames)
                    .orElse(List.of()),
            names -> names.contains("web.shop.svc.cluster.local"));
    assertThat(f.entry("spiffe://example.org/ns/shop/sa/web").get().dnsNames())
        .startsWith("10-1-2-3.shop.pod.cluster.local", "10-1-2-3.shop.pod");
  }

  @Test
  void satNodeWithoutAgentPodHasNoEntryYet() {
    f.cluster().node("node-1");
    f.cluster().node("node-2");
    agentPod("spire-agent-b", "node-2", "spire-agent");
    f.start(OperatorFixture.defaults().withNodeAttestor(NodeAttestor.K8S_SAT));
    f.awaitEntry("spiffe://example.org/spire-k8s-registrar/demo/node/node-2");
    assertThat(f.entry(NODE_1)).isEmpty();
  }

  @Test
  void switchingFromAgentToNodeParentingMovesEntriesLeftUnderAgentsToTheNodeEntry() {
    String agentId = "spiffe://example.org/spire/agent/k8s_psat/demo/" + UUID.randomUUID();
    f.spire().addAgent(agent(agentId, "k8s_psat:cluster:demo", "k8s_psat:agent_node_name:node-1"));
    f.spire()
        .put(
            Entry.of(
                SpiffeId.parse("spiffe://example.org/ns/shop/sa/web"),
                SpiffeId.parse(agentId),
                List.of(Selector.parse("k8s:ns:shop"), Selector.parse("k8s:pod-name:web-0"))));
    f.cluster().node("node-1");
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(OperatorFixture.defaults());
    await().atMost(Duration.ofSeconds(20)).until(f::loaded);
    // the first pass queues the re-parenting; the workers write it
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        f.entries().stream()
                            .filter(
                                e ->
                                    e.spiffeId()
                                        .toString()
                                        .equals("spiffe://example.org/ns/shop/sa/web"))
                            .map(e -> e.parentId().toString())
                            .toList())
                    .containsExactly(NODE_1));
  }

  @Test
  void entriesUnderAgentsOfAnotherClusterAreLeftAsTheyWere() {
    String agentId = "spiffe://example.org/spire/agent/k8s_psat/prod/" + UUID.randomUUID();
    f.spire().addAgent(agent(agentId, "k8s_psat:cluster:prod", "k8s_psat:agent_node_name:node-1"));
    Entry foreign =
        f.spire()
            .put(
                Entry.of(
                    SpiffeId.parse("spiffe://example.org/ns/shop/sa/web"),
                    SpiffeId.parse(agentId),
                    List.of(Selector.parse("k8s:ns:shop"), Selector.parse("k8s:pod-name:web-0"))));
    f.cluster().node("node-1");
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(OperatorFixture.defaults());
    await().atMost(Duration.ofSeconds(20)).until(f::loaded);
    f.awaitEntry(NODE_1);
    assertThat(f.entries()).contains(foreign);
  }
}
