package org.spireoperator.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The labels and annotations of a cached object: a map like any other, in the source's order. */
class SmallStringMapTest {

  private static Map<String, String> of(String... pairs) {
    return SmallStringMap.of(pairs, pairs.length);
  }

  @Test
  void equalsTheMapItWasBuiltFrom() {
    Map<String, String> source = new LinkedHashMap<>();
    source.put("app", "web");
    source.put("tier", "front");

    assertThat(of("app", "web", "tier", "front")).isEqualTo(source).hasSameHashCodeAs(source);
  }

  @Test
  void keepsTheSourcesOrder() {
    assertThat(of("z", "1", "a", "2", "m", "3").keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void findsAValueByKey() {
    assertThat(of("app", "web", "tier", "front").get("tier")).isEqualTo("front");
  }

  @Test
  void answersNullForAMissingKey() {
    assertThat(of("app", "web").get("tier")).isNull();
  }

  @Test
  void cannotBeChanged() {
    assertThatThrownBy(() -> of("app", "web").put("app", "evil"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void noPairsIsTheEmptyMap() {
    assertThat(SmallStringMap.of(new String[4], 0)).isSameAs(Map.of());
  }
}
