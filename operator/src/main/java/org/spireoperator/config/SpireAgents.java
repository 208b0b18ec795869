package org.spireoperator.config;

import java.util.Map;
import java.util.Objects;
import org.spireoperator.registration.NodeAttestor;
import org.spireoperator.registration.ParentMode;

/**
 * The cluster's SPIRE agents: how they attest, where their pods are, and whether pod entries are
 * parented to them.
 *
 * @param nodeAttestor {@code node_attestor}
 * @param namespace {@code agent_namespace}
 * @param podSelector {@code agent_pod_selector} as written, e.g. "app=spire-agent"
 * @param podLabels {@code agent_pod_selector} as labels, e.g. {app=spire-agent}
 * @param parentMode {@code parent_mode}
 */
public record SpireAgents(
    NodeAttestor nodeAttestor,
    String namespace,
    String podSelector,
    Map<String, String> podLabels,
    ParentMode parentMode) {

  public SpireAgents {
    Objects.requireNonNull(nodeAttestor, "nodeAttestor");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(podSelector, "podSelector");
    podLabels = Map.copyOf(podLabels);
    Objects.requireNonNull(parentMode, "parentMode");
  }
}
