package org.spireoperator.reconcile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.registration.Decision;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.Diagnostic;
import org.spireoperator.registration.NodeEntries;
import org.spireoperator.registration.ParentMode;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.SpiffeId;

/**
 * The safety net: at start and every resync period, reads what this operator may own ({@link
 * OwnedListing}), takes it into the owned-entry index for every subject no worker wrote since the
 * listing began, and queues every subject whose entries differ from what it wants (orphans
 * included). It writes nothing itself: the {@link SubjectSync} workers do, in batches. A failed
 * read throws before anything changes, so a transient error never deletes an entry.
 *
 * <p>The first successful pass loads the index and opens the {@link SubjectQueue}; until then no
 * subject is judged (no decision from a cold index). Once the index is loaded, the pass hands what
 * it finds to the queue a batch at a time, so the workers write while it still decides. One pass
 * runs at a time.
 */
public final class FullPass {

  private static final Logger log = LoggerFactory.getLogger(FullPass.class);

  /**
   * Subjects handed to the queue at a time while the pass decides: a write batch's worth, so that
   * the workers start writing (in full batches) before the pass has decided every subject.
   */
  static final int QUEUE_CHUNK = 50;

  /** Entries besides twice this cluster's share that a server read whole may hold. */
  static final int WHOLE_SERVER_SLACK = 1_000;

  private final RegistrationSettings settings;
  private final ClusterView cluster;
  private final DesiredState desiredState;
  private final Ownership ownership;
  private final OwnedEntries owned;
  private final SubjectQueue queue;
  private final OwnedListing listing;
  private final AgentDirectory agents;
  private final NodeOverlap overlap;
  private final Diagnostics diagnostics;
  private final EngineEvents events;
  private final NodeEntries nodeEntries;

  public FullPass(
      RegistrationSettings settings,
      ClusterView cluster,
      DesiredState desiredState,
      Ownership ownership,
      OwnedEntries owned,
      SubjectQueue queue,
      org.spireoperator.spire.SpireClient spire,
      AgentDirectory agents,
      NodeOverlap overlap,
      Diagnostics diagnostics,
      EngineEvents events) {
    this.settings = settings;
    this.cluster = cluster;
    this.desiredState = desiredState;
    this.ownership = ownership;
    this.owned = owned;
    this.queue = queue;
    this.listing = new OwnedListing(spire);
    this.agents = agents;
    this.overlap = overlap;
    this.diagnostics = diagnostics;
    this.events = events;
    this.nodeEntries = desiredState.nodeEntries();
  }

