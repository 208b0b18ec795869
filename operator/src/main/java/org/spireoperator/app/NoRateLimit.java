package org.spireoperator.app;

import io.javaoperatorsdk.operator.processing.event.rate.RateLimiter;
import java.time.Duration;
import java.util.Optional;

/**
 * No rate limit on reconciliations, with no state per object. JOSDK's default limiter is switched
 * off too, but keeps a state with three timestamps for every object it has seen: 30,000 Pods' worth
 * of nothing. Our reconcilers only queue a subject; the engine batches the writes.
 */
final class NoRateLimit implements RateLimiter<NoRateLimit.Unlimited> {

  /** The one state every object shares. */
  enum Unlimited implements RateLimiter.RateLimitState {
    INSTANCE
  }

  @Override
  public Optional<Duration> isLimited(RateLimiter.RateLimitState state) {
    return Optional.empty();
  }

  @Override
  public Unlimited initState() {
    return Unlimited.INSTANCE;
  }
}
