package org.spireoperator.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.spireoperator.registration.NodeAttestor;
import org.spireoperator.registration.ParentMode;
import org.spireoperator.registration.PodEntryShape;

/**
 * The one mapping from the parsed file to a {@link RegistrarConfig}: each key is read once, into
 * the group it belongs to, with its default, checks, contradictions and warnings; here, or for crd
 * mode's templating keys in {@link CrdTemplatesReader} and for the tenant block in {@link
 * TenantReader}.
 */
final class ConfigReader {

  static final String DEFAULT_SERVER_ADDRESS = "unix:///tmp/spire-server/private/api.sock";
  static final List<String> DEFAULT_DISABLED_NAMESPACES = List.of("kube-system", "kube-public");
  static final String LEASES = "leases";

  /** Lock types client-go once offered; Kubernetes now only has leases. */
  static final Set<String> RETIRED_LOCKS =
      Set.of("configmaps", "endpoints", "configmapsleases", "endpointsleases");

  /**
   * Environment variables naming the operator's own namespace (downward API); upstream read
   * MY_POD_NAMESPACE.
   */
  static final List<String> NAMESPACE_VARIABLES = List.of("POD_NAMESPACE", "MY_POD_NAMESPACE");

  private static final Map<String, String> LOG_LEVELS =
      Map.of(
          "trace", "trace", "debug", "debug", "info", "info", "warn", "warn", "warning", "warn",
          "error", "error", "fatal", "error", "panic", "error");

  private final HclBlock top;
  private final KeyChecks checks;
  private final Map<String, String> environment;
  private final List<String> warnings = new ArrayList<>();

  ConfigReader(HclBlock top, Map<String, String> environment) {
    this.top = top;
    this.checks = new KeyChecks(top);
    this.environment = environment;
  }

  RegistrarConfig read() {
    top.rejectUnknownKeys();
    Optional<HclBlock> tenantBlock = top.block("tenant", KnownKeys.TENANT);
    tenantBlock.ifPresent(HclBlock::rejectUnknownKeys);
    Optional<HclBlock> scmBlock = top.block("cluster_spiffeids", KnownKeys.CLUSTER_SPIFFEIDS);
    scmBlock.ifPresent(HclBlock::rejectUnknownKeys);

    String trustDomain = trustDomain();
    String cluster = cluster();
    Mode mode = checks.choice("mode", Mode.values(), Mode::hclValue, Mode.RECONCILE);
    SpireConnection spire = spire();
    Identity identity = identity(trustDomain, cluster);
    CrdTemplates templates = new CrdTemplatesReader(top, checks).read(mode, identity);
    LeaderElectionSettings leaderElection = leaderElection();
    SpireAgents agents = agents();
    String attestor = agents.nodeAttestor().pluginName();
    TenantSettings tenant =
        tenantBlock
            .map(block -> new TenantReader(block, trustDomain).read())
            .orElse(TenantSettings.DEFAULT);
    if (identity.podLabel() != null
        && tenant.confine()
        && tenant.privilegedNamespaces().isEmpty()) {
      warnings.add(
          "pod_label gives a pod the SPIFFE ID spiffe://"
              + trustDomain
              + "/<label value>, a single path segment, which tenant confinement never allows"
              + " outside tenant.privileged_namespaces (it must lie under tenant.spiffe_id_path):"
              + " pods elsewhere get no new entry; list the namespaces that use the label in"
              + " tenant.privileged_namespaces, or set tenant.confine = false and restrict who may set"
              + " the label");
    }
    ClusterSpiffeIdSettings scm =
        scmBlock
            .map(block -> new ClusterSpiffeIdsReader(block).read(attestor))
            .orElse(ClusterSpiffeIdSettings.defaults(attestor));
    if (mode == Mode.CONTROLLER_MANAGER) {
      controllerManagerMode(scm);
    }
    return new RegistrarConfig(
        mode,
        identity,
        templates,
        dnsNames(),
        agents,
        spire,
        reconciliation(),
        leaderElection,
        tenant,
        observability(),
        admissionWebhook(mode),
        spiffeIdWebhook(),
        scm,
        warnings);
  }

