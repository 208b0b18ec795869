package org.spireoperator.config;

import java.util.List;
import java.util.Objects;

/**
 * The operator's configuration, read from one HCL file by {@link ConfigLoader}: every value
 * checked, typed and defaulted, grouped by concern. Components are never null; components of the
 * groups marked nullable are null when the key is not set. docs/CONFIG.md describes each key.
 *
 * @param mode {@code mode}
 * @param identity SPIFFE IDs and entry shapes: trust domain, cluster, how pods are named
 * @param templates crd mode's identity and DNS name templates with their {@code context}
 * @param dnsNames the DNS names of pod entries
 * @param agents the cluster's SPIRE agents and the parents of pod entries
 * @param spire the connection to the SPIRE server
 * @param reconciliation the full pass and crd mode's pod controller
 * @param leaderElection leader election among replicas
 * @param tenant tenant confinement of SpiffeID resources
 * @param observability logs, metrics and health endpoints
 * @param admissionWebhook webhook mode's pod admission endpoint
 * @param spiffeIdWebhook crd mode's SpiffeID validating webhook
 * @param clusterSpiffeIds how spire-controller-manager's API is served
 * @param warnings problems that did not stop the configuration from loading, to log
 */
public record RegistrarConfig(
    Mode mode,
    Identity identity,
    CrdTemplates templates,
    DnsNameSettings dnsNames,
    SpireAgents agents,
    SpireConnection spire,
    Reconciliation reconciliation,
    LeaderElectionSettings leaderElection,
    TenantSettings tenant,
    Observability observability,
    AdmissionWebhook admissionWebhook,
    SpiffeIdWebhook spiffeIdWebhook,
    ClusterSpiffeIdSettings clusterSpiffeIds,
    List<String> warnings) {

  public RegistrarConfig {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(clusterSpiffeIds, "clusterSpiffeIds");
    Objects.requireNonNull(templates, "templates");
    Objects.requireNonNull(dnsNames, "dnsNames");
    Objects.requireNonNull(agents, "agents");
    Objects.requireNonNull(spire, "spire");
    Objects.requireNonNull(reconciliation, "reconciliation");
    Objects.requireNonNull(leaderElection, "leaderElection");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(observability, "observability");
    Objects.requireNonNull(admissionWebhook, "admissionWebhook");
    Objects.requireNonNull(spiffeIdWebhook, "spiffeIdWebhook");
    warnings = List.copyOf(warnings);
  }

  /** The same configuration with further warnings to log. */
  public RegistrarConfig withWarnings(List<String> more) {
    List<String> all = new java.util.ArrayList<>(warnings);
    all.addAll(more);
    return new RegistrarConfig(
        mode,
        identity,
        templates,
        dnsNames,
        agents,
        spire,
        reconciliation,
        leaderElection,
        tenant,
        observability,
        admissionWebhook,
        spiffeIdWebhook,
        clusterSpiffeIds,
        all);
  }

  /**
   * The metrics listen address of the running mode ("0" when disabled): crd reads
   * metrics_bind_addr.
   */
  public String effectiveMetricsAddr() {
    return observability.metricsAddr(mode);
  }

  /** Whether metrics are served at all. */
  public boolean metricsEnabled() {
    return !effectiveMetricsAddr().equals(Observability.DISABLED);
  }
}
