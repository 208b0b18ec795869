package org.spireoperator.crd;

import java.util.Optional;

/**
 * Syntax of the DNS names an X509-SVID may carry, as the SPIRE server checks them: ASCII only, RFC
 * 1123 labels of letters, digits and inner hyphens (at most 63 characters, no {@code --} in the
 * third and fourth positions unless the label is an {@code xn--} A-label), at most 253 characters,
 * no trailing dot, and a {@code *} only as the whole leftmost label of a longer name.
 */
public final class DnsNameSyntax {

  private static final int MAX_NAME_LENGTH = 253;
  private static final int MAX_LABEL_LENGTH = 63;

  private DnsNameSyntax() {}

  /** Empty when {@code name} is a valid DNS name for an SVID, else why it is not. Never throws. */
  public static Optional<String> problem(String name) {
    if (name == null) {
      return Optional.of("must not be null");
    }
    if (name.isEmpty()) {
      return Optional.of("must not be empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c > 0x7f) {
        return Optional.of(
            "may contain only ASCII characters (write international names in their xn-- form)");
      }
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        return Optional.of("must not contain whitespace or control characters");
      }
    }
    String rest = name;
    int stars = (int) name.chars().filter(c -> c == '*').count();
    if (stars > 1) {
      return Optional.of("has more than one '*'");
    }
    if (stars == 1) {
      if (!name.startsWith("*.")) {
        return Optional.of("'*' is allowed only as the whole leftmost label, as in *.example.org");
      }
      rest = name.substring(2);
    }
    if (rest.isEmpty()) {
      return Optional.of("a wildcard needs a domain after '*.'");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return Optional.of("is longer than " + MAX_NAME_LENGTH + " characters");
    }
    if (rest.endsWith(".")) {
      return Optional.of("must not end with '.'");
    }
    for (String label : rest.split("\\.", -1)) {
      Optional<String> labelProblem = labelProblem(label);
      if (labelProblem.isPresent()) {
        return labelProblem;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> labelProblem(String label) {
    if (label.isEmpty()) {
      return Optional.of("has an empty label");
    }
    if (label.length() > MAX_LABEL_LENGTH) {
      return Optional.of(
          "label \"" + label + "\" is longer than " + MAX_LABEL_LENGTH + " characters");
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!allowed) {
        return Optional.of("label \"" + label + "\" may contain only letters, digits and '-'");
      }
    }
    if (label.startsWith("-") || label.endsWith("-")) {
      return Optional.of("label \"" + label + "\" must not start or end with '-'");
    }
    if (label.length() >= 4
        && label.charAt(2) == '-'
        && label.charAt(3) == '-'
        && !label.regionMatches(true, 0, "xn", 0, 2)) {
      return Optional.of(
          "label \"" + label + "\" must not have '--' as its third and fourth characters");
    }
    return Optional.empty();
  }
}
