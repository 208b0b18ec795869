package org.spireoperator.reconcile;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.spireoperator.registration.AgentAccount;
import org.spireoperator.registration.NodeAttestor;
import org.spireoperator.registration.NodeEntries;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.spire.Agent;
import org.spireoperator.spire.AgentFilter;
import org.spireoperator.spire.EntryFilter;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireClient;

/**
 * Which attested agent runs on which node, from the Agent API, for {@code parent_mode = "agent"};
 * in node parenting, only the IDs of this cluster's agents, for the sweep at start ({@link
 * #allClusterAgents}). {@code k8s_psat} agents name their node in {@code k8s_psat:agent_node_name};
 * a {@code k8s_sat} agent is placed on a node only when its (namespace, service account) is used by
 * the agent pod of exactly one node. Among several agents for a node (re-attestation leaves the old
 * one until it expires) the unbanned one whose SVID expires last wins.
 */
public final class AgentDirectory {

  private final RegistrationSettings settings;
  private final SpireClient spire;
  private final ClusterView cluster;
  private final NodeEntries nodeEntries;
  private volatile Map<String, SpiffeId> byNode = Map.of();

  public AgentDirectory(RegistrationSettings settings, SpireClient spire, ClusterView cluster) {
    this.settings = settings;
    this.spire = spire;
    this.cluster = cluster;
    this.nodeEntries = new NodeEntries(settings);
  }

  /**
   * Reads the agent list again; returns the nodes whose agent ID changed (appeared, vanished or
   * re-attested).
   */
  public Set<String> refresh() {
    List<Agent> agents = listClusterAgents();
    Map<String, SpiffeId> next =
        settings.nodeAttestor() == NodeAttestor.K8S_PSAT ? placePsat(agents) : placeSat(agents);
    Map<String, SpiffeId> previous = byNode;
    byNode = Map.copyOf(next);
    Set<String> changed = new HashSet<>();
    for (String node : union(previous.keySet(), next.keySet())) {
      if (!java.util.Objects.equals(previous.get(node), next.get(node))) {
        changed.add(node);
      }
    }
    return changed;
  }

  /**
   * The IDs of every agent of this cluster and attestor the server knows, placed on a node or not,
   * banned or not.
   */
  public List<SpiffeId> allClusterAgents() {
    return listClusterAgents().stream().map(Agent::id).filter(this::isClusterAgent).toList();
  }

  /** Banned ones included: placement skips them, the sweep reads the entries left under them. */
  private List<Agent> listClusterAgents() {
    String type = settings.nodeAttestor().pluginName();
    return spire.listAgents(
        new AgentFilter(
            type,
            Set.of(new Selector(type, "cluster:" + settings.cluster())),
            EntryFilter.Match.SUPERSET,
            null));
  }

  private Map<String, SpiffeId> placePsat(List<Agent> agents) {
    Map<String, Agent> best = new HashMap<>();
    for (Agent a : agents) {
      String node = a.selectorValue("k8s_psat", "agent_node_name");
      if (node != null && !a.banned()) {
        best.merge(node, a, AgentDirectory::newer);
      }
    }
    Map<String, SpiffeId> out = new HashMap<>();
    best.forEach((node, a) -> out.put(node, a.id()));
    return out;
  }

  private Map<String, SpiffeId> placeSat(List<Agent> agents) {
    Map<AgentAccount, Agent> best = new HashMap<>();
    for (Agent a : agents) {
      String ns = a.selectorValue("k8s_sat", "agent_ns");
      String sa = a.selectorValue("k8s_sat", "agent_sa");
      if (ns != null && sa != null && !a.banned()) {
        best.merge(new AgentAccount(ns, sa), a, AgentDirectory::newer);
      }
    }
    Map<String, SpiffeId> out = new HashMap<>();
    best.forEach(
        (account, a) -> {
          Collection<String> nodes = cluster.nodesWithAgent(account);
          if (nodes.size() == 1) {
            out.put(nodes.iterator().next(), a.id());
          }
        });
    return out;
  }

  private static Agent newer(Agent a, Agent b) {
    return Comparator.comparingLong(Agent::x509SvidExpiresAt)
                .thenComparing(ag -> ag.id().toString())
                .compare(a, b)
            >= 0
        ? a
        : b;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.addAll(b);
    return out;
  }

  /** The agent attested on a node, if one can be identified. */
  public Optional<SpiffeId> agentFor(String node) {
    return Optional.ofNullable(byNode.get(node));
  }

  /** Every agent ID currently placed on a node. */
  public Collection<SpiffeId> placedAgents() {
    return byNode.values();
  }

  /**
   * True for IDs of agents of this cluster and attestor ({@code
   * spiffe://<td>/spire/agent/<attestor>/<cluster>/...}).
   */
  public boolean isClusterAgent(SpiffeId id) {
    return nodeEntries.isClusterAgent(id);
  }
}
