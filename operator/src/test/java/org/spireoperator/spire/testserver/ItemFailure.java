package org.spireoperator.spire.testserver;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Why one item of a batch (or a whole call) fails: a gRPC code and the message the real server
 * would give.
 */
final class ItemFailure extends RuntimeException {

  private final Status.Code code;

  ItemFailure(Status.Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  Status.Code code() {
    return code;
  }

  spire.api.types.Status toProto() {
    return spire.api.types.Status.newBuilder()
        .setCode(code.value())
        .setMessage(getMessage())
        .build();
  }

  StatusRuntimeException toStatusException() {
    return Status.fromCode(code).withDescription(getMessage()).asRuntimeException();
  }
}
