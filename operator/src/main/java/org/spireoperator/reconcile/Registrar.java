package org.spireoperator.reconcile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.NodeEntries;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.ParentMode;
import org.spireoperator.registration.PodEntries;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodView;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.DeleteOutcome;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryFilter;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.InvalidSpiffeIdException;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireException;

/**
 * Keeps the SPIRE entries this operator owns equal to what the cluster says about Pods and Nodes.
 *
 * <p>Two paths share one desired-state computation ({@link NodeEntries}, {@link PodEntries}) and
 * one diff ({@link EntryDiff}):
 *
 * <ul>
 *   <li>Incremental: a change to one Pod or Node is diffed against the owned-entry index ({@link
 *       OwnedEntries}) and written at once, batched with concurrent changes by the {@link
 *       EntryWriter}: no read, O(1) writes.
 *   <li>Full pass: at start and periodically as a safety net, lists only the entries this operator
 *       may own (children of the server under this cluster's node root, then the children of each
 *       node entry), diffs them against every Pod and Node, writes the difference and rebuilds the
 *       index. Nothing changed means no write.
 * </ul>
 *
 * A failure to read SPIRE aborts the pass before anything is deleted; a transient write failure is
 * thrown to the caller so that the change is retried.
 */
public final class Registrar {

  private static final Logger log = LoggerFactory.getLogger(Registrar.class);
  private static final int STRIPES = 64;

  private final RegistrationSettings settings;
  private final NodeEntries nodeEntries;
  private final ClusterView cluster;
  private final SpireClient spire;
  private final EntryWriter writer;
  private final OwnedEntries owned;

  /** Agent parenting only. */
  private final AgentDirectory agents;

  /**
   * Node parenting only: lists this cluster's agents once, at the first pass (see {@link
   * #listOwned}).
   */
  private final AgentDirectory sweepableAgents;

  private final RegistrarEvents events;
  private final Predicate<String> claimedElsewhere;

  /**
   * Held shared by incremental writes, exclusively by the diff-and-write half of a pass and by
   * batch re-diffs.
   */
  private final ReentrantReadWriteLock passLock = new ReentrantReadWriteLock();

  /**
   * One full pass at a time (its listing runs without {@link #passLock}, beside incremental
   * writes).
   */
  private final ReentrantLock passSerial = new ReentrantLock();

  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  private final CountDownLatch loaded = new CountDownLatch(1);
  private final DesiredState desiredState;
  private final WriteLog writeLog;

