package org.spireoperator.reconcile;

import java.util.Optional;

/**
 * How many write batches go to SPIRE at once, chosen by what the server does with them. A datastore
 * that takes writes side by side (PostgreSQL, MySQL) writes more entries a second with two batches
 * in flight; sqlite serializes them, and two batches of creates that each check for similar entries
 * cost it more than one after the other. So while the queue keeps the writers busy, this measures
 * both: an epoch of {@link #EPOCH_BATCHES} full batches with every writer, then one with a single
 * writer, and keeps the more writers only if they wrote at least {@link #MARGIN} more entries a
 * second. It measures again after {@link #KEEP_EPOCHS} epochs of the choice, so a server whose
 * costs change (as the entries it holds grow) is followed.
 *
 * <p>Pure and single-threaded: {@link WriteGate} feeds it under its lock, and the clock is the
 * caller's. A batch counts toward an epoch only if it was full (the queue had more waiting than one
 * batch takes) and began under the current setting; anything else starts the epoch again, so an
 * idle or trickling queue never decides anything.
 */
final class WriteConcurrency {

  /** Full batches an epoch measures. */
  static final int EPOCH_BATCHES = 8;

  /** Epochs of the chosen setting before both are measured again. */
  static final int KEEP_EPOCHS = 8;

  /** How much faster (entries a second) every writer must be than one to be kept. */
  static final double MARGIN = 0.05;

  /** A change of setting, with the two measurements that decided it (entries a second). */
  record Change(int limit, long allWriters, long oneWriter) {}

  private enum Phase {
    MEASURE_ALL,
    MEASURE_ONE,
    KEEP
  }

  private final int writers;
  private Phase phase;
  private int limit;
  private int chosen;
  private int generation;
  private int keptEpochs;
  private double allWriters;

  private int epochBatches;
  private long epochEntries;
  private long epochStart;

  /**
   * @param writers the writer threads; with one there is nothing to choose
   */
  WriteConcurrency(int writers) {
    this.writers = writers;
    this.limit = writers;
    this.chosen = writers;
    this.phase = writers > 1 ? Phase.MEASURE_ALL : Phase.KEEP;
  }

  /** Batches allowed in flight now. */
  int limit() {
    return limit;
  }

  /** The setting a batch begins under; a batch of an earlier one is not measured. */
  int generation() {
    return generation;
  }

  /**
   * A batch ended.
   *
   * @param generation {@link #generation()} when it began
   * @param full whether it took as many subjects as a batch holds (the queue was not drained)
   * @param entries entries it created, updated or deleted
   * @param startNanos when it began
   * @param endNanos when it ended
   * @return the new setting, if this batch ended a measurement that changed it
   */
  Optional<Change> ended(
      int generation, boolean full, int entries, long startNanos, long endNanos) {
    if (writers == 1 || generation != this.generation) {
      return Optional.empty();
    }
    if (!full || entries == 0) {
      epochBatches = 0;
      return Optional.empty();
    }
    if (epochBatches == 0) {
      epochStart = startNanos;
      epochEntries = 0;
    }
    epochBatches++;
    epochEntries += entries;
    if (epochBatches < EPOCH_BATCHES) {
      return Optional.empty();
    }
    double perSecond = epochEntries * 1e9 / Math.max(1, endNanos - epochStart);
    epochBatches = 0;
    return epochEnded(perSecond);
  }

  private Optional<Change> epochEnded(double perSecond) {
    switch (phase) {
      case MEASURE_ALL -> {
        allWriters = perSecond;
        enter(Phase.MEASURE_ONE, 1);
        return Optional.empty();
      }
      case MEASURE_ONE -> {
        int before = chosen;
        chosen = allWriters >= perSecond * (1 + MARGIN) ? writers : 1;
        keptEpochs = 0;
        enter(Phase.KEEP, chosen);
        return chosen == before
            ? Optional.empty()
            : Optional.of(new Change(chosen, Math.round(allWriters), Math.round(perSecond)));
      }
      default -> {
        if (++keptEpochs >= KEEP_EPOCHS) {
          enter(Phase.MEASURE_ALL, writers);
        }
        return Optional.empty();
      }
    }
  }

  private void enter(Phase next, int nextLimit) {
    phase = next;
    if (nextLimit != limit) {
      limit = nextLimit;
      generation++;
    }
  }
}
