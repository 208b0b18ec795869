package org.spireoperator.scm.entries;

import java.util.Objects;
import org.spireoperator.spire.SpiffeId;

/**
 * The controller-wide settings spire-controller-manager renders entries with: trust domain, cluster
 * name and DNS domain (template data), which classes of objects it handles and which namespaces it
 * ignores.
 */
public record ScmSettings(
    String trustDomain,
    String clusterName,
    String clusterDomain,
    ClassRule classRule,
    IgnoredNamespaces ignoredNamespaces) {

  public ScmSettings {
    Objects.requireNonNull(trustDomain, "trustDomain");
    String problem = SpiffeId.trustDomainProblem(trustDomain);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    clusterName = clusterName == null ? "" : clusterName;
    clusterDomain = clusterDomain == null ? "" : clusterDomain;
    classRule = classRule == null ? ClassRule.classless() : classRule;
    ignoredNamespaces = ignoredNamespaces == null ? IgnoredNamespaces.NONE : ignoredNamespaces;
  }
}