  /** Runs one pass; throws {@link org.spireoperator.spire.SpireException} if a read failed. */
  public synchronized PassReport run() {
    long start = System.nanoTime();
    boolean agentMode = settings.parentMode() == ParentMode.AGENT;
    if (agentMode) {
      agents.refresh();
    }
    long since = owned.stamp();
    LiveSubjects liveBefore =
        LiveSubjects.of(settings, cluster, ownership.ids(), nodeEntries, desiredState.scm());
    Set<SpiffeId> parents = new LinkedHashSet<>(liveBefore.parents());
    if (agentMode) {
      parents.addAll(agents.placedAgents());
    } else if (!owned.isLoaded()) {
      // Entries parented to this cluster's agents are left from parent_mode "agent": read them
      // once,
      // at start, so that the switch to node parenting moves them instead of leaving them behind.
      parents.addAll(OwnedListing.agentsOrNone(agents));
    }
    // Every parent the indexed entries have, so that an entry is never forgotten (and so left
    // behind) because nothing wants its parent any more, e.g. once the last ClusterSPIFFEID is
    // deleted, while its entries under the nodes' agents are still to be deleted.
    owned.all().forEach(e -> parents.add(e.parentId()));
    if (ownership.takeover().isOn() && !owned.isLoaded()) {
      // spire-controller-manager's pod entries lie under each node's k8s_psat agent ID, read
      // anyway with its parenting; with ours (node_entry) once, at start, to take them over.
      parents.addAll(LiveSubjects.nodeAgents(settings, cluster));
    }
    long readStart = System.nanoTime();
    OwnedListing.Read read =
        listing.read(
            nodeEntries.server(),
            e -> !settings.scm().alone() && nodeEntries.ownerOf(e).isPresent(),
            parents,
            wholeServerBudget(liveBefore.subjects().size()),
            owned.isLoaded() ? serverChildren() : null);
    long readMs = (System.nanoTime() - readStart) / 1_000_000;
    // The objects that exist now, after the listing: an entry written during the listing for an
    // object created during it belongs to that object, not to an orphan.
    LiveSubjects live =
        LiveSubjects.of(settings, cluster, ownership.ids(), nodeEntries, desiredState.scm());
    List<Entry> readBeforeWrites =
        read.entries().stream().filter(e -> !owned.writtenSince(e.id(), since)).toList();
    // One decision per subject and pass: taking entries over needs what the live subjects want
    // before the listing is classified, and the same decisions are diffed below.
    Map<Subject, Decision> decisions = new HashMap<>();
    Function<Subject, Decision> decide = s -> decisions.computeIfAbsent(s, desiredState::decide);
    Map<Subject, List<Entry>> listed =
        live.classify(
            readBeforeWrites,
            ownership,
            s -> decide.apply(s).desired(),
            desiredState::askedBy,
            adoptedUpstreamEntries());

    if (!owned.isLoaded()) {
      logTakeover(listed);
    }
    logUpstreamSpiffeIdEntries(live, readBeforeWrites, listed);

    Set<Subject> known = new LinkedHashSet<>(listed.keySet());
    known.addAll(owned.subjects());
    queue.forEachIdle(known, s -> owned.mergeListed(s, listed.getOrDefault(s, List.of()), since));
    owned.forgetStampsUpTo(since);
    boolean first = !owned.isLoaded();
    owned.markLoaded();
    if (first) {
      // The index is loaded: the workers may judge subjects from now on, and write while this pass
      // still decides the rest.
      queue.open();
    }

    Set<Subject> subjects = new LinkedHashSet<>(live.subjects());
    subjects.addAll(owned.subjects());
    List<Subject> toQueue = new ArrayList<>();
    int queued = 0;
    int wanted = 0;
    for (Subject s : subjects) {
      Decision decision = decide.apply(s);
      decision.diagnostics().forEach(diagnostics::report);
      if (decision.desired() instanceof Desired.Rejected r) {
        diagnostics.report(new Diagnostic(s, r.condition(), r.reason()));
      }
      overlap.observe(s, decision.desired()).forEach(diagnostics::report);
      if (decision.desired() instanceof Desired.Wanted) {
        wanted++;
      }
      if (!EntryDiff.forSubject(decision.desired(), owned.get(s), ownership.ids().idFor(s))
          .isEmpty()) {
        toQueue.add(s);
        if (toQueue.size() == QUEUE_CHUNK) {
          queued += handOver(toQueue);
        }
      }
    }
    queued += handOver(toQueue);
    PassReport report =
        new PassReport(
            owned.all().size(),
            wanted,
            queued,
            read.calls(),
            Duration.ofNanos(System.nanoTime() - start));
    log.atInfo()
        .addKeyValue("owned", report.owned())
        .addKeyValue("desired", report.desired())
        .addKeyValue("queued", report.queued())
        .addKeyValue("listCalls", report.listCalls())
        .addKeyValue("readMs", readMs)
        .addKeyValue("tookMs", report.took().toMillis())
        .log(first ? "first full pass done: writing from now on" : "full pass done");
    events.passCompleted(report);
    return report;
  }

  /**
   * How many entries the server may hold for a pass to read it whole rather than by parent: twice
   * this cluster's share (entries indexed or subjects live, whichever is more) and a page's worth.
   */
  private int wholeServerBudget(int liveSubjects) {
    return 2 * Math.max(owned.all().size(), liveSubjects) + WHOLE_SERVER_SLACK;
  }

  /**
   * The server's children a pass reads once the index is loaded: this cluster's node entries by
   * their cluster selector, and what the index holds under the server by SPIFFE ID.
   */
  private OwnedListing.ServerChildren serverChildren() {
    Map<String, SpiffeId> indexed = new java.util.LinkedHashMap<>();
    for (Entry e : owned.all()) {
      if (e.parentId().equals(nodeEntries.server())) {
        indexed.put(e.id(), e.spiffeId());
      }
    }
    return new OwnedListing.ServerChildren(
        settings.scm().alone() ? null : nodeEntries.clusterSelector(), indexed);
  }

