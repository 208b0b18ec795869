package org.spireoperator.reconcile;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.spireoperator.spire.Selector;

/**
 * Tracks node entries whose selector sets are equal. With {@code k8s_sat} that happens whenever
 * several nodes' agents share a service account: SPIRE cannot tell those agents apart, so each
 * receives every such node's pods. Reports each group once when it forms or grows.
 */
final class IndistinguishableNodes {

  private final Map<String, Set<Selector>> selectorsByNode = new HashMap<>();
  private final Map<Set<Selector>, Set<String>> nodesBySelectors = new HashMap<>();

  /**
   * Records a node's selectors (null: no entry); returns the group to report if it just formed or
   * grew.
   */
  synchronized Set<String> update(String node, Set<Selector> selectors) {
    Set<Selector> old = selectorsByNode.remove(node);
    if (old != null) {
      Set<String> group = nodesBySelectors.get(old);
      group.remove(node);
      if (group.isEmpty()) {
        nodesBySelectors.remove(old);
      }
    }
    if (selectors == null) {
      return Set.of();
    }
    selectorsByNode.put(node, selectors);
    Set<String> group = nodesBySelectors.computeIfAbsent(selectors, k -> new HashSet<>());
    boolean grew = group.add(node) && group.size() > 1 && !selectors.equals(old);
    return grew ? Set.copyOf(new TreeSet<>(group)) : Set.of();
  }

  /** Number of nodes that share their selector set with at least one other node. */
  synchronized int sharingNodes() {
    return nodesBySelectors.values().stream().filter(g -> g.size() > 1).mapToInt(Set::size).sum();
  }
}
