package org.spireoperator.scm.entries;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.spireoperator.scm.Outcome;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.crd.ClusterStaticEntry;
import org.spireoperator.spire.Entry;

/**
 * Everything spire-controller-manager v0.6.4 would declare for a cluster, as a pure function: the
 * entries to set after masking, the masked declarations, and a report per ClusterSPIFFEID and
 * ClusterStaticEntry of the controller's class (objects of other classes are left out, as
 * spire-controller-manager neither renders nor reports them).
 */
public record ScmRendering(
    List<DeclaredEntry> entriesToSet,
    List<DeclaredEntry> masked,
    Map<String, ClusterSpiffeIdReport> clusterSpiffeIds,
    Map<String, StaticEntryReport> staticEntries) {

  public ScmRendering {
    entriesToSet = List.copyOf(entriesToSet);
    masked = List.copyOf(masked);
    clusterSpiffeIds = Map.copyOf(clusterSpiffeIds);
    staticEntries = Map.copyOf(staticEntries);
  }

  /** The cluster state rendering reads. */
  public record Inputs(
      ScmSettings settings,
      ParentRule parent,
      List<ClusterSPIFFEID> clusterSpiffeIds,
      List<ClusterStaticEntry> staticEntries,
      List<ScmNamespace> namespaces,
      List<ScmPod> pods,
      Map<String, ScmNode> nodesByName,
      Function<ScmPod, Set<String>> servicesOf) {

    public Inputs {
      Objects.requireNonNull(settings, "settings");
      Objects.requireNonNull(parent, "parent");
      clusterSpiffeIds = List.copyOf(clusterSpiffeIds);
      staticEntries = List.copyOf(staticEntries);
      namespaces = List.copyOf(namespaces);
      pods = List.copyOf(pods);
      nodesByName = Map.copyOf(nodesByName);
      servicesOf = servicesOf == null ? pod -> Set.of() : servicesOf;
    }
  }

  public static ScmRendering compute(Inputs in) {
    List<DeclaredEntry> declarations = new ArrayList<>();
    Map<String, StaticEntryReport> staticReports = new LinkedHashMap<>();
    Map<String, String> staticProblems = new HashMap<>();
    for (ClusterStaticEntry s : in.staticEntries()) {
      if (!in.settings()
          .classRule()
          .handles(s.getSpec() == null ? null : s.getSpec().getClassName())) {
        continue;
      }
      Outcome<Entry> entry = StaticEntryRenderer.render(s.getSpec());
      String name = s.getMetadata().getName();
      staticProblems.put(name, entry.failure());
      if (entry.isOk()) {
        declarations.add(new DeclaredEntry(entry.orElseThrow(), Declarer.of(s), ""));
      }
    }

    Map<String, ClusterSpiffeIdRule> rules = new LinkedHashMap<>();
    Map<String, Counters> counters = new LinkedHashMap<>();
    for (ClusterSPIFFEID c : in.clusterSpiffeIds()) {
      if (!in.settings()
          .classRule()
          .handles(c.getSpec() == null ? null : c.getSpec().getClassName())) {
        continue;
      }
      String name = c.getMetadata().getName();
      Outcome<ClusterSpiffeIdRule> rule = ClusterSpiffeIdRule.parse(c);
      counters.put(name, new Counters(rule.failure()));
      if (rule.isOk()) {
        rules.put(name, rule.orElseThrow());
      }
    }

    Map<String, ScmNamespace> namespaces = new LinkedHashMap<>();
    for (ScmNamespace ns : in.namespaces()) {
      namespaces.put(ns.name(), ns);
      rules.forEach(
          (name, rule) -> {
            if (rule.selectsNamespace(ns)) {
              Counters c = counters.get(name);
              c.namespacesSelected++;
              if (in.settings().ignoredNamespaces().isIgnored(ns.name())) {
                c.namespacesIgnored++;
              }
            }
          });
    }

    List<ClusterSpiffeIdRule> ruleList = List.copyOf(rules.values());
    for (ScmPod pod : in.pods()) {
      ScmNamespace ns = namespaces.get(pod.namespace());
      if (ns == null) {
        continue;
      }
      PodEvaluation evaluation =
          PodEvaluation.evaluate(
              ruleList,
              in.settings(),
              ns,
              pod,
              in.nodesByName().get(pod.nodeName()),
              in.servicesOf().apply(pod),
              in.parent());
      for (PodEvaluation.RuleOutcome o : evaluation.outcomes()) {
        Counters c = counters.get(o.rule().declarer().name());
        c.podsSelected++;
        if (o.result() == PodEvaluation.RuleOutcome.Result.FAILED) {
          c.renderFailures.add(
              new ClusterSpiffeIdReport.RenderFailure(
                  pod.namespace() + "/" + pod.name(), o.failure()));
        }
      }
      declarations.addAll(evaluation.declarations());
    }

    Masking.Resolution resolution = Masking.resolve(declarations);
    Map<String, Boolean> staticMasked = new HashMap<>();
    for (DeclaredEntry d : resolution.toSet()) {
      if (isClusterSpiffeId(d)) {
        counters.get(d.by().name()).entriesToSet++;
      }
    }
    for (DeclaredEntry d : resolution.masked()) {
      if (isClusterSpiffeId(d)) {
        counters.get(d.by().name()).entriesMasked++;
      } else {
        staticMasked.put(d.by().name(), true);
      }
    }

    Map<String, ClusterSpiffeIdReport> reports = new LinkedHashMap<>();
    counters.forEach((name, c) -> reports.put(name, c.report(name)));
    staticProblems.forEach(
        (name, problem) ->
            staticReports.put(
                name,
                new StaticEntryReport(name, problem, staticMasked.getOrDefault(name, false))));
    return new ScmRendering(resolution.toSet(), resolution.masked(), reports, staticReports);
  }

  private static boolean isClusterSpiffeId(DeclaredEntry d) {
    return d.by().kind().equals(ClusterSPIFFEID.KIND);
  }

  /** Mutable tallies while computing; never leaves this class. */
  private static final class Counters {
    private final String specProblem;
    private int namespacesSelected;
    private int namespacesIgnored;
    private int podsSelected;
    private final List<ClusterSpiffeIdReport.RenderFailure> renderFailures = new ArrayList<>();
    private int entriesMasked;
    private int entriesToSet;

    Counters(String specProblem) {
      this.specProblem = specProblem;
    }

    ClusterSpiffeIdReport report(String name) {
      return new ClusterSpiffeIdReport(
          name,
          specProblem,
          namespacesSelected,
          namespacesIgnored,
          podsSelected,
          renderFailures,
          entriesMasked,
          entriesToSet);
    }
  }
}
