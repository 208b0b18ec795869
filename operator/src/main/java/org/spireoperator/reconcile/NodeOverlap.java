package org.spireoperator.reconcile;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.Diagnostic;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.Selector;

/**
 * Tracks node entries whose selector sets are equal. With {@code k8s_sat} that happens whenever
 * several nodes' agents share a service account: SPIRE cannot tell those agents apart, so each
 * receives every such node's pods. Says so once per group, when it forms or grows.
 */
public final class NodeOverlap {

  private final Map<String, Set<Selector>> selectorsByNode = new HashMap<>();
  private final Map<Set<Selector>, Set<String>> nodesBySelectors = new HashMap<>();

  /** Records a node decision; returns what to tell about a group that just formed or grew. */
  public synchronized List<Diagnostic> observe(Subject subject, Desired desired) {
    if (!(subject instanceof NodeKey node)) {
      return List.of();
    }
    Set<Selector> selectors = desired instanceof Desired.Wanted w ? w.entry().selectors() : null;
    Set<String> group = update(node.name(), selectors);
    if (group.isEmpty()) {
      return List.of();
    }
    String message =
        "node entries of "
            + group
            + " share selectors "
            + selectors
            + ": every agent matching them receives the identities of all pods on these nodes;"
            + " give each node pool's SPIRE agents their own service account";
    return group.stream()
        .map(n -> new Diagnostic(new NodeKey(n), "IndistinguishableAgents", message))
        .toList();
  }

  private Set<String> update(String node, Set<Selector> selectors) {
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
    return grew ? java.util.Collections.unmodifiableSortedSet(new TreeSet<>(group)) : Set.of();
  }

  /** Number of nodes that share their selector set with at least one other node. */
  public synchronized int sharingNodes() {
    return nodesBySelectors.values().stream().filter(g -> g.size() > 1).mapToInt(Set::size).sum();
  }
}
