package org.spireoperator.reconcile;

import java.time.Duration;
import java.util.Collection;
import org.spireoperator.registration.EntryIds;
import org.spireoperator.registration.ParentMode;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodSink;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.SpireClient;

/**
 * The engine, assembled: what the controllers tell ({@link #changed}) and what they read ({@link
 * #outcomes}). It owns the owned-entry index, the subject queue and its write workers ({@link
 * SubjectSync}) and the full pass with its schedule; docs/ARCHITECTURE.md draws the data flow and
 * the concurrency rules. Controllers never wait on it: {@link #changed} only queues.
 */
public final class Registrar implements AutoCloseable {

  /** Sizes and periods of the engine. */
  public record Tuning(int batchSize, int writers, Duration resyncPeriod, RetryBackoff backoff) {}

  private final OwnedEntries owned = new OwnedEntries();
  private final SubjectQueue queue = new SubjectQueue();
  private final SubjectOutcomes outcomes = new SubjectOutcomes();
  private final NodeOverlap overlap = new NodeOverlap();
  private final DesiredState desiredState;
  private final SubjectSync sync;
  private final PassScheduler passes;
  private final FullPass pass;
  private final PassScheduler.AgentFollower follower;
  private final Affected affected;
  private final EmptyServerStart early;

  public Registrar(
      RegistrationSettings settings,
      EntryIds ids,
      DesiredState desiredState,
      ClusterView cluster,
      SpireClient spire,
      AgentDirectory agents,
      Diagnostics diagnostics,
      EngineEvents events,
      Tuning tuning,
      CacheSync caches,
      Runnable afterPass) {
    boolean agentMode = settings.parentMode() == ParentMode.AGENT;
    this.desiredState = desiredState;
    Ownership ownership = Ownership.of(settings, ids, desiredState.nodeEntries(), cluster);
    boolean mirrors = settings.podSink() == PodSink.SPIFFEID_MIRROR;
    this.sync =
        new SubjectSync(
            queue,
            desiredState,
            owned,
            new EntryWriter(spire, tuning.batchSize()),
            ownership,
            outcomes,
            s ->
                s instanceof SpiffeIdKey
                    || s instanceof org.spireoperator.registration.WorkloadKey
                    || s instanceof org.spireoperator.registration.StaticEntryKey
                    || (mirrors && s instanceof PodKey),
            diagnostics,
            events,
            tuning.backoff(),
            overlap,
            spire::isReachable,
            spire::getEntry,
            tuning.batchSize(),
            tuning.writers());
    this.pass =
        new FullPass(
            settings,
            cluster,
            desiredState,
            ownership,
            owned,
            queue,
            spire,
            agents,
            overlap,
            diagnostics,
            events);
    this.early =
        EmptyServerStart.applies(settings, ownership)
            ? new EmptyServerStart(
                ownership,
                desiredState.nodeEntries().server(),
                cluster,
                spire,
                owned,
                queue,
                caches)
            : null;
    this.passes =
        new PassScheduler(
            pass,
            tuning.resyncPeriod(),
            caches::synced,
            afterPass,
            agentMode ? PassScheduler.following(agents, cluster, queue, owned) : null,
            early);
    this.follower = PassScheduler.following(agents, cluster, queue, owned);
    this.affected = new Affected(cluster, owned, desiredState.scm());
  }

  /** Queues a subject whose object changed (or may have); returns at once. */
  public void changed(Subject subject) {
    queue.add(subject);
  }

  public void changed(Collection<? extends Subject> subjects) {
    queue.addAll(subjects);
  }

  /** A pod changed: its own entry and what each ClusterSPIFFEID makes of it. */
  public void podChanged(PodKey pod) {
    queue.addAll(affected.byPod(pod));
  }

  /**
   * The Pod informer stored a pod while it lists for the first time: queued at once if the start
   * did not wait for every pod ({@link EmptyServerStart}); otherwise its controller tells once the
   * informers synced. Returns at once.
   */
  public void podListed(PodKey pod) {
    if (early != null) {
      early.podListed(pod);
    }
  }

  /** A node changed (spire-controller-manager's parents name the node's UID). */
  public void nodeChanged(String node) {
    queue.add(new org.spireoperator.registration.NodeKey(node));
    queue.addAll(affected.byNode(node));
  }

  /** A ClusterSPIFFEID changed: the pods its old and new selectors reach. */
  public void clusterSpiffeIdChanged(String name) {
    queue.addAll(affected.byClusterSpiffeId(name));
  }

  /** A ClusterStaticEntry changed. */
  public void staticEntryChanged(String name) {
    queue.addAll(affected.byStaticEntry(name));
  }

  /** A namespace's labels changed (namespaceSelector). */
  public void namespaceChanged(String namespace) {
    queue.addAll(affected.byNamespace(namespace));
  }

  /** The last outcome of each SpiffeID (and, in crd mode, each mirrored pod). */
  public SubjectOutcomes outcomes() {
    return outcomes;
  }

  public DesiredState desiredState() {
    return desiredState;
  }

  /** True once the first full pass has loaded the owned entries. */
  public boolean isLoaded() {
    return owned.isLoaded();
  }

  public OwnedEntries owned() {
    return owned;
  }

  public SubjectQueue queue() {
    return queue;
  }

  public PassScheduler passes() {
    return passes;
  }

  public NodeOverlap overlap() {
    return overlap;
  }

  /** Runs a full pass now, on the caller's thread; its writes follow on the workers. */
  public PassReport runPass() {
    return pass.run();
  }

  /** Reads the agent list now and queues the pods of nodes whose agent changed. */
  public void followAgents() {
    follower.follow();
  }

  /** Starts writing: runs the full pass now and on schedule, then the workers. */
  public void resume() {
    passes.start();
  }

  /**
   * Stops writing (leadership lost): no more passes, no subject handed out; the index counts as
   * stale until the next first pass reloads it.
   */
  public void suspend() {
    passes.stop();
    queue.pause();
    owned.markStale();
  }

  @Override
  public void close() {
    passes.close();
    sync.close();
  }
}
