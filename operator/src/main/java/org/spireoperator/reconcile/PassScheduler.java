package org.spireoperator.reconcile;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the full pass while this replica leads: once at once, then every period. A failed pass
 * (SPIRE unreachable...) deletes nothing and is retried with backoff instead of waiting a whole
 * period.
 */
public final class PassScheduler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PassScheduler.class);

  private final Registrar registrar;
  private final Duration period;
  private final BooleanSupplier ready;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "spire-full-pass");
            t.setDaemon(true);
            return t;
          });
  private ScheduledFuture<?> next;
  private ScheduledFuture<?> agentFollower;
  private int failures;
  private volatile PassReport last;

  private final Runnable afterPass;

  /**
   * @param afterPass runs after each successful pass (e.g. the crd-mode mirror's own pass)
   */
  public PassScheduler(
      Registrar registrar, Duration period, BooleanSupplier ready, Runnable afterPass) {
    this.registrar = registrar;
    this.period = period;
    this.ready = ready;
    this.afterPass = afterPass;
  }

  /**
   * Starts passing (called when this replica becomes leader, or at start without leader election).
   */
  public synchronized void start() {
    if (next == null) {
      next = executor.schedule(this::run, 0, TimeUnit.MILLISECONDS);
      long agentPeriod = Math.max(1000, Math.min(period.toMillis(), 15_000));
      agentFollower =
          executor.scheduleWithFixedDelay(
              this::followAgents, agentPeriod, agentPeriod, TimeUnit.MILLISECONDS);
    }
  }

  private void followAgents() {
    try {
      registrar.followAgents();
    } catch (RuntimeException e) {
      log.atWarn().setCause(e).log("could not follow the agent list: " + e.getMessage());
    }
  }

  /** Stops passing (leadership lost). */
  public synchronized void stop() {
    if (next != null) {
      next.cancel(false);
      next = null;
      agentFollower.cancel(false);
      agentFollower = null;
    }
  }

  /** Runs a pass now, outside the schedule (e.g. when an agent's ID changed). */
  public void triggerNow() {
    executor.execute(this::runOnce);
  }

  public PassReport lastReport() {
    return last;
  }

  private void run() {
    Duration delay = runOnce() ? period : retryDelay();
    synchronized (this) {
      if (next != null) {
        next = executor.schedule(this::run, delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private boolean runOnce() {
    if (!ready.getAsBoolean()) {
      log.atInfo().log("caches not synced yet; full pass postponed");
      failures++;
      return false;
    }
    try {
      last = registrar.fullPass();
      afterPass.run();
      failures = 0;
      return true;
    } catch (RuntimeException e) {
      failures++;
      log.atWarn()
          .addKeyValue("attempt", failures)
          .setCause(e)
          .log("full pass failed; nothing was deleted; retrying: " + e.getMessage());
      return false;
    }
  }

  private Duration retryDelay() {
    long ms = Math.min(period.toMillis(), 500L << Math.min(failures, 10));
    return Duration.ofMillis(ms);
  }

  @Override
  public void close() {
    stop();
    executor.shutdownNow();
  }
}
