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
    if (!template.startsWith("/") || !template.endsWith("/") || template.length() < 3) {
      throw new IllegalArgumentException("must start and end with '/': " + template);
    }
    if (!("/" + template).contains("/" + NAMESPACE + "/")) {
      throw new IllegalArgumentException(
          "must contain " + NAMESPACE + " as a whole path segment: " + template);
    }
    String rest = template.replace(NAMESPACE, "x");
    if (rest.contains("{{") || rest.contains("}}")) {
      throw new IllegalArgumentException("may use no template action but " + NAMESPACE);
    }
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
