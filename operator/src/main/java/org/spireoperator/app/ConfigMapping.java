package org.spireoperator.app;

import java.util.HashSet;
import java.util.Set;
import org.spireoperator.config.ClusterSpiffeIdSettings;
import org.spireoperator.config.Identity;
import org.spireoperator.config.LeaderElectionSettings;
import org.spireoperator.config.Mode;
import org.spireoperator.config.RegistrarConfig;
import org.spireoperator.config.TenantSettings;
import org.spireoperator.crd.SpiffeIdRules;
import org.spireoperator.k8s.AgentPodSelector;
import org.spireoperator.registration.EntryIds;
import org.spireoperator.registration.PodIdentity;
import org.spireoperator.registration.PodSink;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.scm.entries.ClassRule;
import org.spireoperator.scm.entries.IgnoredNamespaces;
import org.spireoperator.scm.entries.ScmIntegration;
import org.spireoperator.scm.entries.ScmSettings;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireAddress;
import org.spireoperator.spire.SpireClientSettings;
import org.spireoperator.tenancy.SpiffeIdPath;
import org.spireoperator.tenancy.TenantConfinement;

/** Turns the validated configuration into the settings of each part. */
public final class ConfigMapping {

  private ConfigMapping() {}

  public static RegistrationSettings registration(RegistrarConfig c) {
    Identity id = c.identity();
    return new RegistrationSettings(
        id.trustDomain(),
        id.cluster(),
        id.controllerName(),
        c.agents().nodeAttestor(),
        identity(c),
        id.podUidSelector(),
        new HashSet<>(id.disabledNamespaces()),
        c.dnsNames().addPodDnsNames(),
        c.dnsNames().clusterDnsZone(),
        c.agents().parentMode(),
        podSink(c),
        crdDnsNames(c),
        id.podEntryShape(),
        tenantConfinement(c),
        scm(c),
        c.reconciliation().adoptUpstreamSpiffeIdEntries());
  }

  /** spire-controller-manager's API as configured ({@code cluster_spiffeids}). */
  public static ScmIntegration scm(RegistrarConfig c) {
    ClusterSpiffeIdSettings s = c.clusterSpiffeIds();
    IgnoredNamespaces ignored = IgnoredNamespaces.of(s.ignoreNamespaces()).orElseThrow();
    boolean alone = c.mode() == Mode.CONTROLLER_MANAGER;
    return new ScmIntegration(
        s.enabled(),
        new ScmSettings(
            c.identity().trustDomain(),
            c.identity().cluster(),
            s.clusterDomain(),
            new ClassRule(s.className(), s.watchClassless()),
            ignored),
        s.parent().equals("node_entry")
            ? ScmIntegration.Parent.NODE_ENTRY
            : ScmIntegration.Parent.AGENT_BY_NODE_UID,
        alone
            ? ScmIntegration.RegistrarPods.OFF
            : ScmIntegration.RegistrarPods.valueOf(
                s.registrarPodEntries().toUpperCase(java.util.Locale.ROOT)),
        s.takeOverEntryIdPrefix(),
        alone);
  }

  /** The marks of the entries this operator creates. */
  public static EntryIds entryIds(RegistrarConfig c) {
    return new EntryIds(c.identity().entryIdPrefix());
  }

  static RegistrationSettings.CrdDnsNames crdDnsNames(RegistrarConfig c) {
    if (c.mode() != Mode.CRD) {
      return null;
    }
    return new RegistrationSettings.CrdDnsNames(
        c.templates().dnsNames(), c.dnsNames().addSvcDnsName());
  }

  static PodSink podSink(RegistrarConfig c) {
    if (c.mode() != Mode.CRD) {
      return PodSink.ENTRIES;
    }
    return c.reconciliation().podController() ? PodSink.SPIFFEID_MIRROR : PodSink.NONE;
  }

  /** The loader gives crd mode a default identity_template unless pods are named otherwise. */
  static PodIdentity identity(RegistrarConfig c) {
    Identity id = c.identity();
    if (id.podLabel() != null) {
      return new PodIdentity.Label(id.podLabel());
    }
    if (id.podAnnotation() != null) {
      return new PodIdentity.Annotation(id.podAnnotation());
    }
    return c.templates()
        .identity()
        .<PodIdentity>map(t -> new PodIdentity.Template(t, c.templates().identityTemplateLabel()))
        .orElseGet(PodIdentity.ServiceAccount::new);
  }

  public static SpireClientSettings spireClient(RegistrarConfig c) {
    return SpireClientSettings.defaults()
        .withTimeout(c.spire().timeout())
        .withPageSize(c.spire().pageSize());
  }

  public static SpireAddress spireAddress(RegistrarConfig c) {
    return SpireAddress.parse(c.spire().serverAddress());
  }

  public static OperatorOptions options(RegistrarConfig c, String identity) {
    LeaderElectionSettings election = c.leaderElection();
    OperatorOptions.LeaderElection le =
        election.enabled()
            ? OperatorOptions.LeaderElection.of(
                election.leaseName(), election.namespace(), identity)
            : null;
    int batchSize = c.spire().batchSize();
    return new OperatorOptions(
        c.reconciliation().resyncPeriod(),
        batchSize,
        2,
        Math.max(10, batchSize),
        new AgentPodSelector(c.agents().namespace(), c.agents().podLabels()),
        le,
        true);
  }

  /** Tenant confinement as configured. */
  public static TenantConfinement tenantConfinement(RegistrarConfig c) {
    TenantSettings t = c.tenant();
    return new TenantConfinement(
        c.identity().trustDomain(),
        t.confine(),
        new HashSet<>(t.privilegedNamespaces()),
        new SpiffeIdPath(t.spiffeIdPath()),
        ids(t.reservedIds()),
        ids(t.allowedParentIds()),
        new HashSet<>(t.allowedDnsSuffixes()),
        c.dnsNames().clusterDnsZone());
  }

  private static Set<SpiffeId> ids(java.util.List<String> ids) {
    Set<SpiffeId> out = new HashSet<>();
    ids.forEach(id -> out.add(SpiffeId.parse(id)));
    return out;
  }

  /** The SpiffeID admission rules (controller and webhook share them). */
  public static SpiffeIdRules spiffeIdRules(RegistrarConfig c) {
    RegistrationSettings settings = registration(c);
    return new SpiffeIdRules(settings.tenant(), settings.operatorIdRoot());
  }
}
