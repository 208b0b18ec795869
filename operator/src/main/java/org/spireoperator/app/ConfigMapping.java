package org.spireoperator.app;

import java.time.Duration;
import java.util.HashSet;
import org.spireoperator.config.Mode;
import org.spireoperator.config.RegistrarConfig;
import org.spireoperator.k8s.AgentPodSelector;
import org.spireoperator.registration.IdentityTemplate;
import org.spireoperator.registration.PodIdentity;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.spire.SpireAddress;
import org.spireoperator.spire.SpireClientSettings;

/** Turns the validated configuration into the settings of each part. */
public final class ConfigMapping {

  /** Upstream crd mode's identity template when neither pod_label nor pod_annotation is set. */
  static final String DEFAULT_CRD_TEMPLATE = "ns/{{.Pod.Namespace}}/sa/{{.Pod.ServiceAccount}}";

  private ConfigMapping() {}

  public static RegistrationSettings registration(RegistrarConfig c) {
    return new RegistrationSettings(
        c.trustDomain(),
        c.cluster(),
        c.controllerName(),
        c.nodeAttestor(),
        identity(c),
        c.podUidSelector(),
        new HashSet<>(c.disabledNamespaces()),
        c.addPodDnsNames(),
        c.clusterDnsZone(),
        c.parentMode(),
        podSink(c),
        crdDnsNames(c),
        org.spireoperator.registration.PodEntryShape.UPSTREAM,
        tenantConfinement(c));
  }

  /** The marks of the entries this operator creates. */
  public static org.spireoperator.registration.EntryIds entryIds(RegistrarConfig c) {
    return org.spireoperator.registration.EntryIds.forCluster(c.controllerName(), c.cluster());
  }

  static RegistrationSettings.CrdDnsNames crdDnsNames(RegistrarConfig c) {
    if (c.mode() != Mode.CRD) {
      return null;
    }
    return new RegistrationSettings.CrdDnsNames(
        c.dnsNameTemplates().stream()
            .map(t -> IdentityTemplate.parse(t.replace(" ", ""), c.context()))
            .toList(),
        c.addSvcDnsName());
  }

  static org.spireoperator.registration.PodSink podSink(RegistrarConfig c) {
    if (c.mode() != Mode.CRD) {
      return org.spireoperator.registration.PodSink.ENTRIES;
    }
    return c.podController()
        ? org.spireoperator.registration.PodSink.SPIFFEID_MIRROR
        : org.spireoperator.registration.PodSink.NONE;
  }

  static PodIdentity identity(RegistrarConfig c) {
    if (c.podLabel() != null) {
      return new PodIdentity.Label(c.podLabel());
    }
    if (c.podAnnotation() != null) {
      return new PodIdentity.Annotation(c.podAnnotation());
    }
    if (c.identityTemplate() != null || c.mode() == Mode.CRD) {
      String template = c.identityTemplate() != null ? c.identityTemplate() : DEFAULT_CRD_TEMPLATE;
      return new PodIdentity.Template(
          IdentityTemplate.parse(template, c.context()), c.identityTemplateLabel());
    }
    return new PodIdentity.ServiceAccount();
  }

  public static SpireClientSettings spireClient(RegistrarConfig c) {
    return SpireClientSettings.defaults().withTimeout(c.spireTimeout()).withPageSize(c.pageSize());
  }

  public static SpireAddress spireAddress(RegistrarConfig c) {
    return SpireAddress.parse(c.serverAddress());
  }

  public static OperatorOptions options(RegistrarConfig c, String identity) {
    OperatorOptions.LeaderElection le =
        c.leaderElection()
            ? OperatorOptions.LeaderElection.of(
                c.leaderElectionLeaseName(), c.leaderElectionNamespace(), identity)
            : null;
    return new OperatorOptions(
        c.resyncPeriod(),
        c.batchSize(),
        2,
        Math.max(10, c.batchSize()),
        new AgentPodSelector(c.agentNamespace(), c.agentPodLabels()),
        le,
        true);
  }

  /** Tenant confinement as configured. */
  public static org.spireoperator.tenancy.TenantConfinement tenantConfinement(RegistrarConfig c) {
    var t = c.tenantConfinement();
    java.util.Set<org.spireoperator.spire.SpiffeId> parents = new java.util.HashSet<>();
    t.allowedParentIds().forEach(id -> parents.add(org.spireoperator.spire.SpiffeId.parse(id)));
    return new org.spireoperator.tenancy.TenantConfinement(
        c.trustDomain(),
        t.confine(),
        new HashSet<>(t.privilegedNamespaces()),
        org.spireoperator.tenancy.SpiffeIdPath.DEFAULT,
        java.util.Set.of(),
        parents,
        java.util.Set.of(),
        c.clusterDnsZone());
  }

  /** The SpiffeID admission rules (controller and webhook share them). */
  public static org.spireoperator.crd.SpiffeIdRules spiffeIdRules(RegistrarConfig c) {
    RegistrationSettings settings = registration(c);
    return new org.spireoperator.crd.SpiffeIdRules(settings.tenant(), settings.operatorIdRoot());
  }

  static Duration readinessCache() {
    return Duration.ofSeconds(10);
  }
}
