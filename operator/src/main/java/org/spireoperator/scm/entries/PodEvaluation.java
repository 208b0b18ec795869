package org.spireoperator.scm.entries;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.spireoperator.scm.Outcome;
import org.spireoperator.spire.Entry;

/**
 * What the ClusterSPIFFEIDs make of one pod, with spire-controller-manager's fallback rule: a rule
 * with {@code fallback: true} gives the pod an entry only when no rule without it rendered one (a
 * non-fallback rule that fails to render does not count). A pod is selected by a rule when the rule
 * selects its namespace, the namespace is not ignored and the rule selects the pod.
 *
 * @param outcomes one per rule that selects the pod, non-fallback rules first
 */
public record PodEvaluation(ScmPod pod, List<RuleOutcome> outcomes) {

  /** What one selecting rule did with the pod. */
  public record RuleOutcome(ClusterSpiffeIdRule rule, Result result, Entry entry, String failure) {
    public enum Result {
      /** An entry was rendered. */
      RENDERED,
      /** The entry could not be rendered ({@link #failure()} says why). */
      FAILED,
      /** A fallback rule skipped because a non-fallback rule rendered an entry. */
      SKIPPED_FOR_FALLBACK
    }

    public RuleOutcome {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(result, "result");
    }
  }

  public PodEvaluation {
    Objects.requireNonNull(pod, "pod");
    outcomes = List.copyOf(outcomes);
  }

  /**
   * Evaluates the (parsed, class-filtered) rules for a pod.
   *
   * @param namespace the pod's namespace (its labels decide namespaceSelector)
   * @param node the pod's node, null when unknown
   * @param serviceNames Services whose endpoints target the pod (for autoPopulateDNSNames)
   */
  public static PodEvaluation evaluate(
      List<ClusterSpiffeIdRule> rules,
      ScmSettings settings,
      ScmNamespace namespace,
      ScmPod pod,
      ScmNode node,
      Set<String> serviceNames,
      ParentRule parent) {
    List<RuleOutcome> outcomes = new ArrayList<>();
    if (settings.ignoredNamespaces().isIgnored(namespace.name())) {
      return new PodEvaluation(pod, outcomes);
    }
    List<ClusterSpiffeIdRule> ordered = new ArrayList<>(rules);
    ordered.sort(Comparator.comparing(ClusterSpiffeIdRule::fallback));
    boolean nonFallbackApplied = false;
    for (ClusterSpiffeIdRule rule : ordered) {
      if (!rule.selectsNamespace(namespace) || !rule.selectsPod(pod)) {
        continue;
      }
      if (rule.fallback() && nonFallbackApplied) {
        outcomes.add(new RuleOutcome(rule, RuleOutcome.Result.SKIPPED_FOR_FALLBACK, null, null));
        continue;
      }
      Outcome<Entry> entry =
          PodEntryRenderer.render(rule, settings, pod, node, serviceNames, parent);
      if (entry.isOk()) {
        outcomes.add(new RuleOutcome(rule, RuleOutcome.Result.RENDERED, entry.orElseThrow(), null));
        if (!rule.fallback()) {
          nonFallbackApplied = true;
        }
      } else {
        outcomes.add(new RuleOutcome(rule, RuleOutcome.Result.FAILED, null, entry.failure()));
      }
    }
    return new PodEvaluation(pod, outcomes);
  }

  /** The declarations of the rendered entries. */
  public List<DeclaredEntry> declarations() {
    List<DeclaredEntry> out = new ArrayList<>();
    for (RuleOutcome o : outcomes) {
      if (o.result() == RuleOutcome.Result.RENDERED) {
        out.add(
            new DeclaredEntry(o.entry(), o.rule().declarer(), pod.namespace() + "/" + pod.name()));
      }
    }
    return out;
  }
}
