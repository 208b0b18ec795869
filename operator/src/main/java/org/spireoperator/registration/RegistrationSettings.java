package org.spireoperator.registration;

import java.util.Objects;
import java.util.Set;

/**
 * Everything that decides the shape of the entries the operator wants, taken from the configuration
 * once.
 *
 * @param trustDomain the SPIRE trust domain
 * @param cluster the logical cluster name (also in the node attestor configuration)
 * @param controllerName first path segment of node entry IDs ({@code spire-k8s-registrar} by
 *     default)
 * @param nodeAttestor which node attestor the agents use
 * @param identity how a pod's SPIFFE ID is derived
 * @param podUidSelector add {@code k8s:pod-uid:<uid>} to pod entries
 * @param disabledNamespaces namespaces whose pods get no entry
 * @param addPodDnsNames add the pod's DNS names to its entry
 * @param clusterDnsZone the cluster DNS zone ({@code cluster.local})
 * @param parentMode node entry or agent ID as the parent of pod entries
 * @param podSink where pod identities are written
 * @param crdDnsNames crd mode's DNS name rules, or null
 * @param shape the selectors of pod entries
 * @param tenant tenant confinement of namespaced input
 * @param scm spire-controller-manager's API, as served
 * @param adoptUpstreamSpiffeIds {@code adopt_upstream_spiffeid_entries}: SpiffeIDs adopt the
 *     unmarked entries upstream's registrar wrote for them (see {@code reconcile.Ownership})
 */
