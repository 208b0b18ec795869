package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.Subject;

class RetryBackoffTest {

  private static final Subject WEB = new PodKey("shop", "web-0");
  private static final Subject API = new PodKey("shop", "api-0");
  private static final Duration INITIAL = Duration.ofMillis(500);
  private static final Duration MAX = Duration.ofSeconds(30);

  /** A random source that always draws its lowest (or highest) value. */
  private static RandomGenerator drawing(boolean highest) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public long nextLong(long bound) {
        return highest ? bound - 1 : 0;
      }
    };
  }

  private static RetryBackoff backoff(boolean highest) {
    return new RetryBackoff(INITIAL, MAX, drawing(highest));
  }

  @Test
  void theFirstDelayIsAtLeastHalfTheInitialDelay() {
    assertThat(backoff(false).next(WEB)).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void theFirstDelayIsAtMostTheInitialDelay() {
    assertThat(backoff(true).next(WEB)).isEqualTo(INITIAL);
  }

  @Test
  void eachFurtherFailureDoublesTheDelay() {
    RetryBackoff backoff = backoff(true);
    assertThat(IntStream.range(0, 4).mapToObj(i -> backoff.next(WEB)))
        .containsExactly(
            Duration.ofMillis(500),
            Duration.ofMillis(1000),
            Duration.ofMillis(2000),
            Duration.ofMillis(4000));
  }

  @Test
  void theDelayNeverExceedsTheMaximum() {
    RetryBackoff backoff = backoff(true);
    assertThat(IntStream.range(0, 100).mapToObj(i -> backoff.next(WEB)))
        .allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(MAX));
  }

  @Test
  void aSuccessStartsTheDelaysOver() {
    RetryBackoff backoff = backoff(true);
    backoff.next(WEB);
    backoff.next(WEB);
    backoff.succeeded(WEB);
    assertThat(backoff.next(WEB)).isEqualTo(INITIAL);
  }

  @Test
  void subjectsBackOffIndependently() {
    RetryBackoff backoff = backoff(true);
    backoff.next(WEB);
    backoff.next(WEB);
    assertThat(backoff.next(API)).isEqualTo(INITIAL);
  }

  @Test
  void theDefaultsWaitAtMostThirtySeconds() {
    assertThat(RetryBackoff.defaults().max()).isEqualTo(MAX);
  }
}
