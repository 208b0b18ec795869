package org.spireoperator.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.spireoperator.registration.NodeAttestor;
import org.spireoperator.registration.ParentMode;

/**
 * Turns the parsed file into a {@link RegistrarConfig}: defaults, checks, contradictions, warnings.
 */
final class ConfigReader {

  static final String DEFAULT_SERVER_ADDRESS = "unix:///tmp/spire-server/private/api.sock";
  static final List<String> DEFAULT_DISABLED_NAMESPACES = List.of("kube-system", "kube-public");
  static final String DEFAULT_IDENTITY_TEMPLATE =
      "ns/{{.Pod.Namespace}}/sa/{{.Pod.ServiceAccount}}";
  static final List<String> DEFAULT_DNS_NAME_TEMPLATES = List.of("{{.Pod.Name}}");
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
  private final Map<String, String> environment;
  private final List<String> warnings = new ArrayList<>();

  ConfigReader(HclBlock top, Map<String, String> environment) {
    this.top = top;
    this.environment = environment;
  }

  RegistrarConfig read() {
    top.rejectUnknownKeys();
    Optional<HclBlock> tenantBlock = top.block("tenant", KnownKeys.TENANT);
    tenantBlock.ifPresent(HclBlock::rejectUnknownKeys);

    String trustDomain = trustDomain();
    String cluster =
        top.string("cluster")
            .orElseThrow(
                () ->
                    top.error(
                        "cluster",
                        "is required",
                        "set it to the cluster name the SPIRE server's k8s_psat/k8s_sat node attestor knows, "
                            + "e.g. cluster = \"production\""));
    requirePathSegment("cluster", cluster);
    Mode mode = choice(top, "mode", Mode.values(), Mode::hclValue, Mode.RECONCILE);
    String serverAddress = serverAddress();
    String agentSocketPath = absolutePath("agent_socket_path").orElse(null);
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

    String podLabel = top.string("pod_label").map(v -> qualifiedName("pod_label", v)).orElse(null);
    String podAnnotation =
        top.string("pod_annotation").map(v -> qualifiedName("pod_annotation", v)).orElse(null);
    if (podLabel != null && podAnnotation != null) {
      throw top.error(
          "pod_annotation",
          "cannot be set together with \"pod_label\"",
          "keep one of them (pod_label takes SPIFFE ID paths from a label, pod_annotation from an "
              + "annotation; neither means IDs from service accounts)");
    }
    IdentityTemplates templates = identityTemplates(mode, podLabel, podAnnotation);

    String leaderElectionNamespace =
        top.string("leader_election_namespace").or(this::ownNamespace).orElse("spire");
    requireThat(
        "leader_election_namespace",
        leaderElectionNamespace,
        KubernetesNames::isDnsLabel,
        "a namespace name (lowercase letters, digits and \"-\")");
    String agentPodSelector = top.string("agent_pod_selector", "app=spire-agent");

    return new RegistrarConfig(
        logLevel(),
        top.string("log_path").orElse(null),
        oneOf("log_format", List.of("text", "json"), "text"),
        trustDomain,
        agentSocketPath,
        serverAddress,
        cluster,
        podLabel,
        podAnnotation,
        mode,
        namespaces(top, "disabled_namespaces").orElse(DEFAULT_DISABLED_NAMESPACES),
        top.bool("leader_election", false),
        leaderElectionResourceLock(),
        metricsAddress("metrics_addr"),
        requirePathSegment("controller_name", top.string("controller_name", "spire-k8s-registrar")),
        top.bool("add_pod_dns_names", false),
        requireThat(
            "cluster_dns_zone",
            top.string("cluster_dns_zone", "cluster.local"),
            KubernetesNames::isDnsSubdomain,
            "a DNS domain"),
        top.bool("pod_controller", true),
        top.bool("add_svc_dns_name", true),
        templates.identityTemplate(),
        templates.identityTemplateLabel(),
        templates.dnsNameTemplates(),
        templates.context(),
        top.bool("webhook_enabled", false),
        top.string("webhook_cert_dir", "/run/spire/serving-certs"),
        top.integer("webhook_port", 1, 65535, 9443),
        requireThat(
            "webhook_service_name",
            top.string("webhook_service_name", "k8s-workload-registrar"),
            KubernetesNames::isDnsLabel,
            "a Service name (lowercase letters, digits and \"-\")"),
        metricsAddress("metrics_bind_addr"),
        listenAddress("addr", ":8443"),
        top.string("cert_path", "cert.pem"),
        top.string("key_path", "key.pem"),
        top.string("cacert_path", "cacert.pem"),
        insecureSkipClientVerification(mode),
        choice(
            top,
            "node_attestor",
            NodeAttestor.values(),
            NodeAttestor::hclValue,
            NodeAttestor.K8S_PSAT),
        requireThat(
            "agent_namespace",
            top.string("agent_namespace", "spire"),
            KubernetesNames::isDnsLabel,
            "a namespace name (lowercase letters, digits and \"-\")"),
        agentPodSelector,
        agentPodLabels(agentPodSelector),
        choice(top, "parent_mode", ParentMode.values(), ParentMode::hclValue, ParentMode.NODE),
        top.bool("pod_uid_selector", false),
        positiveDuration("resync_period", Duration.ofSeconds(60)),
        top.integer("batch_size", 1, RegistrarConfig.MAX_BATCH_SIZE, 50),
        top.integer("page_size", 1, RegistrarConfig.MAX_PAGE_SIZE, 200),
        positiveDuration("spire_timeout", Duration.ofSeconds(30)),
        listenAddress("health_addr", ":8081"),
        tenantBlock.map(this::tenantRules).orElse(TenantRules.DEFAULT),
        leaderElectionNamespace,
        requireThat(
            "leader_election_lease_name",
            top.string("leader_election_lease_name", "spire-k8s-registrar-leader"),
            KubernetesNames::isDnsSubdomain,
            "a Lease name (lowercase letters, digits, \"-\" and \".\")"),
        warnings);
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

  private String serverAddress() {
    Optional<String> socketPath = absolutePath("server_socket_path");
    Optional<String> address = top.string("server_address");
    if (address.isEmpty()) {
      return socketPath.map(path -> Addresses.UNIX_SCHEME + path).orElse(DEFAULT_SERVER_ADDRESS);
    }
    requireThat(
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

  private IdentityTemplates identityTemplates(Mode mode, String podLabel, String podAnnotation) {
    if (mode != Mode.CRD) {
      for (String key : KnownKeys.CRD_TEMPLATING) {
        if (top.isSet(key)) {
          throw top.error(
              key,
              "only applies in mode \"crd\" (mode is \"" + mode.hclValue() + "\")",
              "remove it, or set mode = \"crd\"");
        }
      }
    }
    Map<String, String> context = top.stringMap("context").orElse(Map.of());
    Optional<String> identityTemplate = top.string("identity_template");
    if (identityTemplate.isPresent() && (podLabel != null || podAnnotation != null)) {
      throw top.error(
          "identity_template",
          "cannot be set together with \""
              + (podLabel != null ? "pod_label" : "pod_annotation")
              + "\"",
          "keep one way of naming workloads: identity_template, pod_label or pod_annotation");
    }
    List<String> dnsNameTemplates =
        top.strings("dns_name_templates").orElse(DEFAULT_DNS_NAME_TEMPLATES);
    if (context.isEmpty()) {
      identityTemplate.ifPresent(t -> requireNoContextReference("identity_template", t));
      dnsNameTemplates.forEach(t -> requireNoContextReference("dns_name_templates", t));
    }
    String identityTemplateLabel =
        top.string("identity_template_label")
            .map(v -> qualifiedName("identity_template_label", v))
            .orElse(null);
    boolean useDefaultTemplate = mode == Mode.CRD && podLabel == null && podAnnotation == null;
    return new IdentityTemplates(
        identityTemplate.orElse(useDefaultTemplate ? DEFAULT_IDENTITY_TEMPLATE : null),
        identityTemplateLabel,
        dnsNameTemplates,
        context);
  }

  private void requireNoContextReference(String key, String template) {
    if (template.replace(" ", "").contains("{{.Context.")) {
      throw top.error(
          key,
          "refers to {{.Context...}} but no context is set",
          "add the values it uses, e.g. " + top.example("context"));
    }
  }

  private boolean insecureSkipClientVerification(Mode mode) {
    boolean skip = top.bool("insecure_skip_client_verification", false);
    if (skip && mode == Mode.WEBHOOK) {
      warnings.add(
          "key \"insecure_skip_client_verification\" = true: the admission webhook accepts "
              + "requests from any client, not only the API server");
    }
    return skip;
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

  private TenantRules tenantRules(HclBlock tenant) {
    List<String> allowedParentIds = tenant.strings("allowed_parent_ids").orElse(List.of());
    for (String id : allowedParentIds) {
      if (!SpiffeSyntax.isSpiffeId(id)) {
        throw tenant.error(
            "allowed_parent_ids",
            "must hold SPIFFE IDs, but " + HclBlock.describe(id) + " is not one",
            "write e.g. " + tenant.example("allowed_parent_ids"));
      }
    }
    return new TenantRules(
        tenant.bool("confine", true),
        allowedParentIds,
        namespaces(tenant, "privileged_namespaces").orElse(List.of()));
  }

  private Optional<String> ownNamespace() {
    return NAMESPACE_VARIABLES.stream()
        .map(environment::get)
        .filter(v -> v != null && !v.isBlank())
        .map(String::trim)
        .findFirst();
  }

  private Optional<List<String>> namespaces(HclBlock block, String key) {
    Optional<List<String>> names = block.strings(key);
    names.ifPresent(
        list ->
            list.stream()
                .filter(n -> !KubernetesNames.isDnsLabel(n))
                .findFirst()
                .ifPresent(
                    bad -> {
                      throw block.error(
                          key,
                          "must hold namespace names, but "
                              + HclBlock.describe(bad)
                              + " is not one",
                          "use lowercase letters, digits and \"-\", e.g. " + block.example(key));
                    }));
    return names;
  }

  private <E extends Enum<E>> E choice(
      HclBlock block, String key, E[] values, Function<E, String> hcl, E fallback) {
    Optional<String> value = block.string(key);
    if (value.isEmpty()) {
      return fallback;
    }
    return Arrays.stream(values)
        .filter(e -> hcl.apply(e).equals(value.get()))
        .findFirst()
        .orElseThrow(
            () ->
                block.error(
                    key,
                    "must be one of "
                        + Arrays.stream(values)
                            .map(e -> "\"" + hcl.apply(e) + "\"")
                            .collect(Collectors.joining(", "))
                        + ", got "
                        + HclBlock.describe(value.get()),
                    "write e.g. " + block.path(key) + " = \"" + hcl.apply(fallback) + "\""));
  }

  private String oneOf(String key, List<String> allowed, String fallback) {
    String value = top.string(key, fallback).toLowerCase(Locale.ROOT);
    if (!allowed.contains(value)) {
      throw top.error(
          key,
          "must be one of "
              + allowed.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", "))
              + ", got "
              + HclBlock.describe(top.string(key, "")),
          "write e.g. " + key + " = \"" + fallback + "\"");
    }
    return value;
  }

  private Duration positiveDuration(String key, Duration fallback) {
    Optional<String> value = top.string(key);
    if (value.isEmpty()) {
      return fallback;
    }
    Duration duration =
        GoDuration.parse(value.get())
            .orElseThrow(
                () ->
                    top.error(
                        key,
                        "must be a duration such as \"30s\", \"5m\" or \"1h30m\", got "
                            + HclBlock.describe(value.get()),
                        "write e.g. " + top.example(key)));
    if (duration.isNegative() || duration.isZero()) {
      throw top.error(
          key,
          "must be longer than zero, got " + HclBlock.describe(value.get()),
          "write e.g. " + top.example(key));
    }
    return duration;
  }

  private String metricsAddress(String key) {
    String value = top.string(key, ":8080");
    if (value.equals("0")) {
      return value;
    }
    return requireThat(
        key, value, Addresses::isListenAddress, "[host]:port, or \"0\" to disable metrics");
  }

  private String listenAddress(String key, String fallback) {
    return requireThat(key, top.string(key, fallback), Addresses::isListenAddress, "[host]:port");
  }

  private Optional<String> absolutePath(String key) {
    return top.string(key)
        .map(path -> requireThat(key, path, Addresses::isAbsolutePath, "an absolute path"));
  }

  private String qualifiedName(String key, String value) {
    return requireThat(
        key,
        value,
        KubernetesNames::isQualifiedName,
        "a label or annotation key, such as \"spire-workload\" or \"spiffe.io/spiffe-id\"");
  }

  private String requirePathSegment(String key, String value) {
    return requireThat(
        key,
        value,
        SpiffeSyntax::isPathSegment,
        "usable in a SPIFFE ID path: letters, digits, \".\", \"_\" and \"-\" only");
  }

  private String requireThat(String key, String value, Predicate<String> valid, String expected) {
    if (!valid.test(value)) {
      throw top.error(
          key,
          "must be " + expected + ", got " + HclBlock.describe(value),
          "write e.g. " + top.example(key));
    }
    return value;
  }

  private record IdentityTemplates(
      String identityTemplate,
      String identityTemplateLabel,
      List<String> dnsNameTemplates,
      Map<String, String> context) {}
}
