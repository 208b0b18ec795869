package org.spireoperator.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityTemplateTest {

  private final PodView pod =
      Pods.withLabels(Pods.running("shop", "web-0", "node-1"), Map.of("app", "web"));

  @Test
  void rendersLabelsByIndexAndByField() {
    var t = IdentityTemplate.parse("{{index .Pod.Labels \"app\"}}/{{.Pod.Labels.app}}", Map.of());
    assertThat(t.render(pod).text()).isEqualTo("web/web");
  }

  @Test
  void missingLabelIsAProblemNamingTheLabel() {
    var t = IdentityTemplate.parse("{{.Pod.Labels.tier}}", Map.of());
    assertThat(t.render(pod).problem()).contains("tier");
  }

  @Test
  void unknownFieldIsRefusedWhenParsing() {
    assertThatThrownBy(() -> IdentityTemplate.parse("{{.Pod.Color}}", Map.of()))
        .hasMessageContaining("unsupported action {{.Pod.Color}}");
  }

  @Test
  void undefinedContextKeyIsRefusedWhenParsing() {
    assertThatThrownBy(() -> IdentityTemplate.parse("{{.Context.region}}", Map.of()))
        .hasMessageContaining(".Context.region");
  }

  @Test
  void unbalancedBracesAreRefused() {
    assertThatThrownBy(() -> IdentityTemplate.parse("ns/{{.Pod.Namespace", Map.of()))
        .hasMessageContaining("unbalanced");
  }
}
