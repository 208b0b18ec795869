package org.spireoperator.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.EntryIds;
import org.spireoperator.registration.NodeEntries;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.PodView;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.registration.StaticEntryKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.registration.Takeover;
import org.spireoperator.registration.WorkloadKey;
import org.spireoperator.scm.crd.ClusterStaticEntry;
import org.spireoperator.scm.entries.ClusterSpiffeIdRule;
import org.spireoperator.scm.entries.ScmIntegration;
import org.spireoperator.scm.entries.ScmNamespace;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.InvalidSpiffeIdException;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.tenancy.TenantConfinement;

/**
 * The subjects the cluster has now (every Node, every Pod when pods are registered, every SpiffeID)
 * and the marked entry ID of each, read from the cluster view: what a full pass and {@code plan}
 * compare the server with.
 */
final class LiveSubjects {

  private static final java.util.Comparator<SpiffeIdKey> BY_NAME =
      java.util.Comparator.comparing(SpiffeIdKey::namespace).thenComparing(SpiffeIdKey::name);

  private final List<Subject> subjects;
  private final EntryIds ids;
  private final Set<SpiffeId> parents;

  /**
   * Each subject by its marked entry ID, built at the first lookup: a pass that reads none of its
   * entries (an empty server) or that needs only the parents hashes no subject. One thread at a
   * time: the pass's or {@code plan}'s.
   */
  private Map<String, Subject> byEntryId;

  private LiveSubjects(List<Subject> subjects, EntryIds ids, Set<SpiffeId> parents) {
    this.subjects = subjects;
    this.ids = ids;
    this.parents = parents;
  }

  static LiveSubjects of(
      RegistrationSettings settings,
      ClusterView cluster,
      EntryIds ids,
      NodeEntries nodeEntries,
      ScmDecisions scm) {
    List<Subject> subjects = new ArrayList<>();
    Set<SpiffeId> parents = new LinkedHashSet<>();
    boolean nodeParents = !settings.scm().alone();
    for (String node : cluster.nodeNames()) {
      subjects.add(new NodeKey(node));
      if (nodeParents) {
        nodeEntryId(nodeEntries, node, parents);
      }
    }
    if (settings.registersPods()) {
      Set<String> podNodes = new java.util.HashSet<>();
      for (PodView pod : cluster.pods()) {
        subjects.add(pod.key());
        if (pod.isScheduled() && nodeParents && podNodes.add(pod.nodeName())) {
          nodeEntryId(nodeEntries, pod.nodeName(), parents);
        }
      }
    }
    TenantConfinement tenant = settings.tenant();
    parents.addAll(tenant.allowedParents());
    for (SpiffeID s : cluster.spiffeIds()) {
      String namespace = s.getMetadata().getNamespace();
      subjects.add(new SpiffeIdKey(namespace, s.getMetadata().getName()));
      if (!tenant.confines(namespace) && s.getSpec() != null) {
        try {
          parents.add(SpiffeId.parse(s.getSpec().getParentId()));
        } catch (InvalidSpiffeIdException e) {
          // an invalid parent has no children; the SpiffeID's status says why
        }
      }
    }
    if (scm.enabled()) {
      addScm(settings, cluster, scm, subjects, parents);
    }
    return new LiveSubjects(List.copyOf(subjects), ids, parents);
  }

