package org.spireoperator.config;

import java.time.Duration;
import java.util.Optional;
import org.spireoperator.scm.Outcome;
import org.spireoperator.scm.entries.SpecValues;

/**
 * Durations written the way Go's {@code time.ParseDuration} reads them: a sequence of decimal
 * numbers, each with a unit, such as {@code "300ms"}, {@code "1.5h"} or {@code "1h30m"}. Units: ns,
 * us (or µs), ms, s, m, h. One parser for the whole operator: {@link SpecValues#goDurationNanos},
 * which spire-controller-manager's durations use too.
 */
final class GoDuration {

  private GoDuration() {}

  /** The duration {@code text} denotes, or empty if it is not Go duration syntax (or overflows). */
  static Optional<Duration> parse(String text) {
    Outcome<Long> nanos = SpecValues.goDurationNanos(text);
    return nanos.isOk() ? Optional.of(Duration.ofNanos(nanos.orElseThrow())) : Optional.empty();
  }
}
