package org.spireoperator.config;

import java.util.List;
import java.util.Objects;

/**
 * Tenant confinement ({@code tenant { ... }} block): which parent IDs SpiffeID resources of
 * ordinary namespaces may name, and which namespaces are exempt.
 *
 * @param confine whether confinement is enforced
 * @param allowedParentIds SPIFFE IDs an unprivileged namespace may use as parent IDs
 * @param privilegedNamespaces namespaces not subject to confinement
 */
public record TenantRules(
    boolean confine, List<String> allowedParentIds, List<String> privilegedNamespaces) {

  /** Confinement on, nothing extra allowed, no privileged namespace. */
  public static final TenantRules DEFAULT = new TenantRules(true, List.of(), List.of());

  public TenantRules {
    allowedParentIds = List.copyOf(Objects.requireNonNull(allowedParentIds, "allowedParentIds"));
    privilegedNamespaces =
        List.copyOf(Objects.requireNonNull(privilegedNamespaces, "privilegedNamespaces"));
  }

  /** Whether resources in {@code namespace} escape confinement. */
  public boolean isPrivileged(String namespace) {
    return !confine || privilegedNamespaces.contains(namespace);
  }
}