  /**
   * Every (ClusterSPIFFEID, pod) pair the ClusterSPIFFEID's selectors reach (by labels alone, the
   * cheap part), every ClusterStaticEntry; their parents: static entries' parents and, with
   * spire-controller-manager's default parenting, each node's {@code k8s_psat} agent ID.
   */
  private static void addScm(
      RegistrationSettings settings,
      ClusterView cluster,
      ScmDecisions scm,
      List<Subject> subjects,
      Set<SpiffeId> parents) {
    List<ClusterSpiffeIdRule> rules = scm.rules();
    var ignored = settings.scm().settings().ignoredNamespaces();
    Map<String, java.util.Optional<ScmNamespace>> namespaces = new HashMap<>();
    for (PodView pod : rules.isEmpty() ? List.<PodView>of() : cluster.pods()) {
      if (ignored.isIgnored(pod.namespace())) {
        continue;
      }
      var ns = namespaces.computeIfAbsent(pod.namespace(), cluster::namespace);
      for (ClusterSpiffeIdRule rule : rules) {
        if (ns.isPresent()
            && rule.selectsNamespace(ns.get())
            && rule.podSelector().matches(pod.labels())) {
          subjects.add(new WorkloadKey(rule.declarer().name(), pod.namespace(), pod.name()));
        }
      }
    }
    for (ClusterStaticEntry s : cluster.staticEntries()) {
      subjects.add(new StaticEntryKey(s.getMetadata().getName()));
      if (s.getSpec() != null) {
        try {
          parents.add(SpiffeId.parse(s.getSpec().getParentID()));
        } catch (InvalidSpiffeIdException e) {
          // an invalid parent has no children; the object's status says why
        }
      }
    }
    if (settings.scm().parent() == ScmIntegration.Parent.AGENT_BY_NODE_UID && !rules.isEmpty()) {
      parents.addAll(nodeAgents(settings, cluster));
    }
  }

  /**
   * The {@code k8s_psat} agent ID of every node, {@code
   * spiffe://<td>/spire/agent/k8s_psat/<cluster>/<node UID>}: where spire-controller-manager
   * parents its pod entries.
   */
  static Set<SpiffeId> nodeAgents(RegistrationSettings settings, ClusterView cluster) {
    Set<SpiffeId> out = new LinkedHashSet<>();
    for (String node : cluster.nodeNames()) {
      cluster
          .scmNode(node)
          .filter(n -> !n.uid().isEmpty())
          .ifPresent(
              n ->
                  out.add(
                      new SpiffeId(
                          settings.trustDomain(),
                          "/spire/agent/k8s_psat/"
                              + settings.scm().settings().clusterName()
                              + "/"
                              + n.uid())));
    }
    return out;
  }

  private static void nodeEntryId(NodeEntries nodeEntries, String node, Set<SpiffeId> out) {
    try {
      out.add(nodeEntries.idFor(node));
    } catch (InvalidSpiffeIdException e) {
      // a node name that is no path segment has no entry; its reconcile says so
    }
  }

  List<Subject> subjects() {
    return subjects;
  }

  /** The live subject whose marked entry ID this is, or null. */
  Subject withEntryId(String entryId) {
    if (byEntryId == null) {
      Map<String, Subject> index = new HashMap<>(subjects.size() * 2);
      subjects.forEach(s -> index.put(ids.idFor(s), s));
      byEntryId = index;
    }
    return byEntryId.get(entryId);
  }

  /** Parents whose children a pass reads besides the server's: node entries, allowed parents. */
  Set<SpiffeId> parents() {
    return parents;
  }

  /**
   * Groups what a listing read by owner; foreign entries are dropped. Entries taken over from
   * spire-controller-manager go to the live subject that {@link Takeover#claims claims} them, and
   * upstream's SpiffeID entries to the SpiffeID they were written for ({@link
   * Ownership#isUpstreamEntryOf}); both need what live subjects want, {@code desired} and {@code
   * asked} (a SpiffeID's spec, even while it is deleted), asked only then.
   */
  Map<Subject, List<Entry>> classify(
      List<Entry> entries,
      Ownership ownership,
      Function<Subject, Desired> desired,
      Function<SpiffeIdKey, Desired> asked) {
    return classify(entries, ownership, desired, asked, Map.of());
  }

