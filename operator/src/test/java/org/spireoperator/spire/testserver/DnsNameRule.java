package org.spireoperator.spire.testserver;

import java.net.IDN;

/**
 * The DNS name check of SPIRE's entry API ({@code x509util.ValidateLabel} with Go's IDNA profile;
 * checked against spire-server 1.10.4): ASCII only; at most one wildcard, and only as {@code *.}
 * prefix; surrounding whitespace ignored; no trailing dot; labels 1 to 63 characters and 253 in
 * all; no hyphen at either end of a label and no {@code --} in positions 3 and 4 except valid
 * {@code xn--} labels. Any other ASCII character is accepted (the profile applies no STD3 character
 * rules without its mapping step: {@code a_b}, {@code A} and even {@code a b} pass).
 */
final class DnsNameRule {

  private DnsNameRule() {}

  /** Null if the server accepts the name, else its reason. */
  static String problem(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) > 0x7f) {
        return "name must be ascii";
      }
    }
    long stars = name.chars().filter(c -> c == '*').count();
    String domain = name;
    if (stars > 1) {
      return "too many wildcards";
    }
    if (stars == 1) {
      if (!name.startsWith("*.")) {
        return "wildcard must be first label";
      }
      domain = name.substring(2);
    }
    domain = domain.strip();
    if (domain.isEmpty()) {
      return "empty or only whitespace";
    }
    if (domain.endsWith(".")) {
      return "domain ends with dot";
    }
    if (domain.length() > 253) {
      return idnaError(domain);
    }
    for (String label : domain.split("\\.", -1)) {
      if (label.isEmpty()) {
        return idnaError(domain);
      }
      if (label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
        return idnaError(label);
      }
      if (label.length() >= 4 && label.charAt(2) == '-' && label.charAt(3) == '-') {
        if (!label.regionMatches(true, 0, "xn", 0, 2) || !isValidPunycode(label)) {
          return idnaError(label);
        }
      }
    }
    return null;
  }

  private static boolean isValidPunycode(String label) {
    String decoded;
    try {
      decoded = IDN.toUnicode(label, IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return !decoded.equalsIgnoreCase(label)
        && decoded.codePoints().allMatch(c -> c == '-' || Character.isLetterOrDigit(c));
  }

  private static String idnaError(String label) {
    return "idna error\nidna: invalid label \"" + label + "\"";
  }
}
