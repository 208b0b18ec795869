package org.spireoperator.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.spireoperator.registration.NodeAttestor;
import org.spireoperator.registration.ParentMode;

/**
 * The operator's configuration, read from one HCL file by {@link ConfigLoader}: every value
 * checked, typed and defaulted. Components marked nullable are null when the key is not set; all
 * others are never null. docs/CONFIG.md describes each key.
 *
 * @param logLevel {@code log_level}: trace, debug, info, warn or error
 * @param logPath {@code log_path}: file to log to (nullable: standard output)
 * @param logFormat {@code log_format}: "text" or "json"
 * @param trustDomain {@code trust_domain}, e.g. example.org
 * @param agentSocketPath {@code agent_socket_path} (nullable; required for a TCP server address)
 * @param serverAddress {@code server_address} or unix:// + {@code server_socket_path}
 * @param cluster {@code cluster}
 * @param podLabel {@code pod_label} (nullable)
 * @param podAnnotation {@code pod_annotation} (nullable)
 * @param mode {@code mode}
 * @param disabledNamespaces {@code disabled_namespaces}
 * @param leaderElection {@code leader_election}
 * @param leaderElectionResourceLock {@code leader_election_resource_lock}: always "leases"
 * @param metricsAddr {@code metrics_addr} (reconcile mode), "0" disables
 * @param controllerName {@code controller_name}
 * @param addPodDnsNames {@code add_pod_dns_names}
 * @param clusterDnsZone {@code cluster_dns_zone}
 * @param podController {@code pod_controller} (crd mode)
 * @param addSvcDnsName {@code add_svc_dns_name} (crd mode)
 * @param identityTemplate {@code identity_template} (crd mode; nullable)
 * @param identityTemplateLabel {@code identity_template_label} (crd mode; nullable)
 * @param dnsNameTemplates {@code dns_name_templates} (crd mode)
 * @param context {@code context} (crd mode): values for {@code {{.Context.x}}}
 * @param webhookEnabled {@code webhook_enabled} (crd mode)
 * @param webhookCertDir {@code webhook_cert_dir} (crd mode)
 * @param webhookPort {@code webhook_port} (crd mode)
 * @param webhookServiceName {@code webhook_service_name} (crd mode)
 * @param metricsBindAddr {@code metrics_bind_addr} (crd mode), "0" disables
 * @param addr {@code addr} (webhook mode)
 * @param certPath {@code cert_path} (webhook mode)
 * @param keyPath {@code key_path} (webhook mode)
 * @param cacertPath {@code cacert_path} (webhook mode)
 * @param insecureSkipClientVerification {@code insecure_skip_client_verification} (webhook mode)
 * @param nodeAttestor {@code node_attestor}
 * @param agentNamespace {@code agent_namespace}
 * @param agentPodSelector {@code agent_pod_selector} as written, e.g. "app=spire-agent"
 * @param agentPodLabels {@code agent_pod_selector} as labels, e.g. {app=spire-agent}
 * @param parentMode {@code parent_mode}
 * @param podUidSelector {@code pod_uid_selector}
 * @param resyncPeriod {@code resync_period} (positive)
 * @param batchSize {@code batch_size} (1 to 1000)
 * @param pageSize {@code page_size} (1 to 10000)
 * @param spireTimeout {@code spire_timeout} (positive)
 * @param healthAddr {@code health_addr}
 * @param tenantConfinement {@code tenant} block
 * @param leaderElectionNamespace {@code leader_election_namespace}
 * @param leaderElectionLeaseName {@code leader_election_lease_name}
 * @param warnings problems that did not stop the configuration from loading, to log
 */
