package org.spireoperator.reconcile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.DeleteOutcome;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.SpireException;

/**
 * One structured log line per write decision, and the matching events (metrics, Kubernetes Events).
 */
final class WriteLog {

  private static final Logger log = LoggerFactory.getLogger(Registrar.class);

  private final RegistrarEvents events;

  WriteLog(RegistrarEvents events) {
    this.events = events;
  }

  /** Logs one line per write decision; returns the number of items that failed. */
  int report(Subject subject, Applied applied) {
    String kind = kind(subject);
    int failed = 0;
    int created = 0;
    int updated = 0;
    int deleted = 0;
    for (EntryOutcome o : applied.created()) {
      if (o.succeeded()) {
        created++;
        log.atInfo()
            .addKeyValue(kind, subject.toString())
            .addKeyValue("entryId", o.entry().id())
            .addKeyValue("spiffeId", o.entry().spiffeId().toString())
            .addKeyValue("parentId", o.entry().parentId().toString())
            .log("created entry");
      } else if (o.alreadyExists()) {
        log.atInfo()
            .addKeyValue(kind, subject.toString())
            .addKeyValue("entryId", o.entry().id())
            .addKeyValue("spiffeId", o.entry().spiffeId().toString())
            .log("adopted existing similar entry");
      } else {
        failed++;
        failure(subject, "create " + o.requested().spiffeId(), o.code(), o.message());
      }
    }
    for (EntryOutcome o : applied.updated()) {
      if (o.succeeded()) {
        updated++;
        log.atInfo()
            .addKeyValue(kind, subject.toString())
            .addKeyValue("entryId", o.entry().id())
            .addKeyValue("spiffeId", o.entry().spiffeId().toString())
            .addKeyValue("parentId", o.entry().parentId().toString())
            .log("updated entry");
      } else {
        failed++;
        failure(subject, "update entry " + o.requested().id(), o.code(), o.message());
      }
    }
    for (DeleteOutcome o : applied.deleted()) {
      if (o.deleted()) {
        deleted++;
        log.atInfo()
            .addKeyValue(kind, subject.toString())
            .addKeyValue("entryId", o.id())
            .log("deleted entry");
      } else {
        failed++;
        failure(subject, "delete entry " + o.id(), o.code(), o.message());
      }
    }
    events.wrote(subject, created, updated, deleted);
    return failed;
  }

  private void failure(Subject subject, String what, io.grpc.Status.Code code, String message) {
    String detail =
        what + " failed: " + code + (message == null || message.isEmpty() ? "" : " " + message);
    if (SpireException.isTransient(code)) {
      log.atWarn()
          .addKeyValue(kind(subject), subject.toString())
          .addKeyValue("code", code.name())
          .log(detail + " (will retry)");
    } else {
      log.atError()
          .addKeyValue(kind(subject), subject.toString())
          .addKeyValue("code", code.name())
          .log(detail);
      events.writeFailed(subject, detail);
    }
  }

  private static String kind(Subject subject) {
    return subject instanceof PodKey ? "pod" : "node";
  }
}
