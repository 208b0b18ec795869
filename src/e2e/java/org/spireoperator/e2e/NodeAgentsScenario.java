package org.spireoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spireoperator.e2e.support.Eventually.converges;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.e2e.support.AgentView;
import org.spireoperator.e2e.support.AgentView.AuthorizedEntry;
import org.spireoperator.e2e.support.NodeAgents;
import org.spireoperator.e2e.support.NodeAgents.NodeAgent;
import org.spireoperator.e2e.support.OperatorConfig;
import org.spireoperator.e2e.support.OperatorProcess;
import org.spireoperator.e2e.support.RealServers;
import org.spireoperator.e2e.support.Registrations;
import org.spireoperator.e2e.support.Workloads;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/**
 * The claim the product rests on, on the real kube-apiserver and spire-server: two nodes, a real
 * spire-agent standing for each (its Pod bound to its Node), two pods on each node, the packaged
 * operator in {@code parent_mode} node and agent; what each agent is authorized for, as the server
 * answers {@code GetAuthorizedEntries} to the agent's own X509-SVID ({@link AgentView}), is exactly
 * its own node's pod entries, none of the other node's; also after a pod of the same name is
 * recreated on the other node. (The server never hands out the node entry itself: an entry parented
 * to {@code spire/server} that selects the agent is a node alias, whose children the agent
 * receives.) Each check prints every entry each agent is authorized for.
 *
 * <p>Subclasses choose the node attestor (and the agents' ServiceAccounts) and add what is
 * particular to it.
 */
abstract class NodeAgentsScenario {

  private static final Logger LOG = LoggerFactory.getLogger(NodeAgentsScenario.class);

  /** The pods' ServiceAccount: every pod entry is {@code spiffe://<td>/ns/<ns>/sa/web}. */
  static final String POD_SERVICE_ACCOUNT = "web";

  protected final RealServers servers;
  protected final Workloads workloads;
  protected final Registrations registrations;
  protected final NodeAgents nodeAgents;
  private final List<OperatorProcess> operators = new ArrayList<>();

  /** The agent of each node, by node name (replaced when a test restarts one). */
  protected final Map<String, NodeAgent> agents = new LinkedHashMap<>();

  /** Agents replaced by a restart: still attested (k8s_sat), evicted at the end. */
  protected final List<NodeAgent> replaced = new ArrayList<>();

  /** Which pods run on which node now, by node name. */
  protected final Map<String, List<String>> podsOn = new LinkedHashMap<>();

  NodeAgentsScenario(RealServers servers) {
    this.servers = servers;
    this.workloads = servers.workloads();
    this.registrations = servers.registrations();
    this.nodeAgents = servers.nodeAgents(getClass());
  }

  /** {@code k8s_sat} or {@code k8s_psat}. */
  abstract String attestor();

  /** The test's namespace (its pods and their entries). */
  abstract String namespace();

  /** The two node names. */
  abstract List<String> nodes();

  /** The ServiceAccount of the agent on {@code node} (on the server's allow list). */
  abstract String agentServiceAccount(String node);

  /** The short directory name of the agent on {@code node}. */
  abstract String agentName(String node);

  /** The selectors of the node entry of {@code node} for this attestor. */
  abstract List<Selector> nodeEntrySelectors(String node);

  @BeforeAll
  void startOneAgentPerNode() {
    for (String node : nodes()) {
      agents.put(
          node, nodeAgents.start(agentName(node), node, agentServiceAccount(node), attestor()));
    }
  }

