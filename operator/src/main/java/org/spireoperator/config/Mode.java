package org.spireoperator.config;

/**
 * How the registrar finds the workloads to register ({@code mode} key).
 *
 * <p>Upstream k8s-workload-registrar defaulted to {@code webhook} (v1.3) and later required the key
 * (v1.5); this operator defaults to {@link #RECONCILE}, the mode upstream recommended.
 */
public enum Mode {
  /** Watches pods and nodes and reconciles SPIRE entries (upstream "reconcile"). */
  RECONCILE("reconcile"),
  /** Reconciles SpiffeID custom resources, created for pods or by hand (upstream "crd"). */
  CRD("crd"),
  /** Registers pods from admission requests (upstream "webhook", deprecated there). */
  WEBHOOK("webhook"),
  /**
   * Serves spire-controller-manager's API alone, as spire-controller-manager does:
   * ClusterSPIFFEIDs, ClusterStaticEntries and ClusterFederatedTrustDomains; no node entries, no
   * pod entries of the registrar's own, no SpiffeID resources. What a spire-controller-manager
   * configuration file maps to.
   */
  CONTROLLER_MANAGER("controller_manager");

  private final String hclValue;

  Mode(String hclValue) {
    this.hclValue = hclValue;
  }

  /** The value as written in the configuration file. */
  public String hclValue() {
    return hclValue;
  }
}
