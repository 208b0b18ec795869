package org.spireoperator.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.spireoperator.registration.StaticEntryKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.registration.WorkloadKey;
import org.spireoperator.scm.Outcome;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.entries.ClusterSpiffeIdReport;
import org.spireoperator.scm.entries.ClusterSpiffeIdRule;
import org.spireoperator.scm.entries.ScmIntegration;
import org.spireoperator.scm.entries.ScmNamespace;
import org.spireoperator.scm.entries.StaticEntryReport;

/**
 * The status spire-controller-manager's objects report, computed from what the engine last did for
 * their subjects ({@link SubjectOutcomes}) instead of rendering the cluster again: a
 * ClusterSPIFFEID's counters (namespaces selected and ignored, pods selected, render failures,
 * entries masked, entries to set, entry failures) and a ClusterStaticEntry's rendered, masked and
 * set.
 */
public final class ScmReports {

  private static final Set<String> NOT_SELECTED = Set.of("NotSelected", "NotRegistered");

  private final ScmIntegration scm;
  private final ClusterView cluster;
  private final SubjectOutcomes outcomes;

  public ScmReports(ScmIntegration scm, ClusterView cluster, SubjectOutcomes outcomes) {
    this.scm = scm;
    this.cluster = cluster;
    this.outcomes = outcomes;
  }

  /** A ClusterSPIFFEID's report and its entry failures. */
  public record ClusterSpiffeIdStatus(ClusterSpiffeIdReport report, int entryFailures) {}

  public ClusterSpiffeIdStatus clusterSpiffeId(ClusterSPIFFEID resource) {
    String name = resource.getMetadata().getName();
    Outcome<ClusterSpiffeIdRule> rule = ClusterSpiffeIdRule.parse(resource);
    if (!rule.isOk()) {
      return new ClusterSpiffeIdStatus(
          new ClusterSpiffeIdReport(name, rule.failure(), 0, 0, 0, List.of(), 0, 0), 0);
    }
    int namespacesSelected = 0;
    int namespacesIgnored = 0;
    for (ScmNamespace ns : cluster.namespaces()) {
      if (rule.orElseThrow().selectsNamespace(ns)) {
        namespacesSelected++;
        if (scm.settings().ignoredNamespaces().isIgnored(ns.name())) {
          namespacesIgnored++;
        }
      }
    }
    int podsSelected = 0;
    int masked = 0;
    int toSet = 0;
    int failures = 0;
    List<ClusterSpiffeIdReport.RenderFailure> renderFailures = new ArrayList<>();
    Map<Subject, SubjectOutcome> mine =
        outcomes.matching(s -> s instanceof WorkloadKey w && w.clusterSpiffeId().equals(name));
    for (Map.Entry<Subject, SubjectOutcome> e : mine.entrySet()) {
      SubjectOutcome o = e.getValue();
      if (NOT_SELECTED.contains(o.reason())) {
        continue;
      }
      podsSelected++;
      if (o.reason().equals("Masked")) {
        masked++;
      } else if (o.reason().equals("RenderFailure")) {
        WorkloadKey w = (WorkloadKey) e.getKey();
        renderFailures.add(
            new ClusterSpiffeIdReport.RenderFailure(w.namespace() + "/" + w.pod(), o.message()));
      }
      if (o.declared()) {
        toSet++;
        if (o.reason().equals("SpireError") || o.reason().equals("Conflict")) {
          failures++;
        }
      }
    }
    return new ClusterSpiffeIdStatus(
        new ClusterSpiffeIdReport(
            name,
            null,
            namespacesSelected,
            namespacesIgnored,
            podsSelected,
            renderFailures,
            masked,
            toSet),
        failures);
  }

  /** A ClusterStaticEntry's report, whether its entry is in SPIRE as declared, and any problem. */
  public record StaticStatus(StaticEntryReport report, boolean inSpire, String spireProblem) {}

  public Optional<StaticStatus> staticEntry(String name) {
    return outcomes
        .get(new StaticEntryKey(name))
        .map(
            o -> {
              String renderProblem = o.reason().equals("InvalidSpec") ? o.message() : null;
              boolean masked = o.reason().equals("Masked");
              String spireProblem =
                  o.reason().equals("SpireError") || o.reason().equals("Conflict")
                      ? o.message()
                      : null;
              return new StaticStatus(
                  new StaticEntryReport(name, renderProblem, masked), o.ready(), spireProblem);
            });
  }
}
