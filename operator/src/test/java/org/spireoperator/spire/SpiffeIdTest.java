package org.spireoperator.spire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpiffeIdTest {

  @Test
  void parsesTrustDomainAndPath() {
    assertThat(SpiffeId.parse("spiffe://example.org/ns/a/sa/b"))
        .isEqualTo(new SpiffeId("example.org", "/ns/a/sa/b"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://example.org/x|must start with",
        "spiffe://Example.org/x|trust domain",
        "spiffe://example.org/a//b|empty segment",
        "spiffe://example.org/a/|must not end",
        "spiffe://example.org/a/../b|not allowed",
        "spiffe://example.org/.|not allowed",
        "spiffe://example.org/a/./b|not allowed",
        "spiffe://example.org/..|not allowed",
        "spiffe://example.org/a b|may contain only",
        "spiffe://example.org/ns/café|may contain only",
        "spiffe://example.org/ns/a:b|may contain only",
        "spiffe://exa_mple.org:8443/x|trust domain",
        "spiffe:///x|trust domain is missing"
      })
  void invalidIdsNameTheRuleTheyBreak(String input, String reason) {
    assertThatThrownBy(() -> SpiffeId.parse(input))
        .isInstanceOf(InvalidSpiffeIdException.class)
        .hasMessageContaining(input)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "spiffe://example.org",
        "spiffe://example.org/.a",
        "spiffe://example.org/a..b/...",
        "spiffe://ex-a_mple.0rg/Ns/A-b_c.D/9",
      })
  void validIdsRoundTrip(String text) {
    assertThat(SpiffeId.parse(text).toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"k8s:ns:default", "k8s:pod-label:app:web", "unix:uid:0"})
  void selectorsRoundTrip(String text) {
    assertThat(Selector.parse(text)).hasToString(text);
  }

  @Test
  void selectorTypeIsTextBeforeFirstColon() {
    assertThat(Selector.parse("k8s:pod-label:app:web").type()).isEqualTo("k8s");
  }

  @Test
  void selectorWithoutValueIsRefused() {
    assertThatThrownBy(() -> Selector.parse("k8s:")).hasMessageContaining("value is empty");
  }

  @Test
  void idUnderAnotherIsRecognised() {
    assertThat(SpiffeId.parse("spiffe://td/a/b/c").isBelow(SpiffeId.parse("spiffe://td/a/b")))
        .isTrue();
  }

  @Test
  void siblingWithCommonPrefixIsNotBelow() {
    assertThat(SpiffeId.parse("spiffe://td/a/bc").isBelow(SpiffeId.parse("spiffe://td/a/b")))
        .isFalse();
  }
}
