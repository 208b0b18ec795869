package org.spireoperator.reconcile;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.spireoperator.registration.Subject;

/**
 * Per-subject exponential backoff with full jitter for writes that failed transiently: the only
 * retry of a SPIRE write (the client does not retry, JOSDK is never asked to).
 */
public final class RetryBackoff {

  private final Duration initial;
  private final Duration max;
  private final RandomGenerator random;
  private final Map<Subject, Integer> failures = new ConcurrentHashMap<>();

  public RetryBackoff(Duration initial, Duration max, RandomGenerator random) {
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  public static RetryBackoff defaults() {
    return new RetryBackoff(
        Duration.ofMillis(500), Duration.ofSeconds(30), RandomGenerator.getDefault());
  }

  public Duration max() {
    return max;
  }

  /** The delay before the next attempt for {@code subject}, which just failed again. */
  public Duration next(Subject subject) {
    int n = failures.merge(subject, 1, Integer::sum);
    long cap = Math.min(max.toMillis(), initial.toMillis() << Math.min(n - 1, 20));
    return Duration.ofMillis(cap / 2 + random.nextLong(cap / 2 + 1));
  }

  public void succeeded(Subject subject) {
    failures.remove(subject);
  }
}
