package org.spireoperator.scm.selector;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spireoperator.scm.Outcome;

/** Label selectors select as Kubernetes defines them and refuse what Kubernetes refuses. */
class LabelSelectorsTest {

  private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front");

  private static LabelQuery compile(LabelSelector selector) {
    return LabelSelectors.compile(selector).orElseThrow();
  }

  private static LabelSelector expression(String key, String operator, String... values) {
    return new LabelSelectorBuilder()
        .addToMatchExpressions(
            new LabelSelectorRequirement(
                key, operator, values.length == 0 ? null : List.of(values)))
        .build();
  }

  @Test
  void anAbsentSelectorSelectsEverything() {
    assertThat(compile(null).matches(Map.of())).isTrue();
  }

  @Test
  void anEmptySelectorSelectsEverything() {
    assertThat(compile(new LabelSelector()).matches(Map.of("x", "y"))).isTrue();
  }

  @Test
  void matchLabelsNeedEveryPairExactly() {
    LabelQuery q = compile(new LabelSelectorBuilder().addToMatchLabels(WEB).build());

    assertThat(List.of(q.matches(WEB), q.matches(Map.of("app", "web")), q.matches(Map.of())))
        .containsExactly(true, false, false);
  }

  @ParameterizedTest(name = "{0} {1} [{2}] on app=web,tier=front: {3}")
  @CsvSource({
    "app,In,web;api,true",
    "app,In,api,false",
    "gone,In,x,false",
    "app,NotIn,api,true",
    "app,NotIn,web,false",
    "gone,NotIn,x,true",
    "app,Exists,,true",
    "gone,Exists,,false",
    "app,DoesNotExist,,false",
    "gone,DoesNotExist,,true"
  })
  @DisplayName("each operator selects as Kubernetes defines it (NotIn holds for an absent label)")
  void operators(String key, String operator, String values, boolean selected) {
    String[] v = values == null ? new String[0] : values.split(";");

    assertThat(compile(expression(key, operator, v)).matches(WEB)).isEqualTo(selected);
  }

  @Test
  void matchLabelsAndExpressionsMustAllHold() {
    LabelSelector selector =
        new LabelSelectorBuilder()
            .addToMatchLabels("app", "web")
            .addToMatchExpressions(new LabelSelectorRequirement("tier", "NotIn", List.of("front")))
            .build();

    assertThat(compile(selector).matches(WEB)).isFalse();
  }

  @Test
  void theHelmChartsNamespaceSelectorExcludesSpiresNamespaces() {
    LabelQuery q =
        compile(expression("kubernetes.io/metadata.name", "NotIn", "spire-server", "spire-system"));

    assertThat(
            List.of(
                q.matches(Map.of("kubernetes.io/metadata.name", "shop")),
                q.matches(Map.of("kubernetes.io/metadata.name", "spire-system"))))
        .containsExactly(true, false);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          operator in (lowercase)         | app     | in           | web | is not a label selector operator
          unknown operator                | app     | Equals       | web | is not a label selector operator
          In without values               | app     | In           |     | needs at least one value
          NotIn without values            | app     | NotIn        |     | needs at least one value
          Exists with values              | app     | Exists       | web | takes no values
          DoesNotExist with values        | app     | DoesNotExist | web | takes no values
          key with a space                | bad key | Exists       |     | name part must be
          key with an uppercase prefix    | Example.com/app | Exists |   | prefix part must be
          key with an empty name          | example.com/ | Exists    |   | name part must not be empty
          empty key                       | ''      | Exists       |     | must not be empty
          value starting with a dash      | app     | In           | -web | a label value must be
          """)
  @DisplayName("refuses what Kubernetes refuses, naming the problem")
  void invalidSelectors(String title, String key, String operator, String value, String problem) {
    LabelSelector selector =
        value == null ? expression(key, operator) : expression(key, operator, value);

    assertThat(LabelSelectors.compile(selector).failure()).contains(problem);
  }

  @Test
  void anInvalidMatchLabelsKeyIsRefused() {
    assertThat(
            LabelSelectors.compile(new LabelSelectorBuilder().addToMatchLabels("a b", "c").build())
                .failure())
        .startsWith("matchLabels[\"a b\"]: ");
  }

  @Test
  void aLabelKeyOf63CharactersIsValidAnd64IsNot() {
    assertThat(
            List.of(
                LabelSelectors.compile(expression("a".repeat(63), "Exists")).isOk(),
                LabelSelectors.compile(expression("a".repeat(64), "Exists")).isOk()))
        .containsExactly(true, false);
  }

  @Test
  void theQueryPrintsInKubernetesSyntax() {
    LabelSelector selector =
        new LabelSelectorBuilder()
            .addToMatchLabels("app", "web")
            .addToMatchExpressions(
                new LabelSelectorRequirement("tier", "In", List.of("b", "a")),
                new LabelSelectorRequirement("env", "NotIn", List.of("dev")),
                new LabelSelectorRequirement("x", "Exists", null),
                new LabelSelectorRequirement("y", "DoesNotExist", null))
            .build();

    assertThat(LabelSelectors.compile(selector).map(LabelQuery::toString))
        .isEqualTo(Outcome.ok("app=web,env notin (dev),tier in (a,b),x,!y"));
  }
}
