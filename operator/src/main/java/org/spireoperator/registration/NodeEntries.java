package org.spireoperator.registration;

import java.util.List;
import java.util.Optional;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.InvalidSpiffeIdException;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/**
 * Node entries: one per Node, {@code spiffe://<td>/<controller>/<cluster>/node/<node>}, parented to
 * the SPIRE server, selecting only the agent on that node as the node attestor describes it. Also
 * the ownership rule for node entries: an entry is a node entry of this cluster exactly when its
 * parent is the server and its ID lies directly under {@link #root()}.
 */
public final class NodeEntries {

  private final RegistrationSettings settings;
  private final SpiffeId root;
  private final SpiffeId server;
  private final SpiffeId agentRoot;

  public NodeEntries(RegistrationSettings settings) {
    this.settings = settings;
    this.root =
        new SpiffeId(
            settings.trustDomain(),
            "/" + settings.controllerName() + "/" + settings.cluster() + "/node");
    this.server = SpiffeId.server(settings.trustDomain());
    this.agentRoot =
        new SpiffeId(
            settings.trustDomain(),
            "/spire/agent/" + settings.nodeAttestor().pluginName() + "/" + settings.cluster());
  }

  /** The prefix of every node entry ID of this cluster. */
  public SpiffeId root() {
    return root;
  }

  /**
   * The selector every node entry of this cluster carries ({@code <attestor>:cluster:<cluster>}),
   * whatever else selects the node's agent: what tells this cluster's node entries from other
   * clusters' under the same server.
   */
  public Selector clusterSelector() {
    return new Selector(settings.nodeAttestor().pluginName(), "cluster:" + settings.cluster());
  }

  /** The SPIRE server's ID, parent of every node entry. */
  public SpiffeId server() {
    return server;
  }

  /**
   * The node entry ID for a node name; throws {@link InvalidSpiffeIdException} for a name that is
   * no path segment.
   */
  public SpiffeId idFor(String nodeName) {
    return root.child(nodeName);
  }

  /**
   * The entry the node should have; {@code agent} is the node's SPIRE agent account, needed for
   * {@code k8s_sat}.
   */
  public Desired desired(String nodeName, AgentAccount agent) {
    SpiffeId id;
    try {
      id = idFor(nodeName);
    } catch (InvalidSpiffeIdException e) {
      return new Desired.Rejected("node name \"" + nodeName + "\" gives an " + e.getMessage());
    }
    return switch (settings.nodeAttestor()) {
      case K8S_PSAT ->
          new Desired.Wanted(
              Entry.of(
                  id,
                  server,
                  List.of(
                      clusterSelector(), new Selector("k8s_psat", "agent_node_name:" + nodeName))));
      case K8S_SAT ->
          agent == null
              ? new Desired.Unwanted(
                  "no SPIRE agent pod found on node "
                      + nodeName
                      + " (k8s_sat selectors name the agent's namespace and service account)")
              : new Desired.Wanted(
                  Entry.of(
                      id,
                      server,
                      List.of(
                          clusterSelector(),
                          new Selector("k8s_sat", "agent_ns:" + agent.namespace()),
                          new Selector("k8s_sat", "agent_sa:" + agent.serviceAccount()))));
    };
  }

  /** The node an entry belongs to, if it is a node entry of this cluster. */
  public Optional<NodeKey> ownerOf(Entry entry) {
    if (!entry.parentId().equals(server) || !entry.spiffeId().isBelow(root)) {
      return Optional.empty();
    }
    String rest = entry.spiffeId().path().substring(root.path().length() + 1);
    return rest.contains("/") ? Optional.empty() : Optional.of(new NodeKey(rest));
  }

  /**
   * True for IDs of agents of this cluster and attestor ({@code
   * spiffe://<td>/spire/agent/<attestor>/<cluster>/...}).
   */
  public boolean isClusterAgent(SpiffeId id) {
    return id.isBelow(agentRoot);
  }

  /** The node whose entry ID this is, if it lies directly under the root. */
  public Optional<String> nodeNameOf(SpiffeId id) {
    if (!id.isBelow(root)) {
      return Optional.empty();
    }
    String rest = id.path().substring(root.path().length() + 1);
    return rest.contains("/") ? Optional.empty() : Optional.of(rest);
  }
}
