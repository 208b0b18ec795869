package org.spireoperator.reconcile;

import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.DeleteOutcome;
import org.spireoperator.spire.EntryOutcome;

/** One structured log line per write decision, with the object and the entry ID. */
final class WriteLog {

  private static final Logger log = LoggerFactory.getLogger(WriteLog.class);

  private WriteLog() {}

  static void created(Subject subject, EntryOutcome o) {
    log.atInfo()
        .addKeyValue(subject.kind(), subject.toString())
        .addKeyValue("entryId", o.entry().id())
        .addKeyValue("spiffeId", o.entry().spiffeId().toString())
        .addKeyValue("parentId", o.entry().parentId().toString())
        .log("created entry");
  }

  static void adopted(Subject subject, EntryOutcome o) {
    log.atInfo()
        .addKeyValue(subject.kind(), subject.toString())
        .addKeyValue("entryId", o.entry().id())
        .addKeyValue("spiffeId", o.entry().spiffeId().toString())
        .log("adopted existing similar entry");
  }

  static void conflict(Subject subject, EntryOutcome o) {
    log.atWarn()
        .addKeyValue(subject.kind(), subject.toString())
        .addKeyValue("entryId", o.entry().id())
        .addKeyValue("spiffeId", o.entry().spiffeId().toString())
        .log("a similar entry exists that this object does not own; left alone, nothing created");
  }

  static void updated(Subject subject, EntryOutcome o) {
    log.atInfo()
        .addKeyValue(subject.kind(), subject.toString())
        .addKeyValue("entryId", o.entry().id())
        .addKeyValue("spiffeId", o.entry().spiffeId().toString())
        .addKeyValue("parentId", o.entry().parentId().toString())
        .log("updated entry");
  }

  static void deleted(Subject subject, DeleteOutcome o) {
    log.atInfo()
        .addKeyValue(subject.kind(), subject.toString())
        .addKeyValue("entryId", o.id())
        .log("deleted entry");
  }

  static void failed(Subject subject, String entryId, String what, Status.Code code, String msg) {
    var line =
        log.atWarn()
            .addKeyValue(subject.kind(), subject.toString())
            .addKeyValue("entryId", entryId == null ? "" : entryId)
            .addKeyValue("code", code.name());
    line.log(what + " failed: " + (msg == null ? "" : msg));
  }
}
