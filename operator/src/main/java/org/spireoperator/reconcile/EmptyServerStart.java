package org.spireoperator.reconcile;

import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.ParentMode;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodSink;
import org.spireoperator.registration.PodView;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.scm.entries.ScmIntegration;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireException;

/**
 * Starts writing while the Pod informer still lists, when SPIRE holds nothing this operator could
 * own, adopt or take over (a new server, a lost datastore, a first install): then the owned-entry
 * index is known to be empty without waiting for every pod, so the workers may write node entries
 * and the entries of the pods listed so far, and of each pod as its page arrives.
 *
 * <p>Only creates can follow: nothing of ours is on the server, and no orphan is judged before the
 * first full pass, which runs once every informer has listed and queues whatever is left (the
 * entries of spire-controller-manager's resources, SpiffeIDs). What it takes for the index to be
 * known empty, read once at start while the informers list: the whole server in at most {@link
 * #BUDGET} entries, none of them one that this operator marks, that lies under the server or under
 * a node entry or agent of this cluster (where entries upstream's registrar wrote are adopted), or
 * that any other rule could claim (spire-controller-manager's entries taken over, SpiffeIDs' status
 * naming upstream entries). Anything else, or a failed read, and the start waits for every informer
 * as before.
 *
 * <p>Threads: {@link #beforeSync} runs on the pass thread, {@link #close} there or on a leadership
 * change (under this object's lock, as the opening), {@link #podListed} on the API-server client's
 * thread as the Pod informer stores each pod; it only queues.
 */
final class EmptyServerStart {

  private static final Logger log = LoggerFactory.getLogger(EmptyServerStart.class);

  /** Entries, none of them ours, a server may hold for the start not to wait for every pod. */
  static final int BUDGET = 1_000;

  private final Ownership ownership;
  private final SpiffeId server;
  private final ClusterView cluster;
  private final SpireClient spire;
  private final OwnedEntries owned;
  private final SubjectQueue queue;
  private final CacheSync caches;
  private boolean tried;
  private boolean ended;
  private volatile boolean listing;

  EmptyServerStart(
      Ownership ownership,
      SpiffeId server,
      ClusterView cluster,
      SpireClient spire,
      OwnedEntries owned,
      SubjectQueue queue,
      CacheSync caches) {
    this.ownership = ownership;
    this.server = server;
    this.cluster = cluster;
    this.spire = spire;
    this.owned = owned;
    this.queue = queue;
    this.caches = caches;
  }

  /**
   * Whether a start may write before every pod is listed with these settings: pod entries written
   * straight to SPIRE under node entries (agent parenting needs the agent list, crd mode writes
   * SpiffeIDs, spire-controller-manager's parenting and takeover need every pod to judge).
   */
  static boolean applies(RegistrationSettings settings, Ownership ownership) {
    return settings.parentMode() == ParentMode.NODE
        && settings.podSink() == PodSink.ENTRIES
        && !settings.scm().alone()
        && !(settings.scm().enabled()
            && settings.scm().registrarPods() == ScmIntegration.RegistrarPods.OFF)
        && !ownership.takeover().isOn();
  }

  /**
   * Once per process, on the pass thread while the caches sync: as soon as every informer but the
   * Pods' has listed, reads the server and, if nothing there could be ours, opens the queue with
   * every node and every pod listed so far.
   */
  void beforeSync() {
    if (tried || !caches.allButPodsSynced()) {
      return;
    }
    tried = true;
    if (owned.isLoaded() || !owned.all().isEmpty()) {
      return;
    }
    Optional<SpireClient.EntryPages> whole;
    try {
      whole = spire.listAllEntriesUpTo(BUDGET);
    } catch (SpireException e) {
      log.atInfo().log(
          "could not read the SPIRE server early; waiting for every pod: " + e.getMessage());
      return;
    }
    if (whole.isEmpty()) {
      log.atInfo()
          .addKeyValue("budget", BUDGET)
          .log("the SPIRE server holds entries: the first full pass waits for every pod");
      return;
    }
    Optional<Entry> claimable = whole.get().entries().stream().filter(this::mayBeOurs).findFirst();
    if (claimable.isPresent()) {
      log.atInfo()
          .addKeyValue("entryId", claimable.get().id())
          .addKeyValue("parentId", claimable.get().parentId().toString())
          .log(
              "the SPIRE server holds an entry this operator could own or adopt: the first full"
                  + " pass waits for every pod");
      return;
    }
    List<NodeKey> nodes = cluster.nodeNames().stream().map(NodeKey::new).toList();
    synchronized (this) {
      if (ended) {
        return;
      }
      owned.markLoaded();
      queue.open();
      queue.addAll(nodes);
      listing = true;
    }
    List<PodKey> pods = cluster.pods().stream().map(PodView::key).toList();
    queue.addAll(pods);
    log.atInfo()
        .addKeyValue("foreignEntries", whole.get().entries().size())
        .addKeyValue("nodes", nodes.size())
        .addKeyValue("podsListed", pods.size())
        .addKeyValue(
            "sinceProcessStartMs",
            java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime())
        .log(
            "the SPIRE server holds nothing of this operator's: writing node and pod entries while"
                + " the Pod informer still lists");
  }

  /** A pod entered the Pod informer's cache: queued while the first listing goes on. */
  void podListed(PodKey pod) {
    if (listing) {
      queue.add(pod);
    }
  }

  /**
   * The first full pass takes over, or leadership ended: no more pods queued from here, and a read
   * still under way opens nothing (leadership ends by closing this before the queue is paused).
   */
  synchronized void close() {
    ended = true;
    listing = false;
  }

  /**
   * An entry this operator might own or claim, whatever the cluster holds: one it marks, one under
   * the server or under a node entry or agent of this cluster, one a takeover covers, or any entry
   * at all when SpiffeIDs adopt what upstream's registrar wrote (a status may name any).
   */
  private boolean mayBeOurs(Entry e) {
    return ownership.ids().isMarked(e.id())
        || ownership.takeover().covers(e.id())
        || e.parentId().equals(server)
        || ownership.isPodParent(e.parentId())
        || ownership.adoptsUpstreamSpiffeIds();
  }
}
