package org.spireoperator.spire;

import java.util.Objects;

/**
 * A SPIFFE ID: {@code spiffe://<trust domain><path>}, validated by the SPIFFE ID syntax rules the
 * SPIRE server applies. The path is empty or starts with {@code /}; segments are non-empty, not
 * {@code .} or {@code ..}, and use only {@code [A-Za-z0-9._-]}.
 */
public record SpiffeId(String trustDomain, String path) implements Comparable<SpiffeId> {

  private static final String SCHEME = "spiffe://";

  public SpiffeId {
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(path, "path");
    String trustDomainProblem = trustDomainProblem(trustDomain);
    if (trustDomainProblem != null) {
      throw new InvalidSpiffeIdException(SCHEME + trustDomain + path, trustDomainProblem);
    }
    String pathProblem = pathProblem(path);
    if (pathProblem != null) {
      throw new InvalidSpiffeIdException(SCHEME + trustDomain + path, pathProblem);
    }
  }

  /** Parses {@code spiffe://td/path}; throws {@link InvalidSpiffeIdException} with the reason. */
  public static SpiffeId parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidSpiffeIdException(String.valueOf(text), "is empty");
    }
    if (!text.startsWith(SCHEME)) {
      throw new InvalidSpiffeIdException(text, "must start with \"spiffe://\"");
    }
    String rest = text.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String td = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash);
    return new SpiffeId(td, path);
  }

  /** Builds an ID in {@code trustDomain} from a path, adding the leading slash if missing. */
  public static SpiffeId of(String trustDomain, String path) {
    String p = path.isEmpty() || path.startsWith("/") ? path : "/" + path;
    return new SpiffeId(trustDomain, p);
  }

  /** Null when valid, else why the trust domain name is invalid. */
  public static String trustDomainProblem(String trustDomain) {
    if (trustDomain.isEmpty()) {
      return "trust domain is missing";
    }
    if (!allChars(trustDomain, 0, trustDomain.length(), false)) {
      return "trust domain \""
          + trustDomain
          + "\" may contain only lowercase letters, digits, '.', '_' and '-'";
    }
    return null;
  }

  /** Null when valid, else why the path is invalid. */
  public static String pathProblem(String path) {
    if (path.isEmpty()) {
      return null;
    }
    if (!path.startsWith("/")) {
      return "path must start with '/'";
    }
    if (path.endsWith("/")) {
      return "path must not end with '/'";
    }
    // One scan, no regular expression: every entry a listing reads, and every entry desired,
    // checks two IDs.
    int from = 1;
    while (from <= path.length()) {
      int to = path.indexOf('/', from);
      if (to < 0) {
        to = path.length();
      }
      if (to == from) {
        return "path has an empty segment";
      }
      if (path.charAt(from) == '.'
          && (to == from + 1 || (to == from + 2 && path.charAt(from + 1) == '.'))) {
        return "path segment \"" + path.substring(from, to) + "\" is not allowed";
      }
      if (!allChars(path, from, to, true)) {
        return "path segment \""
            + path.substring(from, to)
            + "\" may contain only letters, digits, '.', '_' and '-'";
      }
      from = to + 1;
    }
    return null;
  }

  /**
   * True if {@code s[from, to)} holds only {@code [a-z0-9._-]}, and upper-case letters too when
   * {@code upper}.
   */
  private static boolean allChars(String s, int from, int to, boolean upper) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-'
              || (upper && c >= 'A' && c <= 'Z');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** This ID with {@code /segment} appended. */
  public SpiffeId child(String segment) {
    return new SpiffeId(trustDomain, path + "/" + segment);
  }

  /** True if this ID equals {@code other} or lies below it. */
  public boolean isUnder(SpiffeId other) {
    return trustDomain.equals(other.trustDomain)
        && (path.equals(other.path) || path.startsWith(other.path + "/"));
  }

  /** True if this ID lies strictly below {@code other}. */
  public boolean isBelow(SpiffeId other) {
    return trustDomain.equals(other.trustDomain) && path.startsWith(other.path + "/");
  }

  /** The ID that the SPIRE server itself has, the parent of node entries. */
  public static SpiffeId server(String trustDomain) {
    return new SpiffeId(trustDomain, "/spire/server");
  }

  @Override
  public int compareTo(SpiffeId o) {
    return toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    return SCHEME + trustDomain + path;
  }
}
