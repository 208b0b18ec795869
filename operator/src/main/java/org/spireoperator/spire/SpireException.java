package org.spireoperator.spire;

import io.grpc.Status;

/**
 * A failed call to the SPIRE server: the RPC, the gRPC status, and the entry or subject concerned
 * (may be empty).
 */
public final class SpireException extends RuntimeException {

  private final String method;
  private final Status.Code code;
  private final String subject;

  public SpireException(
      String method, Status.Code code, String subject, String message, Throwable cause) {
    super(
        method
            + " failed with "
            + code
            + (subject == null || subject.isEmpty() ? "" : " for " + subject)
            + (message == null || message.isEmpty() ? "" : ": " + message),
        cause);
    this.method = method;
    this.code = code;
    this.subject = subject == null ? "" : subject;
  }

  public String method() {
    return method;
  }

  public Status.Code code() {
    return code;
  }

  public String subject() {
    return subject;
  }

  /**
   * True for failures that may go away by themselves: worth retrying, never a reason to delete
   * anything.
   */
  public boolean isTransient() {
    return isTransient(code);
  }

  public static boolean isTransient(Status.Code code) {
    return code == Status.Code.UNAVAILABLE
        || code == Status.Code.RESOURCE_EXHAUSTED
        || code == Status.Code.DEADLINE_EXCEEDED
        || code == Status.Code.ABORTED;
  }
}
