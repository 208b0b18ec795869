package org.spireoperator.spire;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A SPIFFE ID: {@code spiffe://<trust domain><path>}, validated by the SPIFFE ID syntax rules the
 * SPIRE server applies. The path is empty or starts with {@code /}; segments are non-empty, not
 * {@code .} or {@code ..}, and use only {@code [A-Za-z0-9._-]}.
 */
public record SpiffeId(String trustDomain, String path) implements Comparable<SpiffeId> {

  private static final String SCHEME = "spiffe://";
  private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]+");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

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
    if (!TRUST_DOMAIN.matcher(trustDomain).matches()) {
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
    for (String segment : path.substring(1).split("/", -1)) {
      if (segment.isEmpty()) {
        return "path has an empty segment";
      }
      if (segment.equals(".") || segment.equals("..")) {
        return "path segment \"" + segment + "\" is not allowed";
      }
      if (!SEGMENT.matcher(segment).matches()) {
        return "path segment \""
            + segment
            + "\" may contain only letters, digits, '.', '_' and '-'";
      }
    }
    return null;
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
