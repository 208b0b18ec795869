package org.spireoperator.spire.testserver;

import org.spireoperator.spire.SpiffeId;
import spire.api.types.SPIFFEID;

/**
 * The SPIRE server's checks of SPIFFE IDs in requests ({@code pkg/server/api/id.go}, go-spiffe's
 * parser): syntax, membership of the server's trust domain, non-empty path, and for workloads no
 * path in the reserved {@code /spire} namespace. Each check throws an {@link
 * IllegalArgumentException} with the server's (go-spiffe's) wording.
 */
final class SpiffeIdRules {

  private final String trustDomain;

  SpiffeIdRules(String trustDomain) {
    this.trustDomain = trustDomain;
  }

  String trustDomain() {
    return trustDomain;
  }

  /**
   * go-spiffe's TrustDomainFromString: a bare name, or anything containing ":/" parsed as a SPIFFE
   * ID.
   */
  static String trustDomainName(String nameOrId) {
    if (nameOrId.isEmpty()) {
      throw new IllegalArgumentException("trust domain is missing");
    }
    if (nameOrId.contains(":/")) {
      if (!nameOrId.startsWith("spiffe://")) {
        throw new IllegalArgumentException("scheme is missing or invalid");
      }
      String rest = nameOrId.substring("spiffe://".length());
      int slash = rest.indexOf('/');
      String td = slash < 0 ? rest : rest.substring(0, slash);
      if (td.isEmpty()) {
        throw new IllegalArgumentException("trust domain is missing");
      }
      requireTrustDomainChars(td);
      requireValidPath(slash < 0 ? "" : rest.substring(slash));
      return td;
    }
    requireTrustDomainChars(nameOrId);
    return nameOrId;
  }

  /** IDFromProto: syntax only, with go-spiffe's messages. */
  static SpiffeId parse(SPIFFEID id, boolean present) {
    if (!present) {
      throw new IllegalArgumentException("request must specify SPIFFE ID");
    }
    String td = trustDomainName(id.getTrustDomain());
    requireValidPath(id.getPath());
    return new SpiffeId(td, id.getPath());
  }

  private static void requireTrustDomainChars(String td) {
    for (int i = 0; i < td.length(); i++) {
      char c = td.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_')) {
        throw new IllegalArgumentException(
            "trust domain characters are limited to lowercase letters, numbers, "
                + "dots, dashes, and underscores");
      }
    }
  }

  /** go-spiffe's ValidatePath. */
  private static void requireValidPath(String path) {
    if (path.isEmpty()) {
      return;
    }
    if (path.charAt(0) != '/') {
      throw new IllegalArgumentException("path must have a leading slash");
    }
    String[] segments = path.substring(1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.isEmpty()) {
        throw new IllegalArgumentException(
            i == segments.length - 1
                ? "path cannot have a trailing slash"
                : "path cannot contain empty segments");
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("path cannot contain dot segments");
      }
      for (int j = 0; j < segment.length(); j++) {
        char c = segment.charAt(j);
        if (!(c >= 'a' && c <= 'z'
            || c >= 'A' && c <= 'Z'
            || c >= '0' && c <= '9'
            || c == '.'
            || c == '-'
            || c == '_')) {
          throw new IllegalArgumentException(
              "path segment characters are limited to letters, numbers, dots, "
                  + "dashes, and underscores");
        }
      }
    }
  }

  /**
   * TrustDomainMemberIDFromProto: in the server's trust domain, with a path (parents, parent
   * filters).
   */
  SpiffeId member(SPIFFEID proto, boolean present) {
    SpiffeId id = parse(proto, present);
    requireMember(id);
    if (id.path().isEmpty()) {
      throw new IllegalArgumentException(
          quote(id) + " is not a member of trust domain " + quote(trustDomain) + "; path is empty");
    }
    return id;
  }

  /**
   * TrustDomainWorkloadIDFromProto: a member outside {@code /spire} (entry SPIFFE IDs, SPIFFE ID
   * filters).
   */
  SpiffeId workload(SPIFFEID proto, boolean present) {
    SpiffeId id = parse(proto, present);
    requireMember(id);
    if (id.path().isEmpty()) {
      throw new IllegalArgumentException(
          quote(id)
              + " is not a workload in trust domain "
              + quote(trustDomain)
              + "; path is empty");
    }
    if (isReserved(id.path())) {
      throw new IllegalArgumentException(
          quote(id)
              + " is not a workload in trust domain "
              + quote(trustDomain)
              + "; path is in the reserved namespace");
    }
    return id;
  }

  /** TrustDomainAgentIDFromProto: a member under {@code /spire/agent/}. */
  SpiffeId agent(SPIFFEID proto, boolean present) {
    SpiffeId id = parse(proto, present);
    requireMember(id);
    if (id.path().isEmpty()) {
      throw new IllegalArgumentException(
          quote(id) + " is not an agent in trust domain " + quote(trustDomain) + "; path is empty");
    }
    if (!id.path().startsWith("/spire/agent/")) {
      throw new IllegalArgumentException(
          quote(id)
              + " is not an agent in trust domain "
              + quote(trustDomain)
              + "; path is not in the agent namespace");
    }
    return id;
  }

  static boolean isReserved(String path) {
    return path.equals("/spire") || path.startsWith("/spire/");
  }

  private void requireMember(SpiffeId id) {
    if (!id.trustDomain().equals(trustDomain)) {
      throw new IllegalArgumentException(
          quote(id) + " is not a member of trust domain " + quote(trustDomain));
    }
  }

  private static String quote(Object o) {
    return "\"" + o + "\"";
  }
}
