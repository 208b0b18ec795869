package org.spireoperator.scm.selector;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.spireoperator.scm.Outcome;

/** Properties of compiled label selectors over random selectors and label sets. */
class LabelSelectorProperties {

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.oneOf(
        Arbitraries.of("app", "tier", "env", "example.com/team"),
        Arbitraries.strings().withChars("aZ9-_./ %:").ofMaxLength(8));
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.oneOf(
        Arbitraries.of("web", "api", "", "front"),
        Arbitraries.strings().withChars("aZ9-_. ").ofMaxLength(6));
  }

  @Provide
  Arbitrary<String> operators() {
    return Arbitraries.of("In", "NotIn", "Exists", "DoesNotExist", "in", "", "Equals");
  }

  @Provide
  Arbitrary<LabelSelectorRequirement> requirements() {
    return Combinators.combine(keys(), operators(), values().list().ofMaxSize(3).injectNull(0.2))
        .as(LabelSelectorRequirement::new);
  }

  @Provide
  Arbitrary<LabelSelector> selectors() {
    return Combinators.combine(
            requirements().list().ofMaxSize(3).injectNull(0.2),
            Arbitraries.maps(keys(), values()).ofMaxSize(2).injectNull(0.2))
        .as(LabelSelector::new);
  }

  @Provide
  Arbitrary<Map<String, String>> labels() {
    return Arbitraries.maps(Arbitraries.of("app", "tier", "env", "example.com/team"), values())
        .ofMaxSize(4);
  }

  @Property(tries = 2000)
  @Label("compiling any selector gives a query or a failure, never an exception")
  void compilingNeverThrows(@ForAll("selectors") LabelSelector selector) {
    assertThat(LabelSelectors.compile(selector)).isNotNull();
  }

  @Property(tries = 1000)
  @Label("a query matches exactly when each of its requirements matches on its own")
  void conjunction(
      @ForAll("selectors") LabelSelector selector, @ForAll("labels") Map<String, String> labels) {
    Outcome<LabelQuery> query = LabelSelectors.compile(selector);
    if (query.isOk()) {
      List<Requirement> requirements = query.orElseThrow().requirements();
      assertThat(query.orElseThrow().matches(labels))
          .isEqualTo(requirements.stream().allMatch(r -> r.matches(labels)));
    }
  }

  @Property(tries = 1000)
  @Label("NotIn is the negation of In, DoesNotExist of Exists")
  void negations(
      @ForAll("keys") String key,
      @ForAll("values") String value,
      @ForAll("labels") Map<String, String> labels) {
    Outcome<LabelQuery> in = compile(key, "In", value);
    Outcome<LabelQuery> notIn = compile(key, "NotIn", value);
    Outcome<LabelQuery> exists = compile(key, "Exists");
    Outcome<LabelQuery> doesNotExist = compile(key, "DoesNotExist");
    if (in.isOk() && notIn.isOk()) {
      assertThat(notIn.orElseThrow().matches(labels))
          .isNotEqualTo(in.orElseThrow().matches(labels));
    }
    if (exists.isOk() && doesNotExist.isOk()) {
      assertThat(doesNotExist.orElseThrow().matches(labels))
          .isNotEqualTo(exists.orElseThrow().matches(labels));
    }
  }

  @Property(tries = 1000)
  @Label("matchLabels {k: v} selects the label sets with k=v, as In [v] does")
  void matchLabelsIsInWithOneValue(
      @ForAll("keys") String key,
      @ForAll("values") String value,
      @ForAll("labels") Map<String, String> labels) {
    Outcome<LabelQuery> byLabels =
        LabelSelectors.compile(new LabelSelector(null, Map.of(key, value)));
    Outcome<LabelQuery> byExpression = compile(key, "In", value);

    assertThat(byLabels.isOk()).isEqualTo(byExpression.isOk());
    if (byLabels.isOk()) {
      assertThat(byLabels.orElseThrow().matches(labels))
          .isEqualTo(value.equals(labels.get(key)))
          .isEqualTo(byExpression.orElseThrow().matches(labels));
    }
  }

  private static Outcome<LabelQuery> compile(String key, String operator, String... values) {
    return LabelSelectors.compile(
        new LabelSelector(
            List.of(
                new LabelSelectorRequirement(
                    key, operator, values.length == 0 ? null : List.of(values))),
            null));
  }
}
