package org.spireoperator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest(name = "\"{0}\" is {1}")
  @CsvSource({
    "10s, PT10S",
    "5m, PT5M",
    "1h30m, PT1H30M",
    "1.5h, PT1H30M",
    "300ms, PT0.3S",
    "2h45m30.5s, PT2H45M30.5S",
    "1us, PT0.000001S",
    "1\u00b5s, PT0.000001S",
    "7ns, PT0.000000007S",
    "0, PT0S",
    "-1m, PT-1M",
    ".5s, PT0.5S",
    "1m1m, PT2M"
  })
  void readsGoDurationSyntax(String text, Duration expected) {
    assertThat(GoDuration.parse(text)).hasValue(expected);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "",
        "10",
        "s",
        "10 s",
        "10S",
        "1d",
        "1h 30m",
        "1..5s",
        "one minute",
        "PT10S",
        "99999999999999h"
      })
  void rejectsAnythingElse(String text) {
    assertThat(GoDuration.parse(text)).isEmpty();
  }
}
