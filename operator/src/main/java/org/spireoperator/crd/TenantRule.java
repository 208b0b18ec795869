package org.spireoperator.crd;

/**
 * The rules {@link TenantRules} enforces; {@link #reason()} suits a Kubernetes condition reason.
 */
public enum TenantRule {
  /**
   * spec.spiffeId and spec.parentId must be in the SPIRE server's trust domain (always enforced).
   */
  TRUST_DOMAIN("TrustDomainMismatch"),
  /** Node attestor selectors (cluster, agent_node_uid) only in privileged namespaces. */
  NODE_SELECTORS("NodeSelectorsNotAllowed"),
  /** The namespace selector must be the SpiffeID's own namespace. */
  NAMESPACE("NamespaceMismatch"),
  /** downstream and admin only in privileged namespaces. */
  PRIVILEGED_FLAGS("PrivilegedFlagNotAllowed"),
  /** spec.parentId must be a node entry of this cluster or an allowed parent. */
  PARENT("ParentNotAllowed");

  private final String reason;

  TenantRule(String reason) {
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