  @BeforeEach
  void runTwoPodsOnEachNode() {
    workloads.namespace(namespace());
    for (String node : nodes()) {
      List<String> pods = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        String pod = node + "-" + i;
        workloads.runningPod(namespace(), pod, POD_SERVICE_ACCOUNT, node);
        pods.add(pod);
      }
      podsOn.put(node, pods);
    }
  }

  @AfterEach
  void removePodsOperatorsAndTheirEntries() {
    operators.forEach(OperatorProcess::stop);
    operators.clear();
    podsOn.values().stream()
        .flatMap(List::stream)
        .forEach(p -> workloads.deletePod(namespace(), p));
    podsOn.clear();
    List<String> ids = entriesOfThisTest().stream().map(Entry::id).toList();
    if (!ids.isEmpty()) {
      servers.spire().client().deleteEntries(ids);
    }
  }

  @AfterAll
  void removeAgentsAndNodes() {
    agents.values().forEach(nodeAgents::remove);
    agents.clear();
    replaced.forEach(nodeAgents::evict);
    replaced.clear();
    for (String node : nodes()) {
      if (workloads.client().nodes().withName(node).get() != null) {
        workloads.deleteNode(node);
      }
    }
  }

  // ------------------------------------------------------------------ the specification

  @Test
  @DisplayName("parent_mode node: each agent receives exactly its node's pod entries")
  void inNodeModeEachAgentReceivesExactlyItsOwnNodesIdentities() throws Exception {
    start("node-mode", config("node"));

    nodeEntriesSelectTheirAgents();
    everyAgentReceivesExactlyItsNodesIdentities("node");
  }

  @Test
  @DisplayName(
      "parent_mode agent: pod entries are parented to their node's agent, which alone receives"
          + " them")
  void inAgentModeEachAgentReceivesExactlyItsOwnNodesIdentities() throws Exception {
    start("agent-mode", config("agent"));

    everyAgentReceivesExactlyItsNodesIdentities("agent");
  }

  @Test
  @DisplayName("parent_mode node: a pod recreated on the other node moves to that node's agent")
  void inNodeModeAPodRecreatedOnTheOtherNodeMovesToThatNodesAgent() throws Exception {
    start("node-recreate", config("node"));
    everyAgentReceivesExactlyItsNodesIdentities("node");

    recreateOnTheOtherNode(nodes().get(0) + "-0");

    everyAgentReceivesExactlyItsNodesIdentities("node");
  }

  @Test
  @DisplayName("parent_mode agent: a pod recreated on the other node moves to that node's agent")
  void inAgentModeAPodRecreatedOnTheOtherNodeMovesToThatNodesAgent() throws Exception {
    start("agent-recreate", config("agent"));
    everyAgentReceivesExactlyItsNodesIdentities("agent");

    recreateOnTheOtherNode(nodes().get(0) + "-0");

    everyAgentReceivesExactlyItsNodesIdentities("agent");
  }

  // ------------------------------------------------------------------ helpers

  protected OperatorConfig config(String parentMode) {
    return servers.operatorConfig().withNodeAttestor(attestor()).withParentMode(parentMode);
  }

  protected OperatorProcess start(String name, OperatorConfig config) throws Exception {
    OperatorProcess p = servers.startOperator(getClass(), name, config);
    operators.add(p);
    return p;
  }

  /** Deletes {@code pod} from its node and creates a pod of the same name on the other node. */
  protected void recreateOnTheOtherNode(String pod) {
    String from =
        podsOn.entrySet().stream()
            .filter(e -> e.getValue().contains(pod))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow();
    String to = nodes().stream().filter(n -> !n.equals(from)).findFirst().orElseThrow();
    workloads.deletePod(namespace(), pod);
    podsOn.get(from).remove(pod);
    workloads.runningPod(namespace(), pod, POD_SERVICE_ACCOUNT, to);
    podsOn.get(to).add(pod);
    LOG.atInfo()
        .addKeyValue("pod", namespace() + "/" + pod)
        .addKeyValue("from", from)
        .addKeyValue("to", to)
        .log("pod recreated on the other node");
  }

  /**
   * Waits until what every agent is authorized for, among this test's entries, is exactly its
   * node's identities, then prints every entry each agent is authorized for.
   */
  protected void everyAgentReceivesExactlyItsNodesIdentities(String parentMode) {
    converges("every agent is authorized for exactly its node's identities (" + parentMode + ")")
        .untilAsserted(
            () -> {
              for (String node : nodes()) {
                assertThat(inScope(authorized(agents.get(node))))
                    .as("what the agent on %s is authorized for", node)
                    .containsExactlyInAnyOrderElementsOf(identitiesOf(node, parentMode));
              }
            });
    for (String node : nodes()) {
      print(agents.get(node), authorized(agents.get(node)));
    }
  }

  /** What the server hands the agent, as the agent authenticates (its SVID and key). */
  protected List<AuthorizedEntry> authorized(NodeAgent agent) {
    return AgentView.of(agent.dataDir()).authorizedEntries(servers.spire().tcpAddress());
  }

  /**
   * {@code spiffeId <- parentId [selectors]} of the entries of the pods on {@code node}, parented
   * to the node entry or (agent mode) to the node's agent.
   */
  protected List<String> identitiesOf(String node, String parentMode) {
    SpiffeId podParent =
        "agent".equals(parentMode) ? agents.get(node).id() : registrations.nodeId(node);
    return podsOn.get(node).stream()
        .map(
            pod ->
                registration(
                    SpiffeId.of(
                        servers.spire().trustDomain(),
                        "ns/" + namespace() + "/sa/" + POD_SERVICE_ACCOUNT),
                    podParent,
                    List.of(Selector.k8s("ns", namespace()), Selector.k8s("pod-name", pod))))
        .toList();
  }

  /**
   * The node entry of {@code node} is on the server with this attestor's selectors (so an agent
   * receiving the node's pod entries in node mode receives them through it).
   */
  protected void nodeEntriesSelectTheirAgents() {
    converges("a node entry per node selecting its agent")
        .untilAsserted(
            () -> {
              for (String node : nodes()) {
                assertThat(registrations.withSpiffeId(registrations.nodeId(node)))
                    .map(e -> registration(e.spiffeId(), e.parentId(), e.selectors()))
                    .containsExactly(
                        registration(
                            registrations.nodeId(node),
                            registrations.server(),
                            nodeEntrySelectors(node)));
              }
            });
  }

  /**
   * The entries among {@code authorized} that belong to this test: pod entries of its namespace and
   * node entries of its nodes.
   */
  protected List<String> inScope(List<AuthorizedEntry> authorized) {
    Set<String> nodeIds =
        nodes().stream()
            .map(n -> registrations.nodeId(n).toString())
            .collect(Collectors.toUnmodifiableSet());
    String ns = "k8s:ns:" + namespace();
    return authorized.stream()
        .filter(e -> e.selectors().contains(ns) || nodeIds.contains(e.spiffeId()))
        .map(e -> e.spiffeId() + " <- " + e.parentId() + " " + e.selectors())
        .toList();
  }

  private static String registration(
      SpiffeId id, SpiffeId parent, java.util.Collection<Selector> selectors) {
    return id
        + " <- "
        + parent
        + " "
        + selectors.stream().map(s -> s.type() + ":" + s.value()).sorted().toList();
  }

  protected void print(NodeAgent agent, List<AuthorizedEntry> entries) {
    StringBuilder b = new StringBuilder();
    b.append("agent ")
        .append(agent.id())
        .append(" (node ")
        .append(agent.node())
        .append(", ")
        .append(attestor())
        .append(") is authorized for ")
        .append(entries.size())
        .append(" entries:");
    entries.forEach(e -> b.append("\n    ").append(e));
    LOG.info(b.toString());
  }

  /**
   * This test's entries on the server: its namespace's pod entries, its nodes' entries and the
   * entries of its agent Pods (the operator registers those too).
   */
  protected List<Entry> entriesOfThisTest() {
    Selector ns = Selector.k8s("ns", namespace());
    Set<SpiffeId> nodeIds =
        nodes().stream().map(registrations::nodeId).collect(Collectors.toUnmodifiableSet());
    Set<Selector> agentPods =
        nodes().stream()
            .map(n -> Selector.k8s("pod-name", NodeAgents.agentPod(n)))
            .collect(Collectors.toUnmodifiableSet());
    Selector agentNs = Selector.k8s("ns", RealServers.AGENT_NAMESPACE);
    return registrations.all().stream()
        .filter(
            e ->
                e.selectors().contains(ns)
                    || nodeIds.contains(e.spiffeId())
                    || (e.selectors().contains(agentNs)
                        && e.selectors().stream().anyMatch(agentPods::contains)))
        .toList();
  }
}
