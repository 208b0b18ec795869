package org.spireoperator.scm.entries;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spireoperator.scm.Outcome;

/**
 * TTLs, trust domains and selectors read as spire-controller-manager reads them. The durations'
 * expected seconds were printed by Go's {@code int32(d / time.Second)} of {@code
 * time.ParseDuration}.
 */
class SpecValuesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "1h30m,5400",
    "1.5s,1",
    "300ms,0",
    "-1h,-3600",
    "0,0",
    "2h,7200",
    "6m,360",
    "1h0.5m,3630",
    ".5h,1800",
    "1.h,3600",
    "+3s,3",
    "5µs,0",
    "2562047h,633434608"
  })
  @DisplayName("a Go duration becomes whole seconds, truncated and narrowed to int32 as in Go")
  void durations(String text, int seconds) {
    assertThat(SpecValues.ttlSeconds("ttl", text)).isEqualTo(Outcome.ok(seconds));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource({"''", "1", "3 s", "1d", "9999999h", "h", "1..5s"})
  @DisplayName("what Go's ParseDuration refuses is a failure naming the field")
  void invalidDurations(String text) {
    assertThat(SpecValues.ttlSeconds("jwtTtl", text).failure()).startsWith("jwtTtl: ");
  }

  @Test
  void anAbsentTtlIsTheServerDefault() {
    assertThat(SpecValues.ttlSeconds("ttl", null)).isEqualTo(Outcome.ok(0));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"example.org,example.org", "spiffe://example.org,example.org", "spiffe://a.b/c,a.b"})
  void trustDomainsAreNamesOrSpiffeIds(String value, String name) {
    assertThat(SpecValues.trustDomain(value)).isEqualTo(Outcome.ok(name));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource({"Example.org", "''", "spiffe://", "a b", "spiffe://example.org/"})
  void invalidTrustDomainsFail(String value) {
    assertThat(SpecValues.trustDomain(value).isOk()).isFalse();
  }

  @ParameterizedTest(name = "\"{0}\": {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "k8s | \"k8s\" has no ':' between type and value",
        ":x | \":x\" has an empty type before ':'",
        "k8s: | \"k8s:\" has an empty value after ':'"
      })
  void selectorsNeedTypeColonValue(String text, String problem) {
    assertThat(SpecValues.selector(text).failure()).isEqualTo(problem);
  }

  @Test
  void aSelectorValueMayHoldColons() {
    assertThat(SpecValues.selector("k8s:pod-label:app:web").orElseThrow().value())
        .isEqualTo("pod-label:app:web");
  }
}