  /** mode = "controller_manager" serves spire-controller-manager's API alone, in its shape. */
  private void controllerManagerMode(ClusterSpiffeIdSettings scm) {
    if (!scm.enabled()) {
      throw top.error(
          "mode",
          "is \"controller_manager\" (spire-controller-manager's API alone) but"
              + " cluster_spiffeids.enabled is false",
          "remove cluster_spiffeids.enabled, or choose another mode");
    }
    if (!scm.parent().equals("agent")) {
      throw top.error(
          "mode",
          "is \"controller_manager\", which writes no node entries, but ClusterSPIFFEID pod entries"
              + " would be parented to node entries (cluster_spiffeids.parent is \"node_entry\","
              + " the default with node_attestor = \"k8s_sat\")",
          "use node_attestor = \"k8s_psat\" and cluster_spiffeids.parent = \"agent\", or another"
              + " mode");
    }
  }

  private String trustDomain() {
    String value =
        top.string("trust_domain")
            .orElseThrow(
                () ->
                    top.error(
                        "trust_domain",
                        "is required",
                        "set it to your SPIRE trust domain, e.g. trust_domain = \"example.org\""));
    String name =
        value.startsWith(SpiffeSyntax.SCHEME)
            ? value.substring(SpiffeSyntax.SCHEME.length())
            : value;
    if (SpiffeSyntax.isTrustDomain(name)) {
      return name;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (SpiffeSyntax.isTrustDomain(lower)) {
      throw top.error(
          "trust_domain",
          "must be lowercase, got " + HclBlock.describe(value),
          "write trust_domain = \"" + lower + "\"");
    }
    throw top.error(
        "trust_domain",
        "is not a valid trust domain, got " + HclBlock.describe(value),
        "use only lowercase letters, digits, \".\", \"_\" and \"-\", e.g. trust_domain = \"example.org\"");
  }

  private String cluster() {
    String cluster =
        top.string("cluster")
            .orElseThrow(
                () ->
                    top.error(
                        "cluster",
                        "is required",
                        "set it to the cluster name the SPIRE server's k8s_psat/k8s_sat node attestor knows, "
                            + "e.g. cluster = \"production\""));
    return checks.pathSegment("cluster", cluster);
  }

  private SpireConnection spire() {
    String serverAddress = serverAddress();
    String agentSocketPath = checks.absolutePath("agent_socket_path").orElse(null);
    if (!Addresses.isUnixSocket(serverAddress) && agentSocketPath == null) {
      throw top.error(
          "agent_socket_path",
          "is required when the server address is not a unix:// socket (it is "
              + HclBlock.describe(serverAddress)
              + ")",
          "set it to the SPIRE agent's Workload API socket, e.g. "
              + top.example("agent_socket_path")
              + ", or use a unix:// server address");
    }
    return new SpireConnection(
        serverAddress,
        agentSocketPath,
        checks.positiveDuration("spire_timeout", Duration.ofSeconds(30)),
        top.integer("page_size", 1, SpireConnection.MAX_PAGE_SIZE, 500),
        top.integer("batch_size", 1, SpireConnection.MAX_BATCH_SIZE, 50));
  }

  private String serverAddress() {
    Optional<String> socketPath = checks.absolutePath("server_socket_path");
    Optional<String> address = top.string("server_address");
    if (address.isEmpty()) {
      return socketPath.map(path -> Addresses.UNIX_SCHEME + path).orElse(DEFAULT_SERVER_ADDRESS);
    }
    checks.requireThat(
        "server_address",
        address.get(),
        Addresses::isServerAddress,
        "unix:///absolute/path/to/api.sock or host:port");
    if (socketPath.isPresent() && !address.get().equals(Addresses.UNIX_SCHEME + socketPath.get())) {
      warnings.add(
          "key \"server_socket_path\" is ignored because \"server_address\" is set "
              + "(upstream did the same): remove one of them");
    }
    return address.get();
  }

  private Identity identity(String trustDomain, String cluster) {
    String podLabel =
        top.string("pod_label").map(v -> checks.qualifiedName("pod_label", v)).orElse(null);
    String podAnnotation =
        top.string("pod_annotation")
            .map(v -> checks.qualifiedName("pod_annotation", v))
            .orElse(null);
    if (podLabel != null && podAnnotation != null) {
      throw top.error(
          "pod_annotation",
          "cannot be set together with \"pod_label\"",
          "keep one of them (pod_label takes SPIFFE ID paths from a label, pod_annotation from an "
              + "annotation; neither means IDs from service accounts)");
    }
    String controllerName =
        checks.pathSegment("controller_name", top.string("controller_name", "spire-k8s-registrar"));
    boolean podUidSelector = top.bool("pod_uid_selector", false);
    PodEntryShape shape =
        checks.choice(
            "pod_entry_shape",
            PodEntryShape.values(),
            PodEntryShape::hclValue,
            PodEntryShape.UPSTREAM);
    if (podUidSelector && shape == PodEntryShape.POD_UID) {
      throw top.error(
          "pod_uid_selector",
          "cannot be true together with pod_entry_shape = \"pod_uid\" (that shape already selects "
              + "a pod by its UID alone; pod_uid_selector adds the UID to the upstream shape's "
              + "namespace and pod name selectors)",
          "remove pod_uid_selector, or set pod_entry_shape = \"upstream\"");
    }
    return new Identity(
        trustDomain,
        cluster,
        controllerName,
        entryIdPrefix(controllerName, cluster),
        podLabel,
        podAnnotation,
        checks.namespaces("disabled_namespaces").orElse(DEFAULT_DISABLED_NAMESPACES),
        podUidSelector,
        shape);
  }

  private String entryIdPrefix(String controllerName, String cluster) {
    String expected =
        "1 to "
            + org.spireoperator.registration.EntryIds.MAX_PREFIX
            + " letters, digits, \".\", \"_\" and \"-\" (SPIRE entry IDs take at most 255; the "
            + "operator appends <kind>.<32 hex digits>)";
    Optional<String> prefix = top.string("entry_id_prefix");
    if (prefix.isPresent()) {
      return checks.requireThat(
          "entry_id_prefix",
          prefix.get(),
          org.spireoperator.registration.EntryIds::isPrefix,
          expected);
    }
    String fallback = Identity.defaultEntryIdPrefix(controllerName, cluster);
    if (!org.spireoperator.registration.EntryIds.isPrefix(fallback)) {
      throw top.error(
          "entry_id_prefix",
          "defaults to \"<controller_name>.<cluster>.\", which is "
              + fallback.length()
              + " characters long here, more than "
              + org.spireoperator.registration.EntryIds.MAX_PREFIX,
          "set it to " + expected + ", e.g. " + top.example("entry_id_prefix"));
    }
    return fallback;
  }

  private DnsNameSettings dnsNames() {
    return new DnsNameSettings(
        top.bool("add_pod_dns_names", false),
        checks.requireThat(
            "cluster_dns_zone",
            top.string("cluster_dns_zone", "cluster.local"),
            KubernetesNames::isDnsSubdomain,
            "a DNS domain"),
        top.bool("add_svc_dns_name", true));
  }

  private SpireAgents agents() {
    NodeAttestor attestor =
        checks.choice(
            "node_attestor", NodeAttestor.values(), NodeAttestor::hclValue, NodeAttestor.K8S_PSAT);
    String namespace = checks.namespace("agent_namespace", top.string("agent_namespace", "spire"));
    String selector = top.string("agent_pod_selector", "app=spire-agent");
    return new SpireAgents(
        attestor,
        namespace,
        selector,
        agentPodLabels(selector),
        checks.choice("parent_mode", ParentMode.values(), ParentMode::hclValue, ParentMode.NODE));
  }

  private Map<String, String> agentPodLabels(String selector) {
    try {
      return KubernetesNames.parseEqualitySelector(selector);
    } catch (IllegalArgumentException e) {
      throw top.error(
          "agent_pod_selector",
          "is not an equality label selector: " + e.getMessage(),
          "write comma-separated key=value labels, e.g. " + top.example("agent_pod_selector"));
    }
  }

  private Reconciliation reconciliation() {
    return new Reconciliation(
        checks.positiveDuration("resync_period", Duration.ofSeconds(60)),
        top.bool("pod_controller", true),
        top.bool("adopt_upstream_spiffeid_entries", false));
  }

  private LeaderElectionSettings leaderElection() {
    String namespace =
        checks.namespace(
            "leader_election_namespace",
            top.string("leader_election_namespace").or(this::ownNamespace).orElse("spire"));
    return new LeaderElectionSettings(
        top.bool("leader_election", false),
        leaderElectionResourceLock(),
        namespace,
        checks.requireThat(
            "leader_election_lease_name",
            top.string("leader_election_lease_name", "spire-k8s-registrar-leader"),
            KubernetesNames::isDnsSubdomain,
            "a Lease name (lowercase letters, digits, \"-\" and \".\")"));
  }

  private String leaderElectionResourceLock() {
    String lock = top.string("leader_election_resource_lock", LEASES).toLowerCase(Locale.ROOT);
    if (RETIRED_LOCKS.contains(lock)) {
      warnings.add(
          "key \"leader_election_resource_lock\" = \""
              + lock
              + "\" is no longer supported by "
              + "Kubernetes: using \"leases\" (set leader_election_resource_lock = \"leases\" to silence this)");
      return LEASES;
    }
    if (!lock.equals(LEASES)) {
      throw top.error(
          "leader_election_resource_lock",
          "must be \"leases\" (or a retired lock type: "
              + String.join(", ", RETIRED_LOCKS.stream().sorted().toList())
              + "), got "
              + HclBlock.describe(lock),
          "write leader_election_resource_lock = \"leases\"");
    }
    return LEASES;
  }

  private Optional<String> ownNamespace() {
    return NAMESPACE_VARIABLES.stream()
        .map(environment::get)
        .filter(v -> v != null && !v.isBlank())
        .map(String::trim)
        .findFirst();
  }

  private Observability observability() {
    return new Observability(
        logLevel(),
        checks.oneOf("log_format", List.of("text", "json"), "text"),
        top.string("log_path").orElse(null),
        checks.metricsAddress("metrics_addr"),
        checks.metricsAddress("metrics_bind_addr"),
        checks.listenAddress("health_addr", ":8081"));
  }

  private String logLevel() {
    Optional<String> value = top.string("log_level");
    if (value.isEmpty()) {
      return "info";
    }
    String given = value.get().toLowerCase(Locale.ROOT);
    String level = LOG_LEVELS.get(given);
    if (level == null) {
      throw top.error(
          "log_level",
          "must be one of \"trace\", \"debug\", \"info\", \"warn\", \"error\", got "
              + HclBlock.describe(value.get()),
          "write e.g. " + top.example("log_level"));
    }
    if (given.equals("fatal") || given.equals("panic")) {
      warnings.add(
          "key \"log_level\" = \"" + given + "\" has no equivalent here: logging at \"error\"");
    }
    return level;
  }

  private AdmissionWebhook admissionWebhook(Mode mode) {
    boolean skip = top.bool("insecure_skip_client_verification", false);
    if (skip && mode == Mode.WEBHOOK) {
      warnings.add(
          "key \"insecure_skip_client_verification\" = true: the admission webhook accepts "
              + "requests from any client, not only the API server");
    }
    return new AdmissionWebhook(
        checks.listenAddress("addr", ":8443"),
        top.string("cert_path", "cert.pem"),
        top.string("key_path", "key.pem"),
        top.string("cacert_path", "cacert.pem"),
        skip);
  }

  private SpiffeIdWebhook spiffeIdWebhook() {
    return new SpiffeIdWebhook(
        top.bool("webhook_enabled", false),
        top.string("webhook_cert_dir", "/run/spire/serving-certs"),
        top.integer("webhook_port", 1, 65535, 9443),
        checks.requireThat(
            "webhook_service_name",
            top.string("webhook_service_name", "k8s-workload-registrar"),
            KubernetesNames::isDnsLabel,
            "a Service name (lowercase letters, digits and \"-\")"));
  }
}