  /**
   * {@link #classify(List, Ownership, Function, Function)}, where each SpiffeID keeps the upstream
   * entries it {@code adopted} before (by their IDs, from the owned-entry index): an adopted entry
   * stays its SpiffeID's while this operator runs, even when a spec change not yet written (a write
   * waiting out an outage) or a status edit makes the rule fail for a moment; and an entry whose
   * SpiffeID vanished (its finalizer stripped) is still deleted.
   */
  Map<Subject, List<Entry>> classify(
      List<Entry> entries,
      Ownership ownership,
      Function<Subject, Desired> desired,
      Function<SpiffeIdKey, Desired> asked,
      Map<SpiffeIdKey, Set<String>> adopted) {
    Map<String, Subject> claims = claims(entries, ownership, desired, asked, adopted);
    Map<Subject, List<Entry>> out = new HashMap<>();
    for (Entry e : entries) {
      ownership
          .ownerOf(e, this::withEntryId, claims::get)
          .ifPresent(owner -> out.computeIfAbsent(owner, k -> new ArrayList<>()).add(e));
    }
    return out;
  }

  /**
   * Which live subject claims each taken-over entry and each upstream SpiffeID entry; empty when
   * there are none.
   */
  Map<String, Subject> claims(
      List<Entry> entries,
      Ownership ownership,
      Function<Subject, Desired> desired,
      Function<SpiffeIdKey, Desired> asked,
      Map<SpiffeIdKey, Set<String>> adopted) {
    Map<String, Subject> out = new HashMap<>(takenOver(entries, ownership, desired));
    out.putAll(upstreamSpiffeIdEntries(entries, ownership, asked, adopted));
    return out;
  }

  /**
   * The SpiffeID each upstream entry belongs to: the one whose status names it, if the rule holds
   * for what its spec asks ({@link Ownership#isUpstreamEntryOf}); so a SpiffeID deleted while the
   * operator was down, held by its finalizer, still has its entry deleted. An entry a SpiffeID
   * {@code adopted} before stays its own. Where two SpiffeIDs (of one namespace: confinement keeps
   * others apart) would adopt the same entry, the first by namespace and name does.
   */
  private Map<String, Subject> upstreamSpiffeIdEntries(
      List<Entry> entries,
      Ownership ownership,
      Function<SpiffeIdKey, Desired> asked,
      Map<SpiffeIdKey, Set<String>> adopted) {
    if (!ownership.adoptsUpstreamSpiffeIds()) {
      return Map.of();
    }
    Map<String, Entry> unmarked = new HashMap<>();
    for (Entry e : entries) {
      if (!ownership.ids().isMarked(e.id()) && !ownership.isTakenOver(e)) {
        unmarked.put(e.id(), e);
      }
    }
    Map<String, Subject> out = new HashMap<>();
    adopted.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(BY_NAME))
        .forEach(
            held ->
                held.getValue().stream()
                    .filter(unmarked::containsKey)
                    .forEach(id -> out.putIfAbsent(id, held.getKey())));
    subjects.stream()
        .filter(SpiffeIdKey.class::isInstance)
        .map(SpiffeIdKey.class::cast)
        .sorted(BY_NAME)
        .forEach(
            key ->
                ownership
                    .statusEntryId(key)
                    .map(unmarked::get)
                    .filter(e -> ownership.isUpstreamEntryOf(key, e, asked.apply(key)))
                    .ifPresent(e -> out.putIfAbsent(e.id(), key)));
    return out;
  }

  /** Which live subject claims each taken-over entry; empty when nothing is taken over. */
  private Map<String, Subject> takenOver(
      List<Entry> entries, Ownership ownership, Function<Subject, Desired> desired) {
    if (entries.stream().noneMatch(ownership::isTakenOver)) {
      return Map.of();
    }
    Map<Subject, Entry> wanted = new HashMap<>();
    for (Subject s : subjects) {
      if (Takeover.mayClaim(s) && desired.apply(s) instanceof Desired.Wanted w) {
        wanted.put(s, w.entry());
      }
    }
    return ownership
        .takeover()
        .claims(entries.stream().filter(ownership::isTakenOver).toList(), wanted);
  }
}
