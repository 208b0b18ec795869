package org.spireoperator.tenancy;

/** The rules of tenant confinement; {@link #reason()} suits a Kubernetes condition reason. */
public enum TenantRule {
  /** IDs must be in the SPIRE server's trust domain (always enforced). */
  TRUST_DOMAIN("TrustDomainMismatch"),
  /** Node attestor selectors (cluster, agent_node_uid) only in privileged namespaces. */
  NODE_SELECTORS("NodeSelectorsNotAllowed"),
  /** The entry must select workloads of the object's own namespace only. */
  NAMESPACE("NamespaceMismatch"),
  /** The SPIFFE ID must lie under the namespace's part of the trust domain. */
  SPIFFE_ID_PATH("SpiffeIdOutsideNamespace"),
  /** The SPIFFE ID must not be, or lie under, an ID reserved for SPIRE or this operator. */
  RESERVED_ID("ReservedSpiffeId"),
  /** downstream and admin only in privileged namespaces. */
  PRIVILEGED_FLAGS("PrivilegedFlagNotAllowed"),
  /** The parent must be a node entry of this cluster or an allowed parent. */
  PARENT("ParentNotAllowed"),
  /** DNS names must belong to the namespace (or an allowed suffix). */
  DNS_NAME("DnsNameNotAllowed");

  private final String reason;

  TenantRule(String reason) {
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