  /** Queues what the pass found so far, so that the workers write it now; returns how many. */
  private int handOver(List<Subject> toQueue) {
    int n = toQueue.size();
    queue.addAll(toQueue);
    toQueue.clear();
    return n;
  }

  /** The upstream entries each SpiffeID holds in the index, by ID (adopted before). */
  private Map<SpiffeIdKey, Set<String>> adoptedUpstreamEntries() {
    if (!ownership.adoptsUpstreamSpiffeIds()) {
      return Map.of();
    }
    Map<SpiffeIdKey, Set<String>> out = new HashMap<>();
    for (Subject s : owned.subjects()) {
      if (s instanceof SpiffeIdKey key) {
        Set<String> ids = new LinkedHashSet<>();
        owned.get(key).stream()
            .filter(e -> ownership.isClaimed(key, e))
            .forEach(e -> ids.add(e.id()));
        if (!ids.isEmpty()) {
          out.put(key, Set.copyOf(ids));
        }
      }
    }
    return out;
  }

  /**
   * One line for each entry of upstream's registrar a SpiffeID's status names: adopted (when it is
   * not in the index yet: at start, or once the SpiffeID's spec came to fit it), or left alone and
   * why (until the SpiffeID's status, cleared by its controller, names it no more).
   */
  private void logUpstreamSpiffeIdEntries(
      LiveSubjects live, List<Entry> read, Map<Subject, List<Entry>> listed) {
    if (!ownership.adoptsUpstreamSpiffeIds()) {
      return;
    }
    Map<String, Entry> byId = new HashMap<>();
    read.forEach(e -> byId.put(e.id(), e));
    for (Subject s : live.subjects()) {
      if (!(s instanceof SpiffeIdKey key)) {
        continue;
      }
      Entry named = ownership.statusEntryId(key).map(byId::get).orElse(null);
      if (named == null) {
        continue;
      }
      boolean adopted =
          ownership.isClaimed(key, named) && listed.getOrDefault(key, List.of()).contains(named);
      if (adopted && owned.get(key).stream().noneMatch(o -> o.id().equals(named.id()))) {
        log.atInfo()
            .addKeyValue(key.kind(), key.toString())
            .addKeyValue("entryId", named.id())
            .addKeyValue("spiffeId", named.spiffeId().toString())
            .log(
                "adopted the entry upstream's registrar wrote for this SpiffeID: its status names"
                    + " it and it grants no more than the SpiffeID asks for");
      } else if (!adopted) {
        ownership
            .upstreamRefusal(key, named, desiredState.askedBy(key))
            .ifPresent(
                why ->
                    log.atWarn()
                        .addKeyValue(key.kind(), key.toString())
                        .addKeyValue("entryId", named.id())
                        .addKeyValue("spiffeId", named.spiffeId().toString())
                        .addKeyValue("reason", why)
                        .log(
                            "status.entryId names an entry this SpiffeID may not adopt from"
                                + " upstream's registrar; left alone"));
      }
    }
  }

  /**
   * Says how many of spire-controller-manager's entries the first pass found, and whose they are.
   */
  private void logTakeover(Map<Subject, List<Entry>> listed) {
    int claimed = 0;
    int unwanted = 0;
    for (var e : listed.entrySet()) {
      long n = e.getValue().stream().filter(ownership::isTakenOver).count();
      if (e.getKey() instanceof org.spireoperator.registration.OrphanKey) {
        unwanted += (int) n;
      } else {
        claimed += (int) n;
      }
    }
    if (claimed + unwanted > 0) {
      log.atInfo()
          .addKeyValue("prefix", ownership.takeover().prefix())
          .addKeyValue("wanted", claimed)
          .addKeyValue("unwanted", unwanted)
          .log(
              "spire-controller-manager's entries: the wanted ones are kept (updated in place where"
                  + " they differ), the unwanted ones deleted");
    }
  }
}
