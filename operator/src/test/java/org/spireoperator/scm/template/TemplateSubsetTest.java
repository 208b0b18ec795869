package org.spireoperator.scm.template;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spireoperator.scm.Outcome;

/**
 * What lies outside the supported subset fails with a message naming the construct and the
 * template, at parse time where possible; nothing throws.
 */
class TemplateSubsetTest {

  private static Outcome<String> render(String source) {
    return GoTemplate.parse("spiffeIDTemplate", source)
        .flatMap(t -> t.render(GoTemplateTest.data()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {{ if .PodMeta.Name }}x{{ end }}                 | {{if}} is not supported
          {{ range .PodSpec.Containers }}{{ .Name }}{{ end }} | {{range}} is not supported
          {{ with .PodMeta }}{{ .Name }}{{ end }}           | {{with}} is not supported
          {{ define "x" }}y{{ end }}                        | {{define}} is not supported
          {{ template "x" }}                                | {{template}} is not supported
          {{ $n := .PodMeta.Name }}{{ $n }}                 | variables are not supported
          {{ eq .PodMeta.Name "web-0" }}                    | function "eq" is not supported
          {{ lower .PodMeta.Name }}                         | unknown function "lower"
          {{ printf "%05d" .PodMeta.Generation }}           | printf verb %0 is not supported
          {{ printf "%q" .PodMeta.Name }}                   | printf verb %q is not supported
          {{ .PodMeta }}                                    | cannot print a value of type v1.ObjectMeta
          {{ .PodMeta.GetName }}                            | has no field GetName
          {{ (index .PodSpec.Containers 0).Resources.Limits }} | not available to this operator's templates
          {{ .PodSpec.Affinity.NodeAffinity }}              | cannot read field NodeAffinity of a nil *v1.Affinity
          {{ print .PodSpec.Priority }}                     | cannot print a value of type *int32
          {{ 1.5 }}                                         | number 1.5 is not supported
          """)
  @DisplayName("refuses constructs outside the subset, naming them")
  void refusesNamingTheConstruct(String template, String message) {
    assertThat(render(template.strip()).failure())
        .startsWith("template \"spiffeIDTemplate\": ")
        .contains(message);
  }

  @Test
  void parseErrorsNameTheAction() {
    assertThat(GoTemplate.parse("dnsNameTemplate", "a {{ .PodMeta.Name | \"x\" }} b").failure())
        .isEqualTo(
            "template \"dnsNameTemplate\": stage 2 of the pipeline is a constant, not a function "
                + "in {{ .PodMeta.Name | \"x\" }}");
  }

  @Test
  void executionErrorsNameTheAction() {
    assertThat(render("ns/{{ index .PodSpec.Containers 5 }}").failure())
        .isEqualTo(
            "template \"spiffeIDTemplate\": executing {{ index .PodSpec.Containers 5 }}: index 5 "
                + "is out of range (length 2)");
  }

  @Test
  void aMissingTemplateIsAFailure() {
    assertThat(GoTemplate.parse("spiffeIDTemplate", null).failure())
        .isEqualTo("template \"spiffeIDTemplate\": missing");
  }

  @Test
  void literalTextWithoutActionsRendersAsIs() {
    assertThat(render("spiffe://example.org/static"))
        .isEqualTo(Outcome.ok("spiffe://example.org/static"));
  }

  @Test
  void aParsedTemplateRendersManyTimes() {
    GoTemplate t = GoTemplate.parse("t", "{{ .PodMeta.Name }}").orElseThrow();

    assertThat(t.render(GoTemplateTest.data())).isEqualTo(t.render(GoTemplateTest.data()));
  }
}
