package org.spireoperator.reconcile;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.registration.Decision;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.Diagnostic;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.DeleteOutcome;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.SpireException;

/**
 * The incremental path: worker threads (never JOSDK's) take subjects from the {@link SubjectQueue}
 * in batches, decide each one ({@link DesiredState}), diff it against the owned-entry index ({@link
 * EntryDiff}), send all the batch's writes together ({@link EntryWriter}), record what the server
 * answered in the index and the {@link SubjectOutcomes}, and queue transient failures again after a
 * backoff. No read of SPIRE; one or a few RPCs per batch.
 */
public final class SubjectSync implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SubjectSync.class);

  /** Interval of the probe that tells when SPIRE answers again after an outage. */
  public static final java.time.Duration PROBE = java.time.Duration.ofSeconds(1);

  private final SubjectQueue queue;
  private final DesiredState desiredState;
  private final OwnedEntries owned;
  private final EntryWriter writer;
  private final Ownership ownership;
  private final SubjectOutcomes outcomes;
  private final Predicate<Subject> tracked;
  private final Diagnostics diagnostics;
  private final EngineEvents events;
  private final RetryBackoff backoff;
  private final NodeOverlap overlap;
  private final int batchSize;
  private final ExecutorService workers;
  private final java.util.function.BooleanSupplier spireAnswers;
  private final java.util.function.Function<String, java.util.Optional<Entry>> entryById;
  private final java.util.concurrent.ScheduledExecutorService prober =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "spire-outage-probe");
            t.setDaemon(true);
            return t;
          });
  private final java.util.concurrent.atomic.AtomicBoolean spireDown =
      new java.util.concurrent.atomic.AtomicBoolean();

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
      java.util.function.BooleanSupplier spireAnswers,
      java.util.function.Function<String, java.util.Optional<Entry>> entryById,
      int batchSize,
      int workerCount) {
    this.queue = queue;
    this.desiredState = desiredState;
    this.owned = owned;
    this.writer = writer;
    this.ownership = ownership;
    this.outcomes = outcomes;
    this.tracked = tracked;
    this.diagnostics = diagnostics;
    this.events = events;
    this.backoff = backoff;
    this.overlap = overlap;
    this.spireAnswers = spireAnswers;
    this.entryById = entryById;
    this.batchSize = batchSize;
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
      spireIsBack();
    }
    Slicer slicer = new Slicer(applied);
    for (Planned p : planned) {
      record(p, slicer.next(p.diff()));
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

  private void record(Planned p, Applied applied) {
    Subject s = p.subject();
    List<Entry> after =
        new ArrayList<>(applied.applyTo(p.current(), e -> ownership.mayAdopt(s, e)));
    boolean recovered = recoverTakenIds(s, applied, after);
    boolean vanished = dropVanished(s, applied, after);
    owned.put(s, after);
    int created = 0;
    int updated = 0;
    int deleted = 0;
    String conflict = null;
    String failure = null;
    for (EntryOutcome o : applied.created()) {
      if (o.succeeded()) {
        created++;
        WriteLog.created(s, o);
      } else if (o.alreadyExists() && ownership.mayAdopt(s, o.entry())) {
        WriteLog.adopted(s, o);
      } else if (o.alreadyExists()) {
        WriteLog.conflict(s, o);
        conflict =
            "an entry with the same SPIFFE ID, parent and selectors exists (ID "
                + o.entry().id()
                + ") that this operator did not create for this object; it was left alone";
      } else if (after.stream().noneMatch(e -> e.id().equals(o.requested().id()))) {
        failure = failed(s, null, "create " + o.requested().spiffeId(), o.code(), o.message());
      }
    }
    for (EntryOutcome o : applied.updated()) {
      if (o.succeeded()) {
        updated++;
        WriteLog.updated(s, o);
      } else if (o.code() != Status.Code.NOT_FOUND) {
        failure = failed(s, o.requested().id(), "update", o.code(), o.message());
      }
    }
    for (DeleteOutcome o : applied.deleted()) {
      if (o.deleted()) {
        deleted++;
        WriteLog.deleted(s, o);
      } else {
        failure = failed(s, o.id(), "delete", o.code(), o.message());
      }
    }
    events.wrote(s, created, updated, deleted);
    SpireException retry = applied.transientFailure();
    if (recovered || vanished) {
      queue.add(s);
    } else if (retry != null) {
      spireSeemsDown();
      queue.retryAfter(s, backoff.next(s));
    } else {
      backoff.succeeded(s);
    }
    if (conflict != null) {
      diagnostics.report(new Diagnostic(s, "Conflict", conflict));
    }
    if (tracked.test(s)) {
      if ((s instanceof org.spireoperator.registration.PodKey
              || s instanceof org.spireoperator.registration.WorkloadKey)
          && p.desired() instanceof Desired.Unwanted u
          && !u.condition().equals("Masked")
          && !u.condition().equals("FallbackSkipped")
          && after.isEmpty()) {
        outcomes.forget(s);
      } else {
        outcomes.record(s, outcome(p.desired(), after, conflict, failure, retry != null));
      }
    }
  }

  /**
   * A create refused although no similar entry exists may mean the subject's own marked ID is
   * taken: its entry exists where the index did not see it (moved under a parent no pass reads).
   * Such an entry is this subject's by its mark: it is read back into the index and the subject is
   * queued again, so the next look updates it in place. Returns whether one was found.
   */
  private boolean recoverTakenIds(Subject s, Applied applied, List<Entry> after) {
    boolean found = false;
    for (EntryOutcome o : applied.created()) {
      String id = o.requested().id();
      if (o.succeeded()
          || o.alreadyExists()
          || SpireException.isTransient(o.code())
          || !ownership.ids().isMarked(id)
          || after.stream().anyMatch(e -> e.id().equals(id))) {
        continue;
      }
      try {
        java.util.Optional<Entry> taken = entryById.apply(id);
        if (taken.isPresent()) {
          log.atInfo()
              .addKeyValue(s.kind(), s.toString())
              .addKeyValue("entryId", id)
              .log("the subject's own entry exists outside the index: taking it back");
          after.add(taken.get());
          found = true;
        }
      } catch (SpireException e) {
        // reported with the create's failure; the subject is retried by the next pass
      }
    }
    return found;
  }

  /**
   * An update answered NOT_FOUND: the entry was deleted behind our back (an admin, another tool).
   * It leaves the index and the subject is looked at again, which creates it afresh; nothing is
   * reported, since nothing is wrong with the object. Returns whether one vanished.
   */
  private static boolean dropVanished(Subject s, Applied applied, List<Entry> after) {
    boolean vanished = false;
    for (EntryOutcome o : applied.updated()) {
      if (!o.succeeded() && o.code() == Status.Code.NOT_FOUND) {
        String id = o.requested().id();
        after.removeIf(e -> e.id().equals(id));
        log.atInfo()
            .addKeyValue(s.kind(), s.toString())
            .addKeyValue("entryId", id)
            .log("entry to update was deleted outside this operator: writing it again");
        vanished = true;
      }
    }
    return vanished;
  }

  private String failed(Subject s, String entryId, String what, Status.Code code, String message) {
    WriteLog.failed(s, entryId, what, code, message);
    String detail = what + " failed: " + code + (message == null ? "" : " " + message);
    if (!SpireException.isTransient(code)) {
      events.writeFailed(s);
      diagnostics.report(new Diagnostic(s, "SpireError", detail));
    }
    return detail;
  }

  private static SubjectOutcome outcome(
      Desired desired, List<Entry> after, String conflict, String failure, boolean retrying) {
    boolean declared = desired instanceof Desired.Wanted;
    if (desired instanceof Desired.Rejected r) {
      return new SubjectOutcome(after, false, r.condition(), r.reason(), false);
    }
    if (conflict != null) {
      return new SubjectOutcome(after, false, "Conflict", conflict, declared);
    }
    if (failure != null) {
      return new SubjectOutcome(
          after, false, "SpireError", failure + (retrying ? " (retrying)" : ""), declared);
    }
    if (desired instanceof Desired.Unwanted u) {
      return new SubjectOutcome(after, false, u.condition(), u.reason(), false);
    }
    Entry entry = after.stream().min(java.util.Comparator.comparing(Entry::id)).orElse(null);
    return entry == null
        ? new SubjectOutcome(after, false, "Pending", "entry not written yet", true)
        : new SubjectOutcome(
            after, true, "Registered", "entry " + entry.id() + " registered", true);
  }

  /**
   * While SPIRE does not answer, a cheap call probes it every {@link #PROBE}; the first answer ends
   * every subject's backoff at once, so work resumes within one probe of the server's return
   * whatever each subject's own backoff has grown to.
   */
  private void spireSeemsDown() {
    if (spireDown.compareAndSet(false, true)) {
      log.atWarn()
          .log("SPIRE does not answer: writes wait, probing every " + PROBE.toMillis() + " ms");
      try {
        prober.schedule(this::probe, PROBE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing: nothing is written any more, so there is nothing to probe for
      }
    }
  }

  private void probe() {
    if (!spireDown.get()) {
      return;
    }
    if (spireAnswers.getAsBoolean()) {
      spireIsBack();
    } else {
      prober.schedule(this::probe, PROBE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  private void spireIsBack() {
    if (spireDown.compareAndSet(true, false)) {
      log.atInfo().log("SPIRE answers again: retrying every waiting subject now");
      queue.releaseWaiting();
    }
  }

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
    prober.shutdownNow();
  }
}
