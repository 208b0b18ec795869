package org.spireoperator.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Durations written the way Go's {@code time.ParseDuration} reads them: a sequence of decimal
 * numbers, each with a unit, such as {@code "300ms"}, {@code "1.5h"} or {@code "1h30m"}. Units: ns,
 * us (or µs), ms, s, m, h.
 */
final class GoDuration {

  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L, // micro sign
          "\u03bcs", 1_000L, // Greek small letter mu
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private GoDuration() {}

  /** The duration {@code text} denotes, or empty if it is not Go duration syntax (or overflows). */
  static Optional<Duration> parse(String text) {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    if (s.isEmpty()) {
      return Optional.empty();
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int numberStart = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(numberStart, i);
      if (!number.matches("[0-9]+(\\.[0-9]*)?|\\.[0-9]+")) {
        return Optional.empty();
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      Long nanosPerUnit = NANOS_PER_UNIT.get(s.substring(unitStart, i));
      if (nanosPerUnit == null) {
        return Optional.empty();
      }
      total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(nanosPerUnit)));
    }
    BigInteger nanos = total.toBigInteger();
    if (nanos.compareTo(MAX_NANOS) > 0) {
      return Optional.empty();
    }
    Duration duration = Duration.ofNanos(nanos.longValueExact());
    return Optional.of(negative ? duration.negated() : duration);
  }
}
