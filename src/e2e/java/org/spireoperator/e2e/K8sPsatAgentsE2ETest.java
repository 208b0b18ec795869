package org.spireoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.e2e.support.NodeAgents;
import org.spireoperator.e2e.support.NodeAgents.NodeAgent;
import org.spireoperator.e2e.support.RealServers;
import org.spireoperator.e2e.support.RealServersExtension;
import org.spireoperator.spire.Selector;

/**
 * {@link NodeAgentsScenario} with {@code k8s_psat} agents, as SPIRE 1.12 and later run them: each
 * agent presents a token the real kube-apiserver issued for its Pod (TokenRequest bound to the Pod,
 * audience {@code spire-server}), which the server validates with TokenReview before reading the
 * Pod and its Node; the agent ID names the Node's UID and the node entry selects the agent by
 * {@code k8s_psat:agent_node_name}, so both agents run as the same ServiceAccount. And what the
 * attestor needs, from the refusals of agents lacking it: a token bound to a Pod, for the audience
 * the server expects, of a ServiceAccount on the allow list, whose Pod still exists and is bound to
 * a Node that exists.
 */
@Tag("k8s_psat")
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class K8sPsatAgentsE2ETest extends NodeAgentsScenario {

  private static final Logger LOG = LoggerFactory.getLogger(K8sPsatAgentsE2ETest.class);

  /** Node of the agent Pods whose attestation the server refuses. */
  private static final String REFUSED_NODE = "psat-x";

  /** Node of the agent Pod running as a ServiceAccount off the allow list. */
  private static final String INTRUDER_NODE = "psat-y";

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

  @AfterAll
  void removeTheRefusedAgentsNodes() {
    for (String node : List.of(REFUSED_NODE, INTRUDER_NODE)) {
      if (workloads.client().nodes().withName(node).get() != null) {
        workloads.deleteNode(node);
      }
    }
  }

  // ------------------------------------------------------------------ what k8s_psat needs

  @Test
  @DisplayName("a token not bound to a Pod is refused: the server needs the Pod's name from it")
  void aTokenNotBoundToAPodIsRefused() {
    nodeAgents.agentPodOn(REFUSED_NODE, "spire-agent");
    Path token = nodeAgents.token("unbound.token", "spire-agent", NodeAgents.PSAT_AUDIENCE, null);

    String refusal = refused("unbound", "spire-agent", token);

    assertThat(refusal).contains("missing pod name");
  }

  @Test
  @DisplayName("a token for another audience is refused")
  void aTokenForAnotherAudienceIsRefused() {
    Pod pod = nodeAgents.agentPodOn(REFUSED_NODE, "spire-agent");
    Path token = nodeAgents.token("audience.token", "spire-agent", "not-spire", pod);

    String refusal = refused("audience", "spire-agent", token);

    assertThat(refusal).contains("is invalid for the target audiences");
  }

  @Test
  @DisplayName("a ServiceAccount off the server's allow list is refused (PermissionDenied)")
  void aServiceAccountOffTheAllowListIsRefused() {
    Pod pod = nodeAgents.agentPodOn(INTRUDER_NODE, "intruder");
    Path token = nodeAgents.token("intruder.token", "intruder", NodeAgents.PSAT_AUDIENCE, pod);

    String refusal = refused("intruder", "intruder", token);

    assertThat(refusal)
        .contains("code = PermissionDenied")
        .containsPattern("spire:intruder.{0,3} is not an allowed service account");
  }

  @Test
  @DisplayName("a token whose Pod is gone is refused (TokenReview checks the bound Pod)")
  void aTokenWhosePodIsGoneIsRefused() {
    Pod pod = nodeAgents.agentPodOn(REFUSED_NODE, "spire-agent");
    Path token = nodeAgents.token("gone.token", "spire-agent", NodeAgents.PSAT_AUDIENCE, pod);
    nodeAgents.deleteAgentPod(REFUSED_NODE);

    String refusal = refused("gone", "spire-agent", token);

    assertThat(refusal).contains("service account token has been invalidated");
  }

  @Test
  @DisplayName("a Pod whose Node is gone is refused: the server reads the Node for its UID")
  void aPodWhoseNodeIsGoneIsRefused() {
    Pod pod = nodeAgents.agentPodOn(REFUSED_NODE, "spire-agent");
    Path token = nodeAgents.token("nodeless.token", "spire-agent", NodeAgents.PSAT_AUDIENCE, pod);
    workloads.deleteNode(REFUSED_NODE);

    String refusal = refused("nodeless", "spire-agent", token);

    assertThat(refusal).contains("fail to get node from k8s API server");
  }

  private String refused(String name, String serviceAccount, Path token) {
    String refusal =
        servers
            .spire()
            .refusedAgent(name, "k8s_psat", RealServers.AGENT_NAMESPACE, serviceAccount, token);
    LOG.atInfo().addKeyValue("agent", name).log("refused:\n" + refusal);
    nodeAgents.deleteAgentPodIfPresent(REFUSED_NODE);
    nodeAgents.deleteAgentPodIfPresent(INTRUDER_NODE);
    return refusal;
  }

  // ------------------------------------------------------------------ agent IDs

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
