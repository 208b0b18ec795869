package org.spireoperator.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads crd mode's templating keys ({@code identity_template}, {@code identity_template_label},
 * {@code dns_name_templates}, {@code context}) into {@link CrdTemplates}, each template parsed.
 */
final class CrdTemplatesReader {

  static final String DEFAULT_IDENTITY_TEMPLATE =
      "ns/{{.Pod.Namespace}}/sa/{{.Pod.ServiceAccount}}";
  static final List<String> DEFAULT_DNS_NAME_TEMPLATES = List.of("{{.Pod.Name}}");

  private final HclBlock top;
  private final KeyChecks checks;

  CrdTemplatesReader(HclBlock top, KeyChecks checks) {
    this.top = top;
    this.checks = checks;
  }

  CrdTemplates read(Mode mode, Identity identity) {
    if (mode != Mode.CRD) {
      for (String key : KnownKeys.CRD_TEMPLATING) {
        if (top.isSet(key)) {
          throw top.error(
              key,
              "only applies in mode \"crd\" (mode is \"" + mode.hclValue() + "\")",
              "remove it, or set mode = \"crd\"");
        }
      }
    }
    Map<String, String> context = top.stringMap("context").orElse(Map.of());
    Optional<String> identityTemplate = top.string("identity_template");
    String podLabel = identity.podLabel();
    if (identityTemplate.isPresent() && (podLabel != null || identity.podAnnotation() != null)) {
      throw top.error(
          "identity_template",
          "cannot be set together with \""
              + (podLabel != null ? "pod_label" : "pod_annotation")
              + "\"",
          "keep one way of naming workloads: identity_template, pod_label or pod_annotation");
    }
    List<String> dnsNameTemplates =
        top.strings("dns_name_templates").orElse(DEFAULT_DNS_NAME_TEMPLATES);
    if (context.isEmpty()) {
      identityTemplate.ifPresent(t -> requireNoContextReference("identity_template", t));
      dnsNameTemplates.forEach(t -> requireNoContextReference("dns_name_templates", t));
    }
    TemplateCheck check = new TemplateCheck(top, context);
    identityTemplate.ifPresent(t -> check.identity("identity_template", t));
    for (int i = 0; i < dnsNameTemplates.size(); i++) {
      check.dnsName("dns_name_templates", i, dnsNameTemplates.get(i));
    }
    String identityTemplateLabel =
        top.string("identity_template_label")
            .map(v -> checks.qualifiedName("identity_template_label", v))
            .orElse(null);
    boolean useDefaultTemplate =
        mode == Mode.CRD && podLabel == null && identity.podAnnotation() == null;
    return new CrdTemplates(
        identityTemplate.orElse(useDefaultTemplate ? DEFAULT_IDENTITY_TEMPLATE : null),
        identityTemplateLabel,
        dnsNameTemplates,
        context);
  }

  private void requireNoContextReference(String key, String template) {
    if (template.replace(" ", "").contains("{{.Context.")) {
      throw top.error(
          key,
          "refers to {{.Context...}} but no context is set",
          "add the values it uses, e.g. " + top.example("context"));
    }
  }
}
