package org.spireoperator.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodView;
import org.spireoperator.registration.ServiceEndpoint;
import org.spireoperator.registration.StaticEntryKey;
import org.spireoperator.registration.WorkloadKey;
import org.spireoperator.scm.Outcome;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.crd.ClusterStaticEntry;
import org.spireoperator.scm.entries.ClusterSpiffeIdRule;
import org.spireoperator.scm.entries.DeclaredEntry;
import org.spireoperator.scm.entries.Declarer;
import org.spireoperator.scm.entries.Masking;
import org.spireoperator.scm.entries.ParentRule;
import org.spireoperator.scm.entries.PodEvaluation;
import org.spireoperator.scm.entries.ScmIntegration;
import org.spireoperator.scm.entries.ScmNamespace;
import org.spireoperator.scm.entries.ScmPod;
import org.spireoperator.scm.entries.StaticEntryRenderer;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.tenancy.TenantConfinement;
import org.spireoperator.tenancy.Violation;

/**
 * Desired entries of spire-controller-manager's API, one subject at a time: a pod as one
 * ClusterSPIFFEID sees it ({@link WorkloadKey}), a ClusterStaticEntry ({@link StaticEntryKey}).
 * Pure over the cluster view, with v0.6.4's semantics from {@code org.spireoperator.scm.entries}:
 * class rule, ignored namespaces, selectors, {@code fallback}, rendering, and masking of equal
 * declarations (oldest object wins). A pod's entry is judged with every ClusterSPIFFEID that may
 * select it, so a change to one ClusterSPIFFEID is reflected in the others' fallback and masking.
 *
 * <p>Pod labels are tenant input: an entry whose rendered SPIFFE ID is reserved (under {@code
 * /spire}, this operator's node root, or {@code tenant.reserved_ids}) is refused for pods of
 * confined namespaces, whatever the template says.
 */
final class ScmDecisions {

  private static final String POD_UID = "pod-uid:";

  private final ScmIntegration scm;
  private final ClusterView cluster;
  private final ParentRule parent;
  private final TenantConfinement tenant;
  private final SpiffeId operatorIdRoot;

  ScmDecisions(
      ScmIntegration scm,
      ClusterView cluster,
      ParentRule parent,
      TenantConfinement tenant,
      SpiffeId operatorIdRoot) {
    this.scm = scm;
    this.cluster = cluster;
    this.parent = parent;
    this.tenant = tenant;
    this.operatorIdRoot = operatorIdRoot;
  }

  boolean enabled() {
    return scm.enabled();
  }

  /** The ClusterSPIFFEIDs of this operator's class whose spec is valid, parsed. */
  List<ClusterSpiffeIdRule> rules() {
    List<ClusterSpiffeIdRule> out = new ArrayList<>();
    if (!scm.enabled()) {
      return out;
    }
    for (ClusterSPIFFEID c : cluster.clusterSpiffeIds()) {
      if (handles(c)) {
        Outcome<ClusterSpiffeIdRule> rule = ClusterSpiffeIdRule.parse(c);
        if (rule.isOk()) {
          out.add(rule.orElseThrow());
        }
      }
    }
    return out;
  }

  private boolean handles(ClusterSPIFFEID c) {
    return scm.settings()
        .classRule()
        .handles(c.getSpec() == null ? null : c.getSpec().getClassName());
  }

  private boolean handles(ClusterStaticEntry s) {
    return scm.settings()
        .classRule()
        .handles(s.getSpec() == null ? null : s.getSpec().getClassName());
  }

  /** What every selecting ClusterSPIFFEID makes of a pod; empty when nothing selects it. */
  Optional<PodEvaluation> evaluate(PodKey pod, List<ClusterSpiffeIdRule> rules) {
    if (rules.isEmpty()) {
      return Optional.empty();
    }
    Optional<ScmPod> scmPod = cluster.scmPod(pod);
    Optional<ScmNamespace> namespace = cluster.namespace(pod.namespace());
    if (scmPod.isEmpty() || namespace.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        PodEvaluation.evaluate(
            rules,
            scm.settings(),
            namespace.get(),
            scmPod.get(),
            cluster.scmNode(scmPod.get().nodeName()).orElse(null),
            serviceNames(pod),
            parent));
  }

  private Set<String> serviceNames(PodKey pod) {
    Set<String> names = new TreeSet<>();
    for (ServiceEndpoint e : cluster.endpointsOf(pod)) {
      names.add(e.service());
    }
    return names;
  }

  /** True if some ClusterSPIFFEID gives the pod an entry (the registrar's fallback rule). */
  boolean givesEntry(PodKey pod) {
    return evaluate(pod, rules()).map(e -> !e.declarations().isEmpty()).orElse(false);
  }

