package org.spireoperator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DnsNameSyntaxTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "web",
        "my-dns-name",
        "web.shop.svc",
        "Web.Example.COM",
        "*.example.org",
        "1.2.3.4",
        "xn--bcher-kva.example",
        "a.b.c.d.e.f"
      })
  void acceptsRfc1123NamesAndALeftmostWildcard(String name) {
    assertThat(DnsNameSyntax.problem(name)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                      | must not be empty",
        "web.                    | must not end with '.'",
        "a..b                    | has an empty label",
        "under_score             | label \"under_score\" may contain only letters, digits and '-'",
        "has space               | must not contain whitespace or control characters",
        "-web                    | label \"-web\" must not start or end with '-'",
        "web-                    | label \"web-\" must not start or end with '-'",
        "ab--cd                  | label \"ab--cd\" must not have '--' as its third and fourth characters",
        "*                       | '*' is allowed only as the whole leftmost label, as in *.example.org",
        "*.                      | a wildcard needs a domain after '*.'",
        "web.*.example           | '*' is allowed only as the whole leftmost label, as in *.example.org",
        "w*.example              | '*' is allowed only as the whole leftmost label, as in *.example.org",
        "*.*.example             | has more than one '*'",
        "bücher.example          | may contain only ASCII characters (write international names in their xn-- form)",
        "web/path                | label \"web/path\" may contain only letters, digits and '-'"
      })
  void rejectsWithTheReason(String name, String reason) {
    assertThat(DnsNameSyntax.problem(name)).contains(reason);
  }

  @Test
  void rejectsALabelLongerThan63Characters() {
    assertThat(DnsNameSyntax.problem("a".repeat(64) + ".example"))
        .get()
        .asString()
        .contains("longer than 63");
  }

  @Test
  void rejectsANameLongerThan253Characters() {
    String name = String.join(".", Collections.nCopies(64, "abc"));
    assertThat(DnsNameSyntax.problem(name)).contains("is longer than 253 characters");
  }

  @Test
  void rejectsNull() {
    assertThat(DnsNameSyntax.problem(null)).contains("must not be null");
  }
}
