package org.spireoperator.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spireoperator.registration.IdentityTemplate;

/**
 * crd mode's templates (upstream's keys): a pod's SPIFFE ID path and DNS names as Go templates,
 * with the values of {@code context}. Every template here parses: the loader checked each one.
 *
 * @param identityTemplate {@code identity_template} (nullable: pods are named otherwise)
 * @param identityTemplateLabel {@code identity_template_label}: only pods with this label get an
 *     identity from the template (nullable: every pod)
 * @param dnsNameTemplates {@code dns_name_templates}
 * @param context {@code context}: the values of {@code {{.Context.<name>}}}
 */
public record CrdTemplates(
    String identityTemplate,
    String identityTemplateLabel,
    List<String> dnsNameTemplates,
    Map<String, String> context) {

  private static final Pattern ACTION = Pattern.compile("\\{\\{.*?}}");

  public CrdTemplates {
    dnsNameTemplates = List.copyOf(dnsNameTemplates);
    context = Map.copyOf(context);
  }

  /** {@code identity_template}, parsed. */
  public Optional<IdentityTemplate> identity() {
    return Optional.ofNullable(identityTemplate).map(t -> parseIdentity(t, context));
  }

  /** {@code dns_name_templates}, parsed. */
  public List<IdentityTemplate> dnsNames() {
    return dnsNameTemplates.stream().map(t -> parseDnsName(t, context)).toList();
  }

  /**
   * @throws IllegalArgumentException naming the offending action
   */
  static IdentityTemplate parseIdentity(String template, Map<String, String> context) {
    return IdentityTemplate.parse(template, context);
  }

  /**
   * A DNS name template; spaces outside its actions are dropped (a DNS name has none).
   *
   * @throws IllegalArgumentException naming the offending action
   */
  static IdentityTemplate parseDnsName(String template, Map<String, String> context) {
    return IdentityTemplate.parse(withoutSpacesOutsideActions(template), context);
  }

  private static String withoutSpacesOutsideActions(String template) {
    StringBuilder out = new StringBuilder();
    Matcher action = ACTION.matcher(template);
    int last = 0;
    while (action.find()) {
      out.append(template.substring(last, action.start()).replace(" ", ""));
      out.append(action.group());
      last = action.end();
    }
    return out.append(template.substring(last).replace(" ", "")).toString();
  }
}