  Desired forWorkload(WorkloadKey key) {
    Optional<ClusterSPIFFEID> resource = cluster.clusterSpiffeId(key.clusterSpiffeId());
    if (!scm.enabled()
        || resource.isEmpty()
        || resource.get().getMetadata().getDeletionTimestamp() != null
        || !handles(resource.get())) {
      return new Desired.Unwanted(
          "ClusterSPIFFEID " + key.clusterSpiffeId() + " is gone", "NotSelected");
    }
    Outcome<ClusterSpiffeIdRule> own = ClusterSpiffeIdRule.parse(resource.get());
    if (!own.isOk()) {
      return new Desired.Rejected(own.failure(), "InvalidSpec", e -> true);
    }
    Optional<PodEvaluation> evaluation = evaluate(key.podKey(), rules());
    Optional<PodEvaluation.RuleOutcome> mine =
        evaluation.stream()
            .flatMap(e -> e.outcomes().stream())
            .filter(o -> o.rule().declarer().name().equals(key.clusterSpiffeId()))
            .findFirst();
    if (mine.isEmpty()) {
      return new Desired.Unwanted(
          "not selected by ClusterSPIFFEID " + key.clusterSpiffeId(), "NotSelected");
    }
    PodEvaluation.RuleOutcome outcome = mine.get();
    if (outcome.result() == PodEvaluation.RuleOutcome.Result.SKIPPED_FOR_FALLBACK) {
      return new Desired.Unwanted(
          "a fallback: another ClusterSPIFFEID gives the pod its entry", "FallbackSkipped");
    }
    if (outcome.result() == PodEvaluation.RuleOutcome.Result.FAILED) {
      return new Desired.Rejected(outcome.failure(), "RenderFailure", e -> true);
    }
    List<DeclaredEntry> declarations = new ArrayList<>(evaluation.get().declarations());
    declarations.addAll(staticDeclarations());
    DeclaredEntry winner = winnerFor(outcome.entry(), declarations);
    if (!winner.by().equals(outcome.rule().declarer())) {
      return new Desired.Unwanted(
          "masked by " + winner.by() + ", which declares the same entry", "Masked");
    }
    Optional<Violation> reserved =
        tenant.confines(key.namespace())
            ? tenant
                .spiffeId(key.namespace(), outcome.entry().spiffeId(), operatorIdRoot)
                .filter(v -> v.rule() == org.spireoperator.tenancy.TenantRule.RESERVED_ID)
            : Optional.empty();
    if (reserved.isPresent()) {
      return new Desired.Rejected(reserved.get().message(), "Forbidden", e -> false);
    }
    return new Desired.Wanted(outcome.entry());
  }

  Desired forStatic(StaticEntryKey key) {
    Optional<ClusterStaticEntry> resource = cluster.staticEntry(key.name());
    if (!scm.enabled()
        || resource.isEmpty()
        || resource.get().getMetadata().getDeletionTimestamp() != null
        || !handles(resource.get())) {
      return new Desired.Unwanted("ClusterStaticEntry " + key.name() + " is gone");
    }
    Outcome<Entry> entry = StaticEntryRenderer.render(resource.get().getSpec());
    if (!entry.isOk()) {
      return new Desired.Rejected(entry.failure(), "InvalidSpec", e -> true);
    }
    List<DeclaredEntry> declarations = new ArrayList<>(staticDeclarations());
    List<ClusterSpiffeIdRule> rules = rules();
    for (PodKey pod : podsNamedBy(entry.orElseThrow().selectors())) {
      evaluate(pod, rules).ifPresent(e -> declarations.addAll(e.declarations()));
    }
    DeclaredEntry winner = winnerFor(entry.orElseThrow(), declarations);
    if (!winner.by().equals(Declarer.of(resource.get()))) {
      return new Desired.Unwanted(
          "masked by " + winner.by() + ", which declares the same entry", "Masked");
    }
    return new Desired.Wanted(entry.orElseThrow());
  }

  /**
   * The pods a static entry's selectors name by UID ({@code k8s:pod-uid}): a ClusterSPIFFEID's
   * entry always carries its pod's UID, so only these pods' entries can be the same entry as a
   * static one (and be masked by it, or mask it).
   */
  Set<PodKey> podsNamedBy(java.util.Collection<Selector> selectors) {
    Set<String> uids = new TreeSet<>();
    for (Selector s : selectors) {
      if (s.type().equals("k8s") && s.value().startsWith(POD_UID)) {
        uids.add(s.value().substring(POD_UID.length()));
      }
    }
    Set<PodKey> out = new java.util.LinkedHashSet<>();
    if (uids.isEmpty()) {
      return out;
    }
    for (PodView pod : cluster.pods()) {
      if (uids.contains(pod.uid())) {
        out.add(pod.key());
      }
    }
    return out;
  }

  private List<DeclaredEntry> staticDeclarations() {
    List<DeclaredEntry> out = new ArrayList<>();
    for (ClusterStaticEntry s : cluster.staticEntries()) {
      if (handles(s) && s.getMetadata().getDeletionTimestamp() == null) {
        Outcome<Entry> entry = StaticEntryRenderer.render(s.getSpec());
        if (entry.isOk()) {
          out.add(new DeclaredEntry(entry.orElseThrow(), Declarer.of(s), ""));
        }
      }
    }
    return out;
  }

  /** Of the declarations of the same entry as {@code entry}, the one that is set. */
  private static DeclaredEntry winnerFor(Entry entry, List<DeclaredEntry> declarations) {
    List<DeclaredEntry> same =
        declarations.stream().filter(d -> d.key().equals(entry.similarityKey())).toList();
    return Masking.resolve(same).toSet().get(0);
  }
}
