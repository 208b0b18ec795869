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

  /** The settings without adoption of upstream's SpiffeID entries (the default). */
  public RegistrationSettings(
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
      org.spireoperator.scm.entries.ScmIntegration scm) {
    this(
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
        false);
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
        org.spireoperator.scm.entries.ScmIntegration.disabled(trustDomain));
  }

  public RegistrationSettings withNodeAttestor(NodeAttestor attestor) {
    return new RegistrationSettings(
        trustDomain,
        cluster,
        controllerName,
        attestor,
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

  public RegistrationSettings withIdentity(PodIdentity newIdentity) {
    return new RegistrationSettings(
        trustDomain,
        cluster,
        controllerName,
        nodeAttestor,
        newIdentity,
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

  public RegistrationSettings withPodUidSelector(boolean enabled) {
    return new RegistrationSettings(
        trustDomain,
        cluster,
        controllerName,
        nodeAttestor,
        identity,
        enabled,
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

  public RegistrationSettings withDnsNames(boolean enabled, String zone) {
    return new RegistrationSettings(
        trustDomain,
        cluster,
        controllerName,
        nodeAttestor,
        identity,
        podUidSelector,
        disabledNamespaces,
        enabled,
        zone,
        parentMode,
        podSink,
        crdDnsNames,
        shape,
        tenant,
        scm,
        adoptUpstreamSpiffeIds);
  }

  public RegistrationSettings withParentMode(ParentMode mode) {
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
        mode,
        podSink,
        crdDnsNames,
        shape,
        tenant,
        scm,
        adoptUpstreamSpiffeIds);
  }

  public RegistrationSettings withCrdDnsNames(CrdDnsNames names) {
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
        names,
        shape,
        tenant,
        scm,
        adoptUpstreamSpiffeIds);
  }

  public RegistrationSettings withPodSink(PodSink sink) {
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
        sink,
        crdDnsNames,
        shape,
        tenant,
        scm,
        adoptUpstreamSpiffeIds);
  }

  public RegistrationSettings withDisabledNamespaces(Set<String> namespaces) {
    return new RegistrationSettings(
        trustDomain,
        cluster,
        controllerName,
        nodeAttestor,
        identity,
        podUidSelector,
        namespaces,
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

  public RegistrationSettings withShape(PodEntryShape newShape) {
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
        newShape,
        tenant,
        scm,
        adoptUpstreamSpiffeIds);
  }

  public RegistrationSettings withTenant(org.spireoperator.tenancy.TenantConfinement newTenant) {
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
        newTenant,
        scm,
        adoptUpstreamSpiffeIds);
  }

  public RegistrationSettings withScm(org.spireoperator.scm.entries.ScmIntegration newScm) {
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
        newScm,
        adoptUpstreamSpiffeIds);
  }

  public RegistrationSettings withAdoptUpstreamSpiffeIds(boolean adopt) {
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
        adopt);
  }
}
