package org.spireoperator.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.registration.Subject;

/**
 * Runs the full pass while this replica leads: once at once, then every period. A failed pass
 * (SPIRE unreachable...) changes nothing and is retried with backoff instead of waiting a whole
 * period; the pass is the only owner of that retry. With agent parenting it also follows the agent
 * list between passes and queues the pods of every node whose agent changed.
 */
public final class PassScheduler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PassScheduler.class);
  private static final Duration NOT_SYNCED_RETRY = Duration.ofMillis(100);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final FullPass pass;
  private final Duration period;
  private final BooleanSupplier ready;
  private final Runnable afterPass;
  private final AgentFollower follower;
  private final EmptyServerStart early;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "spire-full-pass");
            t.setDaemon(true);
            return t;
          });
  private ScheduledFuture<?> next;
  private ScheduledFuture<?> following;
  private long generation;
  private int failures;
  private boolean waitingForCaches;
  private volatile Instant passStartedAt;

  /** Re-reads the agent list and queues the subjects whose parent changed. */
  public interface AgentFollower {
    void follow();
  }

  /**
   * @param ready true once the informer caches are synced (no pass from a cold cache)
   * @param afterPass runs after each successful pass (e.g. the crd-mode mirror's own pass)
   * @param follower null unless pod entries are parented to agents
   */
  public PassScheduler(
      FullPass pass,
      Duration period,
      BooleanSupplier ready,
      Runnable afterPass,
      AgentFollower follower) {
    this(pass, period, ready, afterPass, follower, null);
  }

  /**
   * @param early null unless the engine may start writing while the Pod informer lists
   */
  PassScheduler(
      FullPass pass,
      Duration period,
      BooleanSupplier ready,
      Runnable afterPass,
      AgentFollower follower,
      EmptyServerStart early) {
    this.pass = pass;
    this.period = period;
    this.ready = ready;
    this.afterPass = afterPass;
    this.follower = follower;
    this.early = early;
  }

  /** Starts passing (this replica became leader, or at start without leader election). */
  public synchronized void start() {
    if (next == null) {
      long mine = ++generation;
      next = executor.schedule(() -> run(mine), 0, TimeUnit.MILLISECONDS);
      if (follower != null) {
        long ms = Math.max(1000, Math.min(period.toMillis(), 15_000));
        following = executor.scheduleWithFixedDelay(this::follow, ms, ms, TimeUnit.MILLISECONDS);
      }
    }
  }

  private void follow() {
    try {
      follower.follow();
    } catch (RuntimeException e) {
      log.atWarn().setCause(e).log("could not follow the agent list: " + e.getMessage());
    }
  }

  /** Stops passing (leadership lost). */
  public synchronized void stop() {
    generation++;
    if (early != null) {
      early.close();
    }
    if (next != null) {
      next.cancel(false);
      next = null;
    }
    if (following != null) {
      following.cancel(false);
      following = null;
    }
  }

  /** How long the running pass has been going, or zero when none runs (for liveness). */
  public Duration running() {
    Instant at = passStartedAt;
    return at == null ? Duration.ZERO : Duration.between(at, Instant.now());
  }

  /**
   * One pass of the loop started as {@code mine}; a stop (and a later start) while it runs makes it
   * the last of its loop, so a stop/start never leaves two loops passing.
   */
  private void run(long mine) {
    Duration delay = nextDelay();
    synchronized (this) {
      if (next != null && generation == mine) {
        next = executor.schedule(() -> run(mine), delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private Duration nextDelay() {
    if (!ready.getAsBoolean()) {
      if (!waitingForCaches) {
        log.atInfo().log("caches not synced yet; full pass waits for them");
        waitingForCaches = true;
      }
      if (early != null) {
        try {
          early.beforeSync();
        } catch (RuntimeException e) {
          early.close();
          log.atWarn()
              .setCause(e)
              .log(
                  "could not start before every pod is listed; waiting for them: "
                      + e.getMessage());
        }
      }
      return NOT_SYNCED_RETRY;
    }
    waitingForCaches = false;
    if (early != null) {
      early.close();
    }
    return runOnce() ? period : retryDelay();
  }

  private boolean runOnce() {
    passStartedAt = Instant.now();
    try {
      pass.run();
      afterPass.run();
      failures = 0;
      return true;
    } catch (RuntimeException e) {
      failures++;
      log.atWarn()
          .addKeyValue("attempt", failures)
          .setCause(e)
          .log("full pass failed; nothing was changed; retrying: " + e.getMessage());
      return false;
    } finally {
      passStartedAt = null;
    }
  }

  /** Doubling from half a second, capped at 30 s (or the period, when it is shorter). */
  private Duration retryDelay() {
    long cap = Math.min(period.toMillis(), MAX_RETRY.toMillis());
    return Duration.ofMillis(Math.min(cap, 500L << Math.min(failures, 10)));
  }

  @Override
  public void close() {
    stop();
    executor.shutdownNow();
  }

  /** The agent follower of agent parenting: one ListAgents, then the pods of changed nodes. */
  public static AgentFollower following(
      AgentDirectory agents, ClusterView cluster, SubjectQueue queue, OwnedEntries owned) {
    return () -> {
      if (!owned.isLoaded()) {
        return;
      }
      Set<String> changed = agents.refresh();
      List<Subject> subjects = new ArrayList<>();
      for (String node : changed) {
        cluster.podsOn(node).forEach(p -> subjects.add(p.key()));
        log.atInfo()
            .addKeyValue("node", node)
            .addKeyValue("agentId", agents.agentFor(node).map(Object::toString).orElse(""))
            .log("agent on node changed: re-parenting its pod entries");
      }
      queue.addAll(subjects);
    };
  }
}
