package org.spireoperator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentPodSelectorTest {

  @Test
  void aSelectorOfSeveralLabelsRequiresEachOfThem() {
    assertThat(
            KubernetesNames.parseEqualitySelector(
                "app=spire-agent,app.kubernetes.io/part-of = spire"))
        .isEqualTo(Map.of("app", "spire-agent", "app.kubernetes.io/part-of", "spire"));
  }

  @Test
  void doubleEqualsMeansTheSameAsEquals() {
    assertThat(KubernetesNames.parseEqualitySelector("app==spire-agent"))
        .isEqualTo(Map.of("app", "spire-agent"));
  }

  @Test
  void anEmptyValueRequiresTheLabelToBeEmpty() {
    assertThat(KubernetesNames.parseEqualitySelector("agent=")).isEqualTo(Map.of("agent", ""));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "",
        "app",
        "app!=x",
        "app in (a,b)",
        "=x",
        "app=a,",
        "app=a b",
        "app=a,app=b",
        "-x=y"
      })
  void anythingButEqualityRequirementsIsRejected(String selector) {
    assertThatThrownBy(() -> KubernetesNames.parseEqualitySelector(selector))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
