package org.spireoperator.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.spireoperator.registration.IdentityTemplate;

class CrdTemplatesTest {

  @Test
  void theTemplatesOfALoadedConfigurationAllParse() {
    CrdTemplates templates =
        Configs.parseWith(
                "mode = \"crd\"",
                "identity_template = \"region/{{.Context.region}}/{{.Pod.Name}}\"",
                "dns_name_templates = [\"{{.Pod.Name}}.{{.Context.region}}\"]",
                "context {",
                "  region = \"eu-1\"",
                "}")
            .templates();

    assertThat(templates.identity()).isPresent();
    assertThat(templates.dnsNames()).hasSize(1);
  }

  @Test
  void aDnsNameTemplateMayReadALabelWithIndex() {
    CrdTemplates templates =
        Configs.parseWith(
                "mode = \"crd\"",
                "dns_name_templates = [\"{{index .Pod.Labels \\\"app\\\"}}.svc\"]")
            .templates();

    assertThat(templates.dnsNames()).extracting(IdentityTemplate::source).hasSize(1);
  }

  @Test
  void spacesOutsideTheActionsOfADnsNameTemplateAreDropped() {
    IdentityTemplate template =
        CrdTemplates.parseDnsName("{{ .Pod.Name }} . svc", java.util.Map.of());

    assertThat(template.source()).isEqualTo("\"{{ .Pod.Name }}.svc\"");
  }

  @Test
  void outsideCrdModeThereIsNoIdentityTemplate() {
    assertThat(Configs.parse(Configs.MINIMAL).templates().identity()).isEmpty();
  }
}
