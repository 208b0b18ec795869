package org.spireoperator.reconcile;

import io.grpc.Status;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.crd.Admission;
import org.spireoperator.spire.DeleteOutcome;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireException;

/**
 * Keeps the one entry of a SpiffeID resource equal to its admitted spec: reads the entry named by
 * {@code status.entryId} (one GetEntry, no write when equal), updates it in place, recreates it
 * when it was deleted behind the operator's back, adopts an existing similar entry instead of
 * duplicating it, and deletes it when the resource is forbidden or gone. Writes go through the
 * shared {@link EntryWriter}.
 */
public final class SpiffeIdSync {

  private static final Logger log = LoggerFactory.getLogger(SpiffeIdSync.class);

  /** What happened: the entry ID to record, and the Ready condition. */
  public record Outcome(
      String entryId,
      boolean ready,
      String reason,
      String message,
      int created,
      int updated,
      int deleted) {}

  private final SpireClient spire;
  private final EntryWriter writer;

  public SpiffeIdSync(SpireClient spire, EntryWriter writer) {
    this.spire = spire;
    this.writer = writer;
  }

  /**
   * @param resource {@code namespace/name}, for logs
   * @param currentEntryId {@code status.entryId}, or null
   * @throws SpireException for transient failures, to be retried
   */
  public Outcome sync(String resource, Admission admission, String currentEntryId) {
    if (admission instanceof Admission.Invalid invalid) {
      log.atWarn()
          .addKeyValue("spiffeid", resource)
          .addKeyValue("entryId", String.valueOf(currentEntryId))
          .log("invalid spec, entry left as it is: " + invalid.message());
      return new Outcome(currentEntryId, false, "InvalidSpec", invalid.message(), 0, 0, 0);
    }
    if (admission instanceof Admission.Forbidden forbidden) {
      int deleted = currentEntryId == null ? 0 : delete(resource, currentEntryId);
      log.atWarn()
          .addKeyValue("spiffeid", resource)
          .addKeyValue("rule", forbidden.rule().name())
          .log("forbidden, no entry: " + forbidden.message());
      return new Outcome(null, false, "Forbidden", forbidden.message(), 0, 0, deleted);
    }
    Entry wanted = ((Admission.Allowed) admission).entry();
    Optional<Entry> current =
        currentEntryId == null ? Optional.empty() : spire.getEntry(currentEntryId);
    if (current.isPresent() && current.get().sameRegistration(wanted)) {
      return registered(current.get().id(), 0, 0);
    }
    if (current.isPresent()) {
      Applied applied =
          writer.apply(
              new EntryDiff(List.of(), List.of(wanted.withId(current.get().id())), List.of()));
      EntryOutcome o = applied.updated().get(0);
      if (o.succeeded()) {
        log.atInfo()
            .addKeyValue("spiffeid", resource)
            .addKeyValue("entryId", o.entry().id())
            .addKeyValue("spiffeId", wanted.spiffeId().toString())
            .log("updated entry");
        return registered(o.entry().id(), 0, 1);
      }
      if (o.code() != Status.Code.NOT_FOUND) {
        return failed(resource, "update", o);
      }
    }
    Applied applied = writer.apply(new EntryDiff(List.of(wanted), List.of(), List.of()));
    EntryOutcome o = applied.created().get(0);
    if (o.succeeded()) {
      log.atInfo()
          .addKeyValue("spiffeid", resource)
          .addKeyValue("entryId", o.entry().id())
          .addKeyValue("spiffeId", wanted.spiffeId().toString())
          .log("created entry");
      return registered(o.entry().id(), 1, 0);
    }
    if (o.alreadyExists()) {
      log.atInfo()
          .addKeyValue("spiffeid", resource)
          .addKeyValue("entryId", o.entry().id())
          .log("took over existing similar entry");
      if (!o.entry().sameRegistration(wanted)) {
        return sync(resource, admission, o.entry().id());
      }
      return registered(o.entry().id(), 0, 0);
    }
    return failed(resource, "create", o);
  }

  /** Deletes the resource's entry; NOT_FOUND counts as done. */
  public int delete(String resource, String entryId) {
    DeleteOutcome o = writer.delete(List.of(entryId)).get(0);
    if (!o.deleted()) {
      throw new SpireException("BatchDeleteEntry", o.code(), entryId, o.message(), null);
    }
    log.atInfo()
        .addKeyValue("spiffeid", resource)
        .addKeyValue("entryId", entryId)
        .log("deleted entry");
    return 1;
  }

  private static Outcome registered(String id, int created, int updated) {
    return new Outcome(id, true, "Registered", "entry " + id + " registered", created, updated, 0);
  }

  private static Outcome failed(String resource, String what, EntryOutcome o) {
    if (SpireException.isTransient(o.code())) {
      throw new SpireException(
          what.equals("create") ? "BatchCreateEntry" : "BatchUpdateEntry",
          o.code(),
          resource,
          o.message(),
          null);
    }
    String message = "SPIRE refused to " + what + " the entry: " + o.code() + " " + o.message();
    log.atError()
        .addKeyValue("spiffeid", resource)
        .addKeyValue("code", o.code().name())
        .log(message);
    return new Outcome(o.requested().id(), false, "SpireError", message, 0, 0, 0);
  }
}