public record RegistrarConfig(
    String logLevel,
    String logPath,
    String logFormat,
    String trustDomain,
    String agentSocketPath,
    String serverAddress,
    String cluster,
    String podLabel,
    String podAnnotation,
    Mode mode,
    List<String> disabledNamespaces,
    boolean leaderElection,
    String leaderElectionResourceLock,
    String metricsAddr,
    String controllerName,
    boolean addPodDnsNames,
    String clusterDnsZone,
    boolean podController,
    boolean addSvcDnsName,
    String identityTemplate,
    String identityTemplateLabel,
    List<String> dnsNameTemplates,
    Map<String, String> context,
    boolean webhookEnabled,
    String webhookCertDir,
    int webhookPort,
    String webhookServiceName,
    String metricsBindAddr,
    String addr,
    String certPath,
    String keyPath,
    String cacertPath,
    boolean insecureSkipClientVerification,
    NodeAttestor nodeAttestor,
    String agentNamespace,
    String agentPodSelector,
    Map<String, String> agentPodLabels,
    ParentMode parentMode,
    boolean podUidSelector,
    Duration resyncPeriod,
    int batchSize,
    int pageSize,
    Duration spireTimeout,
    String healthAddr,
    TenantRules tenantConfinement,
    String leaderElectionNamespace,
    String leaderElectionLeaseName,
    List<String> warnings) {

  public static final int MAX_BATCH_SIZE = 1000;
  public static final int MAX_PAGE_SIZE = 10_000;

  public RegistrarConfig {
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(logFormat, "logFormat");
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(serverAddress, "serverAddress");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(mode, "mode");
    disabledNamespaces = List.copyOf(disabledNamespaces);
    Objects.requireNonNull(leaderElectionResourceLock, "leaderElectionResourceLock");
    Objects.requireNonNull(metricsAddr, "metricsAddr");
    Objects.requireNonNull(controllerName, "controllerName");
    Objects.requireNonNull(clusterDnsZone, "clusterDnsZone");
    dnsNameTemplates = List.copyOf(dnsNameTemplates);
    context = Map.copyOf(context);
    Objects.requireNonNull(webhookCertDir, "webhookCertDir");
    Objects.requireNonNull(webhookServiceName, "webhookServiceName");
    Objects.requireNonNull(metricsBindAddr, "metricsBindAddr");
    Objects.requireNonNull(addr, "addr");
    Objects.requireNonNull(certPath, "certPath");
    Objects.requireNonNull(keyPath, "keyPath");
    Objects.requireNonNull(cacertPath, "cacertPath");
    Objects.requireNonNull(nodeAttestor, "nodeAttestor");
    Objects.requireNonNull(agentNamespace, "agentNamespace");
    Objects.requireNonNull(agentPodSelector, "agentPodSelector");
    agentPodLabels = Map.copyOf(agentPodLabels);
    Objects.requireNonNull(parentMode, "parentMode");
    Objects.requireNonNull(healthAddr, "healthAddr");
    Objects.requireNonNull(tenantConfinement, "tenantConfinement");
    Objects.requireNonNull(leaderElectionNamespace, "leaderElectionNamespace");
    Objects.requireNonNull(leaderElectionLeaseName, "leaderElectionLeaseName");
    warnings = List.copyOf(warnings);
    if (cluster.isEmpty()) {
      throw new IllegalArgumentException("cluster must not be empty");
    }
    if (podLabel != null && podAnnotation != null) {
      throw new IllegalArgumentException("podLabel and podAnnotation exclude each other");
    }
    if (!isPositive(resyncPeriod) || !isPositive(spireTimeout)) {
      throw new IllegalArgumentException("resyncPeriod and spireTimeout must be positive");
    }
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("batchSize must be within 1.." + MAX_BATCH_SIZE);
    }
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("pageSize must be within 1.." + MAX_PAGE_SIZE);
    }
    if (webhookPort < 1 || webhookPort > 65535) {
      throw new IllegalArgumentException("webhookPort must be a TCP port");
    }
  }

  private static boolean isPositive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }

  /**
   * Whether the SPIRE server is reached over its local Unix domain socket (admin without
   * credentials).
   */
  public boolean serverIsUnixSocket() {
    return Addresses.isUnixSocket(serverAddress);
  }

  /** The server's Unix domain socket path, when {@link #serverIsUnixSocket()}. */
  public Optional<Path> serverSocketPath() {
    return serverIsUnixSocket()
        ? Optional.of(Path.of(serverAddress.substring(Addresses.UNIX_SCHEME.length())))
        : Optional.empty();
  }

  /**
   * The metrics listen address of the running mode ("0" when disabled): crd reads
   * metrics_bind_addr.
   */
  public String effectiveMetricsAddr() {
    return mode == Mode.CRD ? metricsBindAddr : metricsAddr;
  }

  /** Whether metrics are served at all. */
  public boolean metricsEnabled() {
    return !effectiveMetricsAddr().equals("0");
  }
}
