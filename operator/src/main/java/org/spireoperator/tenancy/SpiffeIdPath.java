package org.spireoperator.tenancy;

import java.util.Objects;
import java.util.Optional;
import org.spireoperator.spire.SpiffeId;

/**
 * A namespace's part of the trust domain, from the {@code tenant.spiffe_id_path} template (default
 * {@code /ns/{{.Namespace}}/}): an ID belongs to namespace N when it lies strictly below the
 * rendered path, compared segment by segment ({@code /ns/shop} never contains {@code
 * /ns/shopping/x}).
 *
 * @param template a path that starts and ends with {@code /} and has {@code {{.Namespace}}} as one
 *     whole segment
 */
public record SpiffeIdPath(String template) {

  public static final String NAMESPACE = "{{.Namespace}}";
  public static final SpiffeIdPath DEFAULT = new SpiffeIdPath("/ns/" + NAMESPACE + "/");

  public SpiffeIdPath {
    Objects.requireNonNull(template, "template");
    String problem = problem(template);
    if (problem != null) {
      throw new IllegalArgumentException("tenant SPIFFE ID path " + template + " " + problem);
    }
  }

  /**
   * Null when {@code template} starts and ends with '/', has {@value #NAMESPACE} as exactly one
   * whole segment and only SPIFFE ID path segments besides; else what is wrong.
   */
  public static String problem(String template) {
    if (!template.startsWith("/") || !template.endsWith("/") || template.length() < 2) {
      return "must start and end with \"/\"";
    }
    String[] segments = template.substring(1, template.length() - 1).split("/", -1);
    int namespaces = 0;
    for (String segment : segments) {
      if (segment.equals(NAMESPACE)) {
        namespaces++;
      } else if (segment.contains("{{") || segment.contains("}}")) {
        return "has the segment \""
            + segment
            + "\", but the only template action it may hold is "
            + NAMESPACE
            + ", written so, as a whole path segment";
      } else if (segment.isEmpty()) {
        return "has an empty path segment (\"//\")";
      } else if (SpiffeId.pathProblem("/" + segment) != null) {
        return "has a path segment that is not letters, digits, \".\", \"_\" and \"-\": \""
            + segment
            + "\"";
      }
    }
    if (namespaces != 1) {
      return "must hold "
          + NAMESPACE
          + " exactly once, as a whole path segment (it holds it "
          + namespaces
          + " times)";
    }
    return null;
  }

  /**
   * The root of namespace {@code namespace}'s IDs, e.g. {@code spiffe://td/ns/shop}; empty when the
   * namespace name is no valid path segment (then no ID belongs to it).
   */
  public Optional<SpiffeId> rootOf(String trustDomain, String namespace) {
    if (namespace == null || namespace.isEmpty() || namespace.contains("/")) {
      return Optional.empty();
    }
    String path = template.replace(NAMESPACE, namespace);
    try {
      return Optional.of(new SpiffeId(trustDomain, path.substring(0, path.length() - 1)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** True if {@code id} lies strictly below namespace {@code namespace}'s root. */
  public boolean contains(String trustDomain, String namespace, SpiffeId id) {
    return rootOf(trustDomain, namespace).filter(id::isBelow).isPresent();
  }
}
