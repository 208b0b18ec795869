package org.spireoperator.reconcile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.registration.Decision;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.Diagnostic;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.Entry;

/**
 * The incremental path: worker threads (never JOSDK's) take subjects from the {@link SubjectQueue}
 * in batches, decide each one ({@link DesiredState}), diff it against the owned-entry index ({@link
 * EntryDiff}), send all the batch's writes together ({@link EntryWriter}) and hand each subject's
 * share of the answers to the {@link AnswerRecorder}. No read of SPIRE; one or a few RPCs per
 * batch.
 */
public final class SubjectSync implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SubjectSync.class);

  /** Interval of the probe that tells when SPIRE answers again after an outage. */
  public static final Duration PROBE = OutageProbe.INTERVAL;

  private final SubjectQueue queue;
  private final DesiredState desiredState;
  private final OwnedEntries owned;
  private final EntryWriter writer;
  private final Ownership ownership;
  private final Diagnostics diagnostics;
  private final EngineEvents events;
  private final RetryBackoff backoff;
  private final NodeOverlap overlap;
  private final int batchSize;
  private final OutageProbe probe;
  private final AnswerRecorder recorder;
  private final ExecutorService workers;

  /**
   * @param tracked subjects whose outcomes are recorded (those whose status is reported)
   */
  public SubjectSync(
      SubjectQueue queue,
      DesiredState desiredState,
      OwnedEntries owned,
      EntryWriter writer,
      Ownership ownership,
      SubjectOutcomes outcomes,
      Predicate<Subject> tracked,
      Diagnostics diagnostics,
      EngineEvents events,
      RetryBackoff backoff,
      NodeOverlap overlap,
      BooleanSupplier spireAnswers,
      Function<String, Optional<Entry>> entryById,
      int batchSize,
      int workerCount) {
    this.queue = queue;
    this.desiredState = desiredState;
    this.owned = owned;
    this.writer = writer;
    this.ownership = ownership;
    this.diagnostics = diagnostics;
    this.events = events;
    this.backoff = backoff;
    this.overlap = overlap;
    this.batchSize = batchSize;
    this.probe = new OutageProbe(queue, spireAnswers);
    this.recorder =
        new AnswerRecorder(
            queue,
            owned,
            ownership,
            outcomes,
            tracked,
            diagnostics,
            events,
            backoff,
            probe,
            entryById);
    this.workers =
        Executors.newFixedThreadPool(
            workerCount,
            r -> {
              Thread t = new Thread(r, "spire-entry-writer");
              t.setDaemon(true);
              return t;
            });
    for (int i = 0; i < workerCount; i++) {
      workers.execute(this::work);
    }
  }

  private void work() {
    while (!Thread.currentThread().isInterrupted()) {
      List<Subject> batch;
      try {
        batch = queue.take(batchSize);
      } catch (InterruptedException e) {
        return;
      }
      if (batch.isEmpty()) {
        return;
      }
      try {
        process(batch);
      } catch (RuntimeException e) {
        log.atError().setCause(e).log("write batch failed unexpectedly; retrying its subjects");
        batch.forEach(s -> queue.retryAfter(s, backoff.next(s)));
      } finally {
        batch.forEach(queue::done);
      }
    }
  }

  /** One batch: decide, diff, write, record. Package-private for direct tests. */
  void process(List<Subject> batch) {
    List<Planned> planned = new ArrayList<>(batch.size());
    List<Entry> creates = new ArrayList<>();
    List<Entry> updates = new ArrayList<>();
    List<Entry> deletes = new ArrayList<>();
    for (Subject s : batch) {
      Decision decision = desiredState.decide(s);
      tell(s, decision);
      List<Entry> current = owned.get(s);
      EntryDiff diff = EntryDiff.forSubject(decision.desired(), current, ownership.ids().idFor(s));
      planned.add(new Planned(s, decision.desired(), current, diff));
      creates.addAll(diff.creates());
      updates.addAll(diff.updates());
      deletes.addAll(diff.deletes());
    }
    Applied applied = writer.apply(new EntryDiff(creates, updates, deletes));
    if (applied.anyAnswered()) {
      probe.spireAnswered();
    }
    Slicer slicer = new Slicer(applied);
    for (Planned p : planned) {
      recorder.record(p.subject(), p.desired(), p.current(), slicer.next(p.diff()));
    }
  }

  private void tell(Subject s, Decision decision) {
    decision.diagnostics().forEach(diagnostics::report);
    if (decision.desired() instanceof Desired.Rejected r) {
      events.rejected(s);
      diagnostics.report(new Diagnostic(s, r.condition(), r.reason()));
    }
    overlap.observe(s, decision.desired()).forEach(diagnostics::report);
  }

  private record Planned(Subject subject, Desired desired, List<Entry> current, EntryDiff diff) {}

  /** Cuts a batch's answers back into each subject's share, in the order they were planned. */
  private static final class Slicer {
    private final Applied all;
    private int c;
    private int u;
    private int d;

    Slicer(Applied all) {
      this.all = all;
    }

    Applied next(EntryDiff diff) {
      Applied mine =
          new Applied(
              all.created().subList(c, c + diff.creates().size()),
              all.updated().subList(u, u + diff.updates().size()),
              all.deleted().subList(d, d + diff.deletes().size()));
      c += diff.creates().size();
      u += diff.updates().size();
      d += diff.deletes().size();
      return mine;
    }
  }

  @Override
  public void close() {
    queue.close();
    workers.shutdownNow();
    probe.close();
  }
}
