package org.spireoperator.config;

import java.util.regex.Pattern;

/** SPIFFE ID syntax, as SPIRE checks it. */
final class SpiffeSyntax {

  static final String SCHEME = "spiffe://";

  private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]+");
  private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

  private SpiffeSyntax() {}

  /** Lowercase letters, digits, '.', '_' and '-', at most 255 characters. */
  static boolean isTrustDomain(String s) {
    return s.length() <= 255 && TRUST_DOMAIN.matcher(s).matches();
  }

  /** A path segment: letters, digits, '.', '_' and '-', but not "." or "..". */
  static boolean isPathSegment(String s) {
    return PATH_SEGMENT.matcher(s).matches() && !s.equals(".") && !s.equals("..");
  }

  /**
   * {@code spiffe://<trust domain>[/<segment>...]}, without an empty segment or a trailing slash.
   */
  static boolean isSpiffeId(String s) {
    if (!s.startsWith(SCHEME)) {
      return false;
    }
    String rest = s.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String trustDomain = slash < 0 ? rest : rest.substring(0, slash);
    if (!isTrustDomain(trustDomain)) {
      return false;
    }
    if (slash < 0) {
      return true;
    }
    for (String segment : rest.substring(slash + 1).split("/", -1)) {
      if (!isPathSegment(segment)) {
        return false;
      }
    }
    return true;
  }
}
