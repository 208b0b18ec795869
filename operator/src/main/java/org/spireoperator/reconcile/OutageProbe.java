package org.spireoperator.reconcile;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when SPIRE answers again after an outage. While it does not answer, a cheap call probes it
 * every {@link #INTERVAL}; the first answer (the probe's, or any write's) ends every waiting
 * subject's backoff at once, so work resumes within one probe of the server's return whatever each
 * subject's own backoff has grown to. One thread of its own; never a writer's or JOSDK's.
 */
final class OutageProbe implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutageProbe.class);

  /** Interval of the probe while SPIRE does not answer. */
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private final SubjectQueue queue;
  private final BooleanSupplier spireAnswers;
  private final AtomicBoolean spireDown = new AtomicBoolean();
  private final ScheduledExecutorService prober =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "spire-outage-probe");
            t.setDaemon(true);
            return t;
          });

  OutageProbe(SubjectQueue queue, BooleanSupplier spireAnswers) {
    this.queue = queue;
    this.spireAnswers = spireAnswers;
  }

  /** A write failed transiently: start probing, unless already probing. */
  void spireSeemsDown() {
    if (spireDown.compareAndSet(false, true)) {
      log.atWarn()
          .log("SPIRE does not answer: writes wait, probing every " + INTERVAL.toMillis() + " ms");
      schedule();
    }
  }

  /** SPIRE answered: if it was down, every waiting subject is retried now. */
  void spireAnswered() {
    if (spireDown.compareAndSet(true, false)) {
      log.atInfo().log("SPIRE answers again: retrying every waiting subject now");
      queue.releaseWaiting();
    }
  }

  private void probe() {
    if (!spireDown.get()) {
      return;
    }
    if (spireAnswers.getAsBoolean()) {
      spireAnswered();
    } else {
      schedule();
    }
  }

  private void schedule() {
    try {
      prober.schedule(this::probe, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing: nothing is written any more, so there is nothing to probe for
    }
  }

  @Override
  public void close() {
    prober.shutdownNow();
  }
}
