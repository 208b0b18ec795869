package org.spireoperator.config;

import java.util.Map;
import java.util.function.BiFunction;
import org.spireoperator.registration.IdentityTemplate;

/**
 * Parses crd mode's templates when the file is read, so a template the operator cannot render stops
 * loading with a one-line message naming the key, instead of failing later.
 */
final class TemplateCheck {

  private static final String PREFIX = "identity template \"";
  private static final String UNSUPPORTED = ": unsupported action ";
  private static final String UNBALANCED = ": unbalanced ";
  private static final String CONTEXT = " references .Context.";

  private final HclBlock block;
  private final Map<String, String> context;

  TemplateCheck(HclBlock block, Map<String, String> context) {
    this.block = block;
    this.context = context;
  }

  /** {@code identity_template}'s value parses. */
  void identity(String key, String template) {
    check(key, "", template, CrdTemplates::parseIdentity);
  }

  /** Item {@code index} (from 0) of {@code dns_name_templates} parses. */
  void dnsName(String key, int index, String template) {
    check(key, "item " + (index + 1) + " ", template, CrdTemplates::parseDnsName);
  }

  private void check(
      String key,
      String item,
      String template,
      BiFunction<String, Map<String, String>, IdentityTemplate> parser) {
    try {
      parser.apply(template, context);
    } catch (IllegalArgumentException e) {
      throw error(key, item, template, String.valueOf(e.getMessage()));
    }
  }

  /** Turns the parser's message, {@code identity template "<source>"<reason>}, into key form. */
  private ConfigException error(String key, String item, String template, String message) {
    String in = " in " + HclBlock.describe(template);
    int end = message.startsWith(PREFIX) ? endOfQuotedSource(message) : -1;
    String reason = end < 0 ? message : message.substring(end);
    if (reason.startsWith(UNSUPPORTED)) {
      String rest = reason.substring(UNSUPPORTED.length());
      int use = rest.indexOf("; use ");
      String action = use < 0 ? rest : rest.substring(0, use);
      String fix = use < 0 ? "see docs/CONFIG.md" : rest.substring(use + 2);
      return block.error(key, item + "has an unsupported action " + action + in, fix);
    }
    if (reason.startsWith(UNBALANCED)) {
      return block.error(
          key,
          item + "has an unbalanced \"{{\" or \"}}\"" + in,
          "close every {{ with }}, e.g. " + block.example(key));
    }
    if (reason.startsWith(CONTEXT)) {
      String name = reason.substring(CONTEXT.length()).split("[ ,]", 2)[0];
      return block.error(
          key,
          item + "refers to .Context." + name + in + ", which \"context\" does not define",
          "add it, e.g. context { " + name + " = \"...\" }");
    }
    return block.error(
        key, item + "is not a template this operator reads" + in + " (" + message + ")", "fix it");
  }

  /** Where the reason starts in {@code identity template "<source>"<reason>}. */
  private static int endOfQuotedSource(String message) {
    for (String marker : new String[] {UNSUPPORTED, UNBALANCED, CONTEXT}) {
      int at = message.lastIndexOf("\"" + marker);
      if (at > 0) {
        return at + 1;
      }
    }
    return -1;
  }
}
