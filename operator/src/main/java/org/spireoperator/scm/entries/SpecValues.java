package org.spireoperator.scm.entries;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.spireoperator.scm.Outcome;
import org.spireoperator.spire.InvalidSpiffeIdException;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/**
 * Reads the scalar values of spire-controller-manager specs as it reads them: Go durations ({@code
 * metav1.Duration}), trust domain names ({@code spiffeid.TrustDomainFromString}), SPIFFE IDs and
 * {@code type:value} selectors.
 */
public final class SpecValues {

  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L,
          "\u03bcs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private SpecValues() {}

  /**
   * A TTL as the SPIRE API gets it from spire-controller-manager: a Go duration ({@code "1h30m"})
   * in whole seconds, truncated, then narrowed to int32 as Go's {@code int32(d / time.Second)}
   * does. Absent is 0 (the server's default).
   */
  public static Outcome<Integer> ttlSeconds(String field, String duration) {
    if (duration == null) {
      return Outcome.ok(0);
    }
    Outcome<Long> nanos = goDurationNanos(duration);
    if (!nanos.isOk()) {
      return Outcome.failed(field + ": " + nanos.failure());
    }
    long seconds = nanos.orElseThrow() / 1_000_000_000L;
    return Outcome.ok((int) seconds);
  }

  /** Go's {@code time.ParseDuration}: nanoseconds, or why the text is not a duration. */
  public static Outcome<Long> goDurationNanos(String text) {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Outcome.ok(0L);
    }
    if (s.isEmpty()) {
      return Outcome.failed("invalid duration \"" + text + "\"");
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
        return Outcome.failed("invalid duration \"" + text + "\"");
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String unit = s.substring(unitStart, i);
      if (unit.isEmpty()) {
        return Outcome.failed("missing unit in duration \"" + text + "\"");
      }
      Long nanosPerUnit = NANOS_PER_UNIT.get(unit);
      if (nanosPerUnit == null) {
        return Outcome.failed("unknown unit \"" + unit + "\" in duration \"" + text + "\"");
      }
      total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(nanosPerUnit)));
    }
    BigInteger nanos = total.toBigInteger();
    if (nanos.compareTo(MAX_NANOS) > 0) {
      return Outcome.failed("invalid duration \"" + text + "\"");
    }
    return Outcome.ok(negative ? -nanos.longValueExact() : nanos.longValueExact());
  }

  /**
   * A trust domain name as {@code spiffeid.TrustDomainFromString} reads it: a bare name, or a
   * SPIFFE ID whose trust domain is taken.
   */
  public static Outcome<String> trustDomain(String value) {
    if (value == null || value.isEmpty()) {
      return Outcome.failed("trust domain is missing");
    }
    if (value.contains(":/")) {
      try {
        return Outcome.ok(SpiffeId.parse(value).trustDomain());
      } catch (InvalidSpiffeIdException e) {
        return Outcome.failed(e.getMessage());
      }
    }
    String problem = SpiffeId.trustDomainProblem(value);
    return problem == null ? Outcome.ok(value) : Outcome.failed(problem);
  }

  /** Every value of {@code federatesWith} as a trust domain name. */
  public static Outcome<List<String>> federatesWith(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String value : values == null ? List.<String>of() : values) {
      Outcome<String> td = trustDomain(value);
      if (!td.isOk()) {
        return Outcome.failed("federatesWith \"" + value + "\": " + td.failure());
      }
      out.add(td.orElseThrow());
    }
    return Outcome.ok(List.copyOf(out));
  }

  public static Outcome<SpiffeId> spiffeId(String value) {
    if (value == null) {
      return Outcome.failed("is missing");
    }
    try {
      return Outcome.ok(SpiffeId.parse(value));
    } catch (InvalidSpiffeIdException e) {
      return Outcome.failed(e.getMessage());
    }
  }

  /** {@code type:value}, split at the first colon; both parts non-empty. */
  public static Outcome<Selector> selector(String text) {
    if (text == null) {
      return Outcome.failed("selector is missing");
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      return Outcome.failed("\"" + text + "\" has no ':' between type and value");
    }
    if (colon == 0) {
      return Outcome.failed("\"" + text + "\" has an empty type before ':'");
    }
    if (colon == text.length() - 1) {
      return Outcome.failed("\"" + text + "\" has an empty value after ':'");
    }
    return Outcome.ok(new Selector(text.substring(0, colon), text.substring(colon + 1)));
  }
}
