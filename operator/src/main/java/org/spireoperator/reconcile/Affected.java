package org.spireoperator.reconcile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodView;
import org.spireoperator.registration.StaticEntryKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.registration.WorkloadKey;
import org.spireoperator.scm.Outcome;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.crd.ClusterStaticEntry;
import org.spireoperator.scm.entries.StaticEntryRenderer;
import org.spireoperator.spire.Entry;

/**
 * Which subjects a change to one object can affect: the work stays incremental. A pod change
 * re-judges the pod and what every ClusterSPIFFEID makes of it (their fallback and masking depend
 * on each other); a ClusterSPIFFEID change the pods its old and new selectors reach (old: the
 * subjects it owns entries for; new: what its selectors match now) and, through fallback and
 * masking, the other ClusterSPIFFEIDs' and the registrar's view of those pods; a namespace label
 * change that namespace's pods.
 */
final class Affected {

  private final ClusterView cluster;
  private final OwnedEntries owned;
  private final ScmDecisions scm;

  Affected(ClusterView cluster, OwnedEntries owned, ScmDecisions scm) {
    this.cluster = cluster;
    this.owned = owned;
    this.scm = scm;
  }

  List<Subject> byPod(PodKey pod) {
    List<Subject> out = new ArrayList<>();
    out.add(pod);
    if (scm.enabled()) {
      for (ClusterSPIFFEID c : cluster.clusterSpiffeIds()) {
        out.add(new WorkloadKey(c.getMetadata().getName(), pod.namespace(), pod.name()));
      }
    }
    return out;
  }

  List<Subject> byClusterSpiffeId(String name) {
    Set<PodKey> pods = new LinkedHashSet<>();
    for (Subject s : owned.subjects()) {
      if (s instanceof WorkloadKey w && w.clusterSpiffeId().equals(name)) {
        pods.add(w.podKey());
      }
    }
    scm.rules().stream()
        .filter(r -> r.declarer().name().equals(name))
        .findFirst()
        .ifPresent(
            rule -> {
              for (PodView pod : cluster.pods()) {
                if (rule.podSelector().matches(pod.labels())
                    && cluster
                        .namespace(pod.namespace())
                        .filter(rule::selectsNamespace)
                        .isPresent()) {
                  pods.add(pod.key());
                }
              }
            });
    List<Subject> out = new ArrayList<>();
    out.add(new WorkloadKey(name, "", ""));
    pods.forEach(p -> out.addAll(byPod(p)));
    for (Subject s : owned.subjects()) {
      if (s instanceof WorkloadKey w && w.clusterSpiffeId().equals(name)) {
        out.add(s);
      }
    }
    out.removeIf(s -> s instanceof WorkloadKey w && w.pod().isEmpty());
    return out;
  }

  List<Subject> byNamespace(String namespace) {
    List<Subject> out = new ArrayList<>();
    for (PodView pod : cluster.podsIn(namespace)) {
      out.addAll(byPod(pod.key()));
    }
    return out;
  }

  List<Subject> byNode(String node) {
    List<Subject> out = new ArrayList<>();
    for (PodView pod : cluster.podsOn(node)) {
      out.addAll(byPod(pod.key()));
    }
    return out;
  }

  /**
   * Every static entry (they mask each other, so one change can flip another) and the pods the
   * changed one names by UID, before (its indexed entry) and now: their ClusterSPIFFEID entries may
   * be masked by it, or mask it.
   */
  List<Subject> byStaticEntry(String name) {
    Set<Subject> out = new LinkedHashSet<>();
    StaticEntryKey changed = new StaticEntryKey(name);
    out.add(changed);
    for (ClusterStaticEntry s : cluster.staticEntries()) {
      out.add(new StaticEntryKey(s.getMetadata().getName()));
    }
    if (scm.enabled()) {
      Set<PodKey> pods = new LinkedHashSet<>();
      for (Entry e : owned.get(changed)) {
        pods.addAll(scm.podsNamedBy(e.selectors()));
      }
      cluster
          .staticEntry(name)
          .map(s -> StaticEntryRenderer.render(s.getSpec()))
          .filter(Outcome::isOk)
          .ifPresent(e -> pods.addAll(scm.podsNamedBy(e.orElseThrow().selectors())));
      pods.forEach(p -> out.addAll(byPod(p)));
    }
    return new ArrayList<>(out);
  }
}
