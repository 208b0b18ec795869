package org.spireoperator.reconcile;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the write workers send at most {@link WriteConcurrency#limit()} batches at once, and tells
 * it how each batch went. Workers enter before they take subjects from the queue, so a worker held
 * here holds no subject; leaving wakes the ones waiting. The only lock is this object's, never held
 * across a write.
 */
final class WriteGate {

  private static final Logger log = LoggerFactory.getLogger(WriteGate.class);

  /** A batch let through: the setting it began under. */
  record Pass(int generation) {}

  private final WriteConcurrency concurrency;
  private final LongSupplier nanoTime;
  private int inFlight;

  WriteGate(int writers, LongSupplier nanoTime) {
    this.concurrency = new WriteConcurrency(writers);
    this.nanoTime = nanoTime;
  }

  /** Waits until one more batch may be in flight. */
  synchronized Pass enter() throws InterruptedException {
    while (inFlight >= concurrency.limit()) {
      wait();
    }
    inFlight++;
    return new Pass(concurrency.generation());
  }

  /** The clock batches are timed with. */
  long now() {
    return nanoTime.getAsLong();
  }

  /**
   * A batch let through by {@code pass} is over.
   *
   * @param full whether the worker took a whole batch (the queue had more)
   * @param entries entries the server created, updated or deleted; 0 if nothing was sent or an item
   *     failed (the batch then measures nothing)
   * @param startNanos when the worker had its subjects ({@link #now()})
   */
  synchronized void leave(Pass pass, boolean full, int entries, long startNanos) {
    inFlight--;
    concurrency
        .ended(pass.generation(), full, entries, startNanos, nanoTime.getAsLong())
        .ifPresent(
            change ->
                log.atInfo()
                    .addKeyValue("writers", change.limit())
                    .addKeyValue("entriesPerSecondAllWriters", change.allWriters())
                    .addKeyValue("entriesPerSecondOneWriter", change.oneWriter())
                    .log(
                        change.limit() == 1
                            ? "SPIRE writes as fast with one batch in flight: writing one at a time"
                            : "SPIRE writes faster with more batches in flight: writing them side"
                                + " by side"));
    notifyAll();
  }

  /** Batches allowed in flight now. */
  synchronized int limit() {
    return concurrency.limit();
  }
}
