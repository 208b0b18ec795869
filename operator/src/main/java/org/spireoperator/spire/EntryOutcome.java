package org.spireoperator.spire;

import io.grpc.Status;

/**
 * The per-item result of a batch create or update. {@code entry} is the entry as the server holds
 * it: the created or updated one, or for ALREADY_EXISTS on create the existing similar entry (which
 * the caller may adopt); null on other failures.
 */
public record EntryOutcome(Entry requested, Entry entry, Status.Code code, String message) {

  public boolean succeeded() {
    return code == Status.Code.OK;
  }

  /** Create refused because a similar entry exists; {@link #entry()} is that entry. */
  public boolean alreadyExists() {
    return code == Status.Code.ALREADY_EXISTS && entry != null;
  }

  /** Succeeded, or found an existing similar entry to adopt. */
  public boolean hasEntry() {
    return entry != null && (succeeded() || alreadyExists());
  }
}
