package org.spireoperator.reconcile;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.Diagnostic;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.registration.WorkloadKey;
import org.spireoperator.spire.DeleteOutcome;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.SpireException;

/**
 * What follows a subject's writes, from the server's answers: the owned-entry index takes the
 * entries now on the server, each write is logged, the object's outcome (its status condition) is
 * recorded, a conflict or a permanent failure is reported once, and the subject is queued again
 * when the answers call for it (its own entry found elsewhere or deleted behind our back: at once;
 * a transient failure: after its backoff, with the {@link OutageProbe} told; a refused entry that
 * federates: after its backoff, since the server may get the bundles it lacks).
 */
final class AnswerRecorder {

  private static final Logger log = LoggerFactory.getLogger(AnswerRecorder.class);

  private final SubjectQueue queue;
  private final OwnedEntries owned;
  private final Ownership ownership;
  private final SubjectOutcomes outcomes;
  private final Predicate<Subject> tracked;
  private final Diagnostics diagnostics;
  private final EngineEvents events;
  private final RetryBackoff backoff;
  private final OutageProbe probe;
  private final Function<String, Optional<Entry>> entryById;

  AnswerRecorder(
      SubjectQueue queue,
      OwnedEntries owned,
      Ownership ownership,
      SubjectOutcomes outcomes,
      Predicate<Subject> tracked,
      Diagnostics diagnostics,
      EngineEvents events,
      RetryBackoff backoff,
      OutageProbe probe,
      Function<String, Optional<Entry>> entryById) {
    this.queue = queue;
    this.owned = owned;
    this.ownership = ownership;
    this.outcomes = outcomes;
    this.tracked = tracked;
    this.diagnostics = diagnostics;
    this.events = events;
    this.backoff = backoff;
    this.probe = probe;
    this.entryById = entryById;
  }

  /**
   * Records the server's answers to the writes of subject {@code s}, whose index held {@code
   * current} and who wanted {@code desired}.
   */
  void record(Subject s, Desired desired, List<Entry> current, Applied applied) {
    List<Entry> after =
        new ArrayList<>(applied.applyTo(current, e -> ownership.mayAdopt(s, e, desired)));
    boolean recovered = recoverTakenIds(s, applied, after);
    boolean vanished = dropVanished(s, applied, after);
    owned.put(s, after);
    int created = 0;
    int updated = 0;
    int deleted = 0;
    String conflict = null;
    String failure = null;
    boolean awaitsBundle = false;
    for (EntryOutcome o : applied.created()) {
      if (o.succeeded()) {
        created++;
        WriteLog.created(s, o);
      } else if (o.alreadyExists() && ownership.mayAdopt(s, o.entry(), desired)) {
        WriteLog.adopted(s, o);
      } else if (o.alreadyExists()) {
        WriteLog.conflict(s, o);
        conflict =
            "an entry with the same SPIFFE ID, parent and selectors exists (ID "
                + o.entry().id()
                + ") that this operator did not create for this object; it was left alone"
                + (s instanceof SpiffeIdKey key
                    ? ownership
                        .upstreamRefusal(key, o.entry(), desired)
                        .map(why -> " (not adopted from upstream's registrar: " + why + ")")
                        .orElse("")
                    : "");
      } else if (after.stream().noneMatch(e -> e.id().equals(o.requested().id()))) {
        failure = failed(s, null, "create " + o.requested().spiffeId(), o.code(), o.message());
        awaitsBundle |= federates(o);
      }
    }
    for (EntryOutcome o : applied.updated()) {
      if (o.succeeded()) {
        updated++;
        WriteLog.updated(s, o);
      } else if (o.code() != Status.Code.NOT_FOUND) {
        failure = failed(s, o.requested().id(), "update", o.code(), o.message());
        awaitsBundle |= federates(o);
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
      probe.spireSeemsDown();
      queue.retryAfter(s, backoff.next(s));
    } else if (awaitsBundle) {
      queue.retryAfter(s, backoff.next(s));
    } else {
      backoff.succeeded(s);
    }
    if (conflict != null) {
      diagnostics.report(new Diagnostic(s, "Conflict", conflict));
    }
    if (tracked.test(s)) {
      if ((s instanceof PodKey || s instanceof WorkloadKey)
          && desired instanceof Desired.Unwanted u
          && !u.condition().equals("Masked")
          && !u.condition().equals("FallbackSkipped")
          && after.isEmpty()) {
        outcomes.forget(s);
      } else {
        outcomes.record(s, outcome(desired, after, conflict, failure, retry != null));
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
        Optional<Entry> taken = entryById.apply(id);
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

  /**
   * Whether a refused write may succeed later with nothing changed in the cluster: an entry that
   * federates needs the server to hold a bundle of each of those trust domains, and bundles come
   * and go without a Kubernetes event (a ClusterFederatedTrustDomain's first fetch, another tool).
   * Such a write is retried after its backoff, as spire-controller-manager retries every entry on
   * every pass; other refusals wait for a change of the object or the next full pass.
   */
  private static boolean federates(EntryOutcome o) {
    return !SpireException.isTransient(o.code()) && !o.requested().federatesWith().isEmpty();
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
    Entry entry = after.stream().min(Comparator.comparing(Entry::id)).orElse(null);
    return entry == null
        ? new SubjectOutcome(after, false, "Pending", "entry not written yet", true)
        : new SubjectOutcome(
            after, true, "Registered", "entry " + entry.id() + " registered", true);
  }
}
