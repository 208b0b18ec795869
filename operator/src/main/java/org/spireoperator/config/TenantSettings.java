package org.spireoperator.config;

import java.util.List;
import java.util.Objects;

/**
 * Tenant confinement of SpiffeID resources ({@code tenant { ... }} block): what SpiffeID resources
 * of ordinary namespaces may name, and which namespaces are exempt.
 *
 * @param confine {@code tenant.confine}: whether confinement is enforced
 * @param allowedParentIds {@code tenant.allowed_parent_ids}: further SPIFFE IDs an unprivileged
 *     namespace may use as parent IDs
 * @param privilegedNamespaces {@code tenant.privileged_namespaces}: namespaces not subject to
 *     confinement
 * @param spiffeIdPath {@code tenant.spiffe_id_path}: the path under which a namespace's SPIFFE IDs
 *     lie, with {@value #NAMESPACE} standing for the namespace, e.g. {@code /ns/{{.Namespace}}/}
 * @param reservedIds {@code tenant.reserved_ids}: SPIFFE IDs of the trust domain no unprivileged
 *     namespace may claim
 * @param allowedDnsSuffixes {@code tenant.allowed_dns_suffixes}: DNS suffixes such as {@code
 *     .example.com} that unprivileged namespaces may use in DNS names
 */
public record TenantSettings(
    boolean confine,
    List<String> allowedParentIds,
    List<String> privilegedNamespaces,
    String spiffeIdPath,
    List<String> reservedIds,
    List<String> allowedDnsSuffixes) {

  /** The template action of {@link #spiffeIdPath()} that stands for the namespace. */
  public static final String NAMESPACE = "{{.Namespace}}";

  /** {@code tenant.spiffe_id_path}'s default. */
  public static final String DEFAULT_SPIFFE_ID_PATH = "/ns/" + NAMESPACE + "/";

  /** Confinement on, IDs under /ns/&lt;namespace&gt;/, nothing extra allowed or reserved. */
  public static final TenantSettings DEFAULT =
      new TenantSettings(true, List.of(), List.of(), DEFAULT_SPIFFE_ID_PATH, List.of(), List.of());

  public TenantSettings {
    allowedParentIds = List.copyOf(Objects.requireNonNull(allowedParentIds, "allowedParentIds"));
    privilegedNamespaces =
        List.copyOf(Objects.requireNonNull(privilegedNamespaces, "privilegedNamespaces"));
    Objects.requireNonNull(spiffeIdPath, "spiffeIdPath");
    if (org.spireoperator.tenancy.SpiffeIdPath.problem(spiffeIdPath) != null) {
      throw new IllegalArgumentException(
          "spiffeIdPath "
              + spiffeIdPath
              + ": "
              + org.spireoperator.tenancy.SpiffeIdPath.problem(spiffeIdPath));
    }
    reservedIds = List.copyOf(Objects.requireNonNull(reservedIds, "reservedIds"));
    allowedDnsSuffixes =
        List.copyOf(Objects.requireNonNull(allowedDnsSuffixes, "allowedDnsSuffixes"));
  }

  /** Whether resources in {@code namespace} escape confinement. */
  public boolean isPrivileged(String namespace) {
    return !confine || privilegedNamespaces.contains(namespace);
  }

  /** The path under which {@code namespace}'s SPIFFE IDs lie, e.g. {@code /ns/shop/}. */
  public String spiffeIdPathOf(String namespace) {
    return spiffeIdPath.replace(NAMESPACE, namespace);
  }
}