  /**
   * @param claimedElsewhere entry IDs that belong to SpiffeID resources and must never be taken for
   *     pod entries
   */
  public Registrar(
      RegistrationSettings settings,
      ClusterView cluster,
      SpireClient spire,
      EntryWriter writer,
      OwnedEntries owned,
      AgentDirectory agents,
      RegistrarEvents events,
      Predicate<String> claimedElsewhere) {
    this.settings = settings;
    this.nodeEntries = new NodeEntries(settings);
    this.cluster = cluster;
    this.spire = spire;
    this.writer = writer;
    this.owned = owned;
    this.agents = settings.parentMode() == ParentMode.AGENT ? agents : null;
    this.sweepableAgents = settings.parentMode() == ParentMode.AGENT ? null : agents;
    this.desiredState = new DesiredState(settings, cluster, this.agents, events);
    this.writeLog = new WriteLog(events);
    this.events = events;
    this.claimedElsewhere = claimedElsewhere;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  public NodeEntries nodeEntries() {
    return nodeEntries;
  }

  /** The desired-state computation this registrar uses. */
  public DesiredState desiredState() {
    return desiredState;
  }

  public OwnedEntries owned() {
    return owned;
  }

  /** Nodes whose entries share their selector set with another node's. */
  public int indistinguishableNodeCount() {
    return desiredState.indistinguishableNodeCount();
  }

  /** True once the first full pass has loaded the owned entries. */
  public boolean isLoaded() {
    return loaded.getCount() == 0;
  }

  // ---------------------------------------------------------------- incremental path

  /** Brings one pod's entries in line with the pod (or its absence). */
  public void reconcilePod(PodKey key) {
    reconcileSubject(key);
  }

  /** Brings one node's entry in line with the node (or its absence). */
  public void reconcileNode(NodeKey key) {
    reconcileSubject(key);
  }

  private void reconcileSubject(Subject subject) {
    if (subject instanceof PodKey && !registersPods()) {
      return;
    }
    awaitLoaded();
    passLock.readLock().lock();
    ReentrantLock stripe = stripes[Math.floorMod(subject.hashCode(), STRIPES)];
    stripe.lock();
    try {
      Desired desired = desiredState.forSubject(subject);
      List<Entry> current = owned.get(subject);
      EntryDiff diff = EntryDiff.forSubject(desired, current);
      report(subject, desired);
      if (diff.isEmpty()) {
        return;
      }
      Applied applied = writer.apply(diff);
      owned.put(subject, applied.applyTo(current));
      writeLog.report(subject, applied);
      SpireException retry = applied.transientFailure();
      if (retry != null) {
        throw retry;
      }
    } finally {
      stripe.unlock();
      passLock.readLock().unlock();
    }
  }

  /** Re-diffs a set of subjects together, in one batch (used when a node's agent changes). */
  public void reconcileSubjects(Collection<? extends Subject> subjects) {
    awaitLoaded();
    passLock.writeLock().lock();
    try {
      Map<Subject, Desired> desired = new HashMap<>();
      Map<Subject, List<Entry>> current = new HashMap<>();
      for (Subject s : subjects) {
        desired.put(s, desiredState.forSubject(s));
        current.put(s, owned.get(s));
      }
      applyAll(desired, current).after().forEach(owned::put);
    } finally {
      passLock.writeLock().unlock();
    }
  }

  /**
   * Re-reads the agent list (agent parenting only) and re-parents, in one batch, the entries of
   * every node whose agent changed ({@code k8s_sat} issues a new agent ID at each attestation).
   */
  public void followAgents() {
    if (agents == null || !isLoaded()) {
      return;
    }
    Set<String> changed = agents.refresh();
    if (changed.isEmpty()) {
      return;
    }
    List<Subject> subjects = new ArrayList<>();
    for (String node : changed) {
      cluster.podsOn(node).forEach(p -> subjects.add(p.key()));
      log.atInfo()
          .addKeyValue("node", node)
          .addKeyValue("agentId", agents.agentFor(node).map(Object::toString).orElse(""))
          .log("agent on node changed: re-parenting its pod entries");
    }
    reconcileSubjects(subjects);
  }

  private void awaitLoaded() {
    try {
      if (!loaded.await(10, TimeUnit.MINUTES)) {
        throw new SpireException(
            "Registrar",
            io.grpc.Status.Code.UNAVAILABLE,
            "",
            "the first full pass has not completed",
            null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SpireException("Registrar", io.grpc.Status.Code.CANCELLED, "", "interrupted", e);
    }
  }

  private void report(Subject subject, Desired desired) {
    if (desired instanceof Desired.Rejected r) {
      log.atWarn()
          .addKeyValue(kind(subject), subject.toString())
          .addKeyValue("reason", r.reason())
          .log("rejected: no entry written");
      events.rejected(subject, r.reason());
    }
  }

  // ---------------------------------------------------------------- full pass

  /** Lists what this operator owns, diffs it against the whole cluster, writes the difference. */
  public PassReport fullPass() {
    long start = System.nanoTime();
    passSerial.lock();
    try {
      if (agents != null) {
        agents.refresh();
      }
      long since = owned.stamp();
      Listing listing = listOwned();
      passLock.writeLock().lock();
      try {
        return diffAndWrite(listing, since, start);
      } finally {
        passLock.writeLock().unlock();
      }
    } finally {
      passSerial.unlock();
    }
  }

  /**
   * The pass's second half, with incremental writes held off: subjects written while the listing
   * ran keep what the index says (the listing may predate those writes), every other subject is
   * diffed against the listing.
   */
  private PassReport diffAndWrite(Listing listing, long since, long start) {
    Map<Subject, List<Entry>> current = new HashMap<>(listing.entries());
    Set<Subject> touched = owned.touchedSince(since);
    for (Subject s : touched) {
      current.put(s, owned.get(s));
    }
    Map<Subject, Desired> desired = new HashMap<>();
    for (String node : cluster.nodeNames()) {
      NodeKey key = new NodeKey(node);
      desired.put(key, desiredState.forSubject(key));
    }
    if (registersPods()) {
      for (PodView pod : cluster.pods()) {
        desired.put(pod.key(), desiredState.forPod(pod));
      }
    }
    for (Map.Entry<Subject, Desired> e : desired.entrySet()) {
      report(e.getKey(), e.getValue());
    }
    Written written = applyAll(desired, current);
    owned.replaceAll(written.after());
    loaded.countDown();
    int wanted = (int) desired.values().stream().filter(d -> d instanceof Desired.Wanted).count();
    PassReport report =
        new PassReport(
            listing.count(),
            wanted,
            written.created(),
            written.updated(),
            written.deleted(),
            written.failed(),
            listing.calls(),
            Duration.ofNanos(System.nanoTime() - start));
    log.atInfo()
        .addKeyValue("owned", report.ownedBefore())
        .addKeyValue("desired", report.desired())
        .addKeyValue("created", report.created())
        .addKeyValue("updated", report.updated())
        .addKeyValue("deleted", report.deleted())
        .addKeyValue("failed", report.failed())
        .addKeyValue("listCalls", report.listCalls())
        .addKeyValue("writtenMeanwhile", touched.size())
        .addKeyValue("tookMs", report.took().toMillis())
        .log("full pass done");
    events.passCompleted(report);
    return report;
  }

  /** The writes a full pass would make now, without making them. */
  public EntryDiff plan() {
    passLock.writeLock().lock();
    try {
      if (agents != null) {
        agents.refresh();
      }
      Listing listing = listOwned();
      Map<Subject, Desired> desired = new HashMap<>();
      cluster
          .nodeNames()
          .forEach(n -> desired.put(new NodeKey(n), desiredState.forSubject(new NodeKey(n))));
      if (registersPods()) {
        cluster.pods().forEach(p -> desired.put(p.key(), desiredState.forPod(p)));
      }
      return EntryDiff.compute(desired, listing.entries());
    } finally {
      passLock.writeLock().unlock();
    }
  }

  private record Written(
      Map<Subject, List<Entry>> after, int created, int updated, int deleted, int failed) {}

  /** Explains one pod's registration, reading only that pod's entries from SPIRE. */
  public Explanation explain(PodKey key) {
    if (agents != null) {
      agents.refresh();
    }
    Desired desired = desiredState.forSubject(key);
    List<Entry> current = new ArrayList<>();
    Set<org.spireoperator.spire.Selector> podSelectors =
        Set.of(
            org.spireoperator.spire.Selector.k8s("ns", key.namespace()),
            org.spireoperator.spire.Selector.k8s("pod-name", key.name()));
    for (Entry e :
        spire.listEntries(EntryFilter.bySelectors(podSelectors, EntryFilter.Match.SUPERSET))) {
      if (PodEntries.ownerOf(e, this::isOurParent).filter(key::equals).isPresent()
          && !claimedElsewhere.test(e.id())) {
        current.add(e);
      }
    }
    String receivedBy = "nobody";
    if (desired instanceof Desired.Wanted w) {
      SpiffeId parent = w.entry().parentId();
      receivedBy =
          nodeEntries
              .nodeNameOf(parent)
              .map(
                  node ->
                      "the agent(s) matching node entry "
                          + parent
                          + " of node "
                          + node
                          + cluster
                              .agentOn(node)
                              .map(
                                  a ->
                                      " (agent pod service account "
                                          + a.namespace()
                                          + "/"
                                          + a.serviceAccount()
                                          + ")")
                              .orElse(""))
              .orElse("agent " + parent);
    }
    return new Explanation(
        key, desired, current, EntryDiff.forSubject(desired, current), receivedBy);
  }

  /** Diffs, writes in one batch; returns every subject's entries afterwards and the counts. */
  private Written applyAll(Map<Subject, Desired> desired, Map<Subject, List<Entry>> current) {
    Set<Subject> subjects = new LinkedHashSet<>(desired.keySet());
    subjects.addAll(current.keySet());
    List<Subject> createdFor = new ArrayList<>();
    List<Subject> updatedFor = new ArrayList<>();
    List<Subject> deletedFor = new ArrayList<>();
    List<Entry> creates = new ArrayList<>();
    List<Entry> updates = new ArrayList<>();
    List<Entry> deletes = new ArrayList<>();
    Map<Subject, List<Entry>> after = new HashMap<>();
    for (Subject s : subjects) {
      List<Entry> cur = current.getOrDefault(s, List.of());
      after.put(s, cur);
      EntryDiff d =
          EntryDiff.forSubject(
              desired.getOrDefault(s, new Desired.Unwanted("object is gone")), cur);
      d.creates()
          .forEach(
              e -> {
                creates.add(e);
                createdFor.add(s);
              });
      d.updates()
          .forEach(
              e -> {
                updates.add(e);
                updatedFor.add(s);
              });
      d.deletes()
          .forEach(
              e -> {
                deletes.add(e);
                deletedFor.add(s);
              });
    }
    Applied applied = writer.apply(new EntryDiff(creates, updates, deletes));
    Map<Subject, List<EntryOutcome>> c = new HashMap<>();
    Map<Subject, List<EntryOutcome>> u = new HashMap<>();
    Map<Subject, List<DeleteOutcome>> del = new HashMap<>();
    for (int i = 0; i < applied.created().size(); i++) {
      c.computeIfAbsent(createdFor.get(i), k -> new ArrayList<>()).add(applied.created().get(i));
    }
    for (int i = 0; i < applied.updated().size(); i++) {
      u.computeIfAbsent(updatedFor.get(i), k -> new ArrayList<>()).add(applied.updated().get(i));
    }
    for (int i = 0; i < applied.deleted().size(); i++) {
      del.computeIfAbsent(deletedFor.get(i), k -> new ArrayList<>()).add(applied.deleted().get(i));
    }
    int failed = 0;
    Set<Subject> touched = new LinkedHashSet<>(c.keySet());
    touched.addAll(u.keySet());
    touched.addAll(del.keySet());
    for (Subject s : touched) {
      Applied forSubject =
          new Applied(
              c.getOrDefault(s, List.of()),
              u.getOrDefault(s, List.of()),
              del.getOrDefault(s, List.of()));
      after.put(s, forSubject.applyTo(after.get(s)));
      failed += writeLog.report(s, forSubject);
    }
    return new Written(
        after,
        (int) applied.created().stream().filter(EntryOutcome::succeeded).count(),
        (int) applied.updated().stream().filter(EntryOutcome::succeeded).count(),
        (int) applied.deleted().stream().filter(DeleteOutcome::deleted).count(),
        failed);
  }

  private record Listing(Map<Subject, List<Entry>> entries, int count, int calls) {}

  /**
   * Reads only what this operator may own: the server's children under this cluster's node root,
   * then the children of every node entry (existing or wanted) and, in agent mode, of every agent
   * of this cluster.
   */
  private Listing listOwned() {
    Map<Subject, List<Entry>> entries = new HashMap<>();
    int calls = 1;
    int count = 0;
    Set<SpiffeId> parents = new LinkedHashSet<>();
    for (Entry e : spire.listEntries(EntryFilter.byParent(nodeEntries.server()))) {
      Optional<NodeKey> node = nodeEntries.ownerOf(e);
      if (node.isPresent() && !claimedElsewhere.test(e.id())) {
        entries.computeIfAbsent(node.get(), k -> new ArrayList<>()).add(e);
        parents.add(e.spiffeId());
        count++;
      }
    }
    if (!registersPods()) {
      return new Listing(entries, count, calls);
    }
    for (String node : cluster.nodeNames()) {
      try {
        parents.add(nodeEntries.idFor(node));
      } catch (InvalidSpiffeIdException e) {
        // a node name that is no path segment has no entry; reported by its node reconcile
      }
    }
    for (PodView pod : cluster.pods()) {
      if (pod.isScheduled()) {
        try {
          parents.add(nodeEntries.idFor(pod.nodeName()));
        } catch (InvalidSpiffeIdException e) {
          // reported by the pod's reconcile
        }
      }
    }
    boolean sweep = agents == null && sweepableAgents != null && !isLoaded();
    if (agents != null) {
      parents.addAll(agents.placedAgents());
    } else if (sweep) {
      // Entries parented to this cluster's agents are left from parent_mode "agent"; read them
      // once, at start, so
      // that the switch to node parenting moves them under the node entries instead of leaving them
      // behind.
      List<SpiffeId> clusterAgents = clusterAgentsOrNone();
      parents.addAll(clusterAgents);
      if (!clusterAgents.isEmpty()) {
        log.atInfo()
            .addKeyValue("agents", clusterAgents.size())
            .log(
                "first pass also reads the children of this cluster's agents (left from parent_mode agent)");
      }
    }
    Predicate<SpiffeId> isOurParent =
        sweep ? p -> isOurParent(p) || sweepableAgents.isClusterAgent(p) : this::isOurParent;
    for (SpiffeId parent : parents) {
      calls++;
      for (Entry e : spire.listEntries(EntryFilter.byParent(parent))) {
        Optional<PodKey> pod = PodEntries.ownerOf(e, isOurParent);
        if (pod.isPresent() && !claimedElsewhere.test(e.id())) {
          entries.computeIfAbsent(pod.get(), k -> new ArrayList<>()).add(e);
          count++;
        }
      }
    }
    return new Listing(entries, count, calls);
  }

  private List<SpiffeId> clusterAgentsOrNone() {
    try {
      return sweepableAgents.allClusterAgents();
    } catch (SpireException e) {
      log.atWarn()
          .addKeyValue("code", e.code())
          .addKeyValue("reason", e.getMessage())
          .log(
              "cannot list this cluster's agents: entries left under them by parent_mode agent stay until a restart");
      return List.of();
    }
  }

  /** False in crd mode, where SpiffeID resources own the pod entries. */
  private boolean registersPods() {
    return settings.podSink() == org.spireoperator.registration.PodSink.ENTRIES;
  }

  private boolean isOurParent(SpiffeId parent) {
    return nodeEntries.nodeNameOf(parent).isPresent()
        || (agents != null && agents.isClusterAgent(parent));
  }

  private static String kind(Subject subject) {
    return subject instanceof PodKey ? "pod" : "node";
  }
}
