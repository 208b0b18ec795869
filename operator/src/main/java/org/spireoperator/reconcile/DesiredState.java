package org.spireoperator.reconcile;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.NodeEntries;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.PodEntries;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodView;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.InvalidSpiffeIdException;
import org.spireoperator.spire.SpiffeId;

/**
 * What the cluster says each Pod and Node should have: the one desired-state computation, shared by
 * the registrar (which writes entries) and the crd-mode mirror (which writes SpiffeID objects).
 * Reads only the cluster view and, with agent parenting, the agent directory; writes nothing.
 */
public final class DesiredState {

  private static final Logger log = LoggerFactory.getLogger(DesiredState.class);

  private final RegistrationSettings settings;
  private final ClusterView cluster;
  private final NodeEntries nodeEntries;
  private final PodEntries podEntries;
  private final AgentDirectory agents;
  private final RegistrarEvents events;
  private final IndistinguishableNodes indistinguishable = new IndistinguishableNodes();
  private final Set<String> fallbackReported = ConcurrentHashMap.newKeySet();

  /**
   * @param agents null unless pod entries are parented to agents
   */
  public DesiredState(
      RegistrationSettings settings,
      ClusterView cluster,
      AgentDirectory agents,
      RegistrarEvents events) {
    this.settings = settings;
    this.cluster = cluster;
    this.nodeEntries = new NodeEntries(settings);
    this.podEntries = new PodEntries(settings);
    this.agents = agents;
    this.events = events;
  }

  public NodeEntries nodeEntries() {
    return nodeEntries;
  }

  /** Nodes whose entries share their selector set with another node's. */
  public int indistinguishableNodeCount() {
    return indistinguishable.sharingNodes();
  }

  public Desired forSubject(Subject subject) {
    if (subject instanceof PodKey pod) {
      return cluster
          .pod(pod)
          .map(this::forPod)
          .orElseGet(() -> new Desired.Unwanted("pod is gone"));
    }
    String node = ((NodeKey) subject).name();
    Desired d =
        cluster.nodeExists(node)
            ? nodeEntries.desired(node, cluster.agentOn(node).orElse(null))
            : new Desired.Unwanted("node is gone");
    trackSelectors(node, d);
    return d;
  }

  public Desired forPod(PodView pod) {
    if (!pod.isScheduled()) {
      return podEntries.desired(pod, nodeEntries.server(), List.of());
    }
    SpiffeId parent;
    try {
      parent = parentFor(pod.nodeName());
    } catch (InvalidSpiffeIdException e) {
      return new Desired.Rejected(
          "node name \"" + pod.nodeName() + "\" gives an " + e.getMessage());
    }
    List<org.spireoperator.registration.ServiceEndpoint> endpoints =
        settings.needsEndpoints() ? cluster.endpointsOf(pod.key()) : List.of();
    return podEntries.desired(pod, parent, endpoints);
  }

  private SpiffeId parentFor(String node) {
    SpiffeId nodeEntryId = nodeEntries.idFor(node);
    if (agents == null) {
      return nodeEntryId;
    }
    Optional<SpiffeId> agent = agents.agentFor(node);
    if (agent.isPresent()) {
      fallbackReported.remove(node);
      return agent.get();
    }
    if (fallbackReported.add(node)) {
      String reason =
          "no attested agent identifies node "
              + node
              + "; pod entries are parented to its node entry "
              + nodeEntryId;
      log.atWarn().addKeyValue("node", node).log(reason);
      events.agentFallback(node, reason);
    }
    return nodeEntryId;
  }

  private void trackSelectors(String node, Desired d) {
    Set<org.spireoperator.spire.Selector> selectors =
        d instanceof Desired.Wanted w ? w.entry().selectors() : null;
    Set<String> group = indistinguishable.update(node, selectors);
    if (!group.isEmpty()) {
      log.atWarn()
          .addKeyValue("nodes", group)
          .addKeyValue("selectors", selectors)
          .log(
              "node entries are indistinguishable: every agent matching these selectors receives the identities of"
                  + " all pods on these nodes; give each node pool's agents its own service account");
      events.indistinguishableNodes(group, selectors);
    }
  }
}
