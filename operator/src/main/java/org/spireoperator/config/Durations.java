package org.spireoperator.config;

import java.time.Duration;

/** Checks on the durations the configuration holds. */
final class Durations {

  private Durations() {}

  /** Not null and longer than zero. */
  static boolean isPositive(Duration duration) {
    return duration != null && !duration.isNegative() && !duration.isZero();
  }
}
