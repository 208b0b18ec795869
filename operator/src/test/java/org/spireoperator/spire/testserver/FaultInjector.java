package org.spireoperator.spire.testserver;

import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Faults the test server injects into calls: failures with a chosen status for the next n calls (of
 * any or of one method), a latency added to every call, and one-shot hooks run before a method is
 * handled. Thread-safe.
 */
public final class FaultInjector {

  private static final class Failure {
    final String method;
    final Status.Code code;
    int remaining;

    Failure(String method, int remaining, Status.Code code) {
      this.method = method;
      this.remaining = remaining;
      this.code = code;
    }
  }

  private record Hook(String method, Runnable action, boolean once) {}

  private final List<Failure> failures = new ArrayList<>();
  private final List<Hook> hooks = new ArrayList<>();
  private Duration latency = Duration.ZERO;

  /** The next {@code n} calls, of any method, fail with {@code code}. */
  public synchronized void failNext(int n, Status.Code code) {
    failNext(null, n, code);
  }

  /**
   * The next {@code n} calls of {@code method} (bare name, e.g. "ListEntries"; null: any) fail with
   * {@code code}.
   */
  public synchronized void failNext(String method, int n, Status.Code code) {
    if (n < 1 || code == Status.Code.OK) {
      throw new IllegalArgumentException(
          "failNext needs n >= 1 and a failure code, got " + n + " " + code);
    }
    failures.add(new Failure(method, n, code));
  }

  /**
   * Every call waits this long before it is handled (or fails); ends early if the caller gives up.
   */
  public synchronized void latency(Duration d) {
    latency = d;
  }

  /**
   * Runs {@code action} once, on the next call of {@code method} (null: any), before the call is
   * handled.
   */
  public synchronized void onNext(String method, Runnable action) {
    hooks.add(new Hook(method, action, true));
  }

  /**
   * Runs {@code action} on every call of {@code method} (null: any), before the call is handled,
   * until {@link #clear}: for calls that may arrive together, where a hook that re-arms itself with
   * {@link #onNext} could miss one.
   */
  public synchronized void onEvery(String method, Runnable action) {
    hooks.add(new Hook(method, action, false));
  }

  /** Removes every pending failure, hook and the latency. */
  public synchronized void clear() {
    failures.clear();
    hooks.clear();
    latency = Duration.ZERO;
  }

  synchronized Duration latency() {
    return latency;
  }

  /** Consumes one failure planned for this method, if any. */
  synchronized Optional<Status.Code> takeFailure(String method) {
    for (Iterator<Failure> it = failures.iterator(); it.hasNext(); ) {
      Failure f = it.next();
      if (f.method == null || f.method.equals(method)) {
        if (--f.remaining == 0) {
          it.remove();
        }
        return Optional.of(f.code);
      }
    }
    return Optional.empty();
  }

  /** The hooks due for this method; the one-shot ones are removed. */
  synchronized List<Runnable> takeHooks(String method) {
    List<Runnable> due = new ArrayList<>();
    for (Iterator<Hook> it = hooks.iterator(); it.hasNext(); ) {
      Hook h = it.next();
      if (h.method() == null || h.method().equals(method)) {
        due.add(h.action());
        if (h.once()) {
          it.remove();
        }
      }
    }
    return due;
  }
}
