package org.spireoperator.spire;

import io.grpc.Status;

/** The per-item result of a batch delete; NOT_FOUND counts as deleted. */
public record DeleteOutcome(String id, Status.Code code, String message) {

  public boolean deleted() {
    return code == Status.Code.OK || code == Status.Code.NOT_FOUND;
  }
}
