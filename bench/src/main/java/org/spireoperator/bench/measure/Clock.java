package org.spireoperator.bench.measure;

import java.time.Duration;

/**
 * Monotonic time and plain waiting for the harness (not tests: sleeping between polls is the
 * point).
 */
public final class Clock {

  private Clock() {}

  public static long now() {
    return System.nanoTime();
  }

  public static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  public static double seconds(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }

  public static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
