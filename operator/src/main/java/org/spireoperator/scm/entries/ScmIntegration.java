package org.spireoperator.scm.entries;

import java.util.Objects;

/**
 * How the operator serves spire-controller-manager's API ({@code cluster_spiffeids} block).
 *
 * @param enabled whether ClusterSPIFFEIDs, ClusterStaticEntries and ClusterFederatedTrustDomains
 *     are watched and registered
 * @param settings trust domain, cluster name and domain, class rule, ignored namespaces
 * @param parent which parent pod entries of ClusterSPIFFEIDs get
 * @param registrarPods how the registrar's own automatic pod entries combine with them
 * @param takeOverPrefix the ID prefix (dot included) of the entries spire-controller-manager wrote,
 *     taken over by this operator; null when nothing is taken over
 * @param alone only this API is served, as spire-controller-manager does ({@code mode =
 *     "controller_manager"}): no node entries, no registrar pod entries, no SpiffeID resources
 */
public record ScmIntegration(
    boolean enabled,
    ScmSettings settings,
    Parent parent,
    RegistrarPods registrarPods,
    String takeOverPrefix,
    boolean alone) {

  /** The parent of a ClusterSPIFFEID's pod entries. */
  public enum Parent {
    /**
     * spire-controller-manager's default: the {@code k8s_psat} agent ID of the pod's node, {@code
     * spiffe://<td>/spire/agent/k8s_psat/<cluster>/<node UID>}.
     */
    AGENT_BY_NODE_UID,
    /** This operator's node entry of the pod's node (per-node parenting; works with k8s_sat). */
    NODE_ENTRY
  }

  /** How the registrar's automatic pod entries combine with ClusterSPIFFEIDs. */
  public enum RegistrarPods {
    /**
     * A pod that gets an entry from a ClusterSPIFFEID gets no registrar entry (the registrar's
     * identity is a fallback, as spire-controller-manager's {@code fallback: true}).
     */
    FALLBACK,
    /** Both. */
    ALWAYS,
    /** Only ClusterSPIFFEIDs give pods entries. */
    OFF
  }

  public ScmIntegration {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(registrarPods, "registrarPods");
    if (alone
        && (!enabled || parent != Parent.AGENT_BY_NODE_UID || registrarPods != RegistrarPods.OFF)) {
      throw new IllegalArgumentException(
          "serving spire-controller-manager's API alone needs it enabled, agent parents and no"
              + " registrar pod entries");
    }
  }

  /** Served without taking over any entry. */
  public ScmIntegration(
      boolean enabled, ScmSettings settings, Parent parent, RegistrarPods registrarPods) {
    this(enabled, settings, parent, registrarPods, null, false);
  }

  /** Not served: the registrar's rules alone. */
  public static ScmIntegration disabled(String trustDomain) {
    return new ScmIntegration(
        false,
        new ScmSettings(trustDomain, "", "", ClassRule.classless(), IgnoredNamespaces.NONE),
        Parent.AGENT_BY_NODE_UID,
        RegistrarPods.FALLBACK);
  }
}