public record RegistrationSettings(
    String trustDomain,
    String cluster,
    String controllerName,
    NodeAttestor nodeAttestor,
    PodIdentity identity,
    boolean podUidSelector,
    Set<String> disabledNamespaces,
    boolean addPodDnsNames,
    String clusterDnsZone,
    ParentMode parentMode,
    PodSink podSink,
    CrdDnsNames crdDnsNames,
    PodEntryShape shape,
    org.spireoperator.tenancy.TenantConfinement tenant,
    org.spireoperator.scm.entries.ScmIntegration scm,
    boolean adoptUpstreamSpiffeIds) {

  /**
   * crd mode's DNS names (upstream {@code dns_name_templates}, {@code add_svc_dns_name}): each
   * template rendered for the pod, then {@code <service>.<namespace>.svc} of every Service reaching
   * it. Null outside crd mode.
   */
  public record CrdDnsNames(java.util.List<IdentityTemplate> templates, boolean serviceNames) {
    public CrdDnsNames {
      templates = java.util.List.copyOf(templates);
    }
  }

  public RegistrationSettings {
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(controllerName, "controllerName");
    Objects.requireNonNull(nodeAttestor, "nodeAttestor");
    Objects.requireNonNull(identity, "identity");
    disabledNamespaces = Set.copyOf(disabledNamespaces);
    Objects.requireNonNull(clusterDnsZone, "clusterDnsZone");
    Objects.requireNonNull(parentMode, "parentMode");
    Objects.requireNonNull(podSink, "podSink");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(scm, "scm");
  }

  /** {@code spiffe://<td>/<controller_name>}: the root of node entry IDs, never a tenant's. */
  public org.spireoperator.spire.SpiffeId operatorIdRoot() {
    return new org.spireoperator.spire.SpiffeId(trustDomain, "/" + controllerName);
  }

  /** True if pods get entries (not in crd mode with {@code pod_controller = false}). */
  public boolean registersPods() {
    return podSink != PodSink.NONE;
  }

  /** True if pod entries need the Services that reach each pod (EndpointSlices are watched). */
  public boolean needsEndpoints() {
    return addPodDnsNames || (crdDnsNames != null && crdDnsNames.serviceNames());
  }

  /** Upstream reconcile mode's defaults for a trust domain and cluster. */
  public static RegistrationSettings defaults(String trustDomain, String cluster) {
    return new RegistrationSettings(
        trustDomain,
        cluster,
        "spire-k8s-registrar",
        NodeAttestor.K8S_PSAT,
        new PodIdentity.ServiceAccount(),
        false,
        Set.of("kube-system", "kube-public"),
        false,
        "cluster.local",
        ParentMode.NODE,
        PodSink.ENTRIES,
        null,
        PodEntryShape.UPSTREAM,
        org.spireoperator.tenancy.TenantConfinement.defaults(trustDomain),
        org.spireoperator.scm.entries.ScmIntegration.disabled(trustDomain),
        false);
  }

  public RegistrationSettings withNodeAttestor(NodeAttestor attestor) {
    Copy c = new Copy(this);
    c.nodeAttestor = attestor;
    return c.build();
  }

  public RegistrationSettings withIdentity(PodIdentity newIdentity) {
    Copy c = new Copy(this);
    c.identity = newIdentity;
    return c.build();
  }

  public RegistrationSettings withPodUidSelector(boolean enabled) {
    Copy c = new Copy(this);
    c.podUidSelector = enabled;
    return c.build();
  }

  public RegistrationSettings withDnsNames(boolean enabled, String zone) {
    Copy c = new Copy(this);
    c.addPodDnsNames = enabled;
    c.clusterDnsZone = zone;
    return c.build();
  }

  public RegistrationSettings withParentMode(ParentMode mode) {
    Copy c = new Copy(this);
    c.parentMode = mode;
    return c.build();
  }

  public RegistrationSettings withCrdDnsNames(CrdDnsNames names) {
    Copy c = new Copy(this);
    c.crdDnsNames = names;
    return c.build();
  }

  public RegistrationSettings withPodSink(PodSink sink) {
    Copy c = new Copy(this);
    c.podSink = sink;
    return c.build();
  }

  public RegistrationSettings withDisabledNamespaces(Set<String> namespaces) {
    Copy c = new Copy(this);
    c.disabledNamespaces = namespaces;
    return c.build();
  }

  public RegistrationSettings withShape(PodEntryShape newShape) {
    Copy c = new Copy(this);
    c.shape = newShape;
    return c.build();
  }

  public RegistrationSettings withTenant(org.spireoperator.tenancy.TenantConfinement newTenant) {
    Copy c = new Copy(this);
    c.tenant = newTenant;
    return c.build();
  }

  public RegistrationSettings withScm(org.spireoperator.scm.entries.ScmIntegration newScm) {
    Copy c = new Copy(this);
    c.scm = newScm;
    return c.build();
  }

  public RegistrationSettings withAdoptUpstreamSpiffeIds(boolean adopt) {
    Copy c = new Copy(this);
    c.adoptUpstreamSpiffeIds = adopt;
    return c.build();
  }

  /** A copy of some settings whose withers change one or two fields before {@link #build}. */
  private static final class Copy {
    private String trustDomain;
    private String cluster;
    private String controllerName;
    private NodeAttestor nodeAttestor;
    private PodIdentity identity;
    private boolean podUidSelector;
    private Set<String> disabledNamespaces;
    private boolean addPodDnsNames;
    private String clusterDnsZone;
    private ParentMode parentMode;
    private PodSink podSink;
    private CrdDnsNames crdDnsNames;
    private PodEntryShape shape;
    private org.spireoperator.tenancy.TenantConfinement tenant;
    private org.spireoperator.scm.entries.ScmIntegration scm;
    private boolean adoptUpstreamSpiffeIds;

    Copy(RegistrationSettings s) {
      trustDomain = s.trustDomain;
      cluster = s.cluster;
      controllerName = s.controllerName;
      nodeAttestor = s.nodeAttestor;
      identity = s.identity;
      podUidSelector = s.podUidSelector;
      disabledNamespaces = s.disabledNamespaces;
      addPodDnsNames = s.addPodDnsNames;
      clusterDnsZone = s.clusterDnsZone;
      parentMode = s.parentMode;
      podSink = s.podSink;
      crdDnsNames = s.crdDnsNames;
      shape = s.shape;
      tenant = s.tenant;
      scm = s.scm;
      adoptUpstreamSpiffeIds = s.adoptUpstreamSpiffeIds;
    }

    RegistrationSettings build() {
      return new RegistrationSettings(
          trustDomain,
          cluster,
          controllerName,
          nodeAttestor,
          identity,
          podUidSelector,
          disabledNamespaces,
          addPodDnsNames,
          clusterDnsZone,
          parentMode,
          podSink,
          crdDnsNames,
          shape,
          tenant,
          scm,
          adoptUpstreamSpiffeIds);
    }
  }
}
