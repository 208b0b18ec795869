package org.spireoperator.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spireoperator.registration.EntryIds;
import org.spireoperator.registration.Takeover;

/**
 * Reads spire-controller-manager's configuration file ({@code kind: ControllerManagerConfig}, the
 * keys of v0.6.4 and of the SPIRE Helm chart) as this operator's configuration with {@code mode =
 * "controller_manager"}: each key that has an equivalent becomes the HCL key that does the same
 * ({@link #translate}), and the result is read by the one HCL reader, with its checks. Keys without
 * an equivalent are accepted and named in a warning when they ask for something else than what the
 * operator does; values that are wrong for spire-controller-manager too stop loading with one line
 * naming the file and the key. docs/CONFIG.md lists every key and what becomes of it.
 */
final class ControllerManagerConfigReader {

  static final String API_VERSION = "spire.spiffe.io/v1alpha1";
  static final String KIND = "ControllerManagerConfig";

  /** spire-controller-manager's default socket when neither the file nor the flag names one. */
  static final String DEFAULT_SOCKET = "/spire-server/api.sock";

  /** Its default parent ID template, the only one served (the chart's default too). */
  static final String DEFAULT_PARENT_ID_TEMPLATE =
      "spiffe://{{ .TrustDomain }}/spire/agent/k8s_psat/{{ .ClusterName }}/{{ .NodeMeta.UID }}";

  /** The lease timings this operator uses; others are accepted without effect. */
  private static final Map<String, Duration> LEASE_TIMINGS =
      Map.of(
          "leaseDuration", Duration.ofSeconds(15),
          "renewDeadline", Duration.ofSeconds(10),
          "retryPeriod", Duration.ofSeconds(2));

  private static final Map<String, Set<String>> KEYS =
      Map.ofEntries(
          Map.entry(
              "",
              Set.of(
                  "apiVersion",
                  "kind",
                  "metadata",
                  "syncPeriod",
                  "leaderElection",
                  "cacheNamespace",
                  "cacheNamespaces",
                  "gracefulShutDown",
                  "controller",
                  "metrics",
                  "health",
                  "webhook",
                  "className",
                  "watchClassless",
                  "filterByClassName",
                  "parentIDTemplate",
                  "reconcile",
                  "entryIDPrefix",
                  "entryIDPrefixCleanup",
                  "staticManifestPath",
                  "expandEnvStaticManifests",
                  "enableEntryRenderCache",
                  "entryRenderCacheSize",
                  "clusterName",
                  "clusterDomain",
                  "trustDomain",
                  "ignoreNamespaces",
                  "validatingWebhookConfigurationName",
                  "gcInterval",
                  "spireServerSocketPath",
                  "logLevel",
                  "logEncoding",
                  "grpc")),
          Map.entry(
              "leaderElection.",
              Set.of(
                  "leaderElect",
                  "leaseDuration",
                  "renewDeadline",
                  "retryPeriod",
                  "resourceLock",
                  "resourceName",
                  "resourceNamespace")),
          Map.entry("metrics.", Set.of("bindAddress")),
          Map.entry(
              "health.",
              Set.of("healthProbeBindAddress", "readinessEndpointName", "livenessEndpointName")),
          Map.entry("webhook.", Set.of("port", "host", "certDir")),
          Map.entry(
              "reconcile.",
              Set.of("clusterSPIFFEIDs", "clusterFederatedTrustDomains", "clusterStaticEntries")),
          Map.entry("grpc.", Set.of("maxCallRecvMsgSize")),
          Map.entry(
              "controller.", Set.of("groupKindConcurrency", "cacheSyncTimeout", "recoverPanic")));

  private static final Pattern ENV = Pattern.compile("\\$(\\{([^}]*)}|([A-Za-z0-9_]+))");
  private static final Pattern TEMPLATE_SPACES = Pattern.compile("\\{\\{\\s*(.*?)\\s*}}");

  /** The translation: the HCL tree the file stands for, and what it could not honour. */
  record Translation(Map<String, Object> hcl, List<String> warnings) {}

  private final Map<String, String> environment;
  private final ControllerManagerFlags flags;
  private final Supplier<String> resolvConf;

  /**
   * @param resolvConf the text of {@code /etc/resolv.conf}, read only when {@code clusterDomain} is
   *     not set (spire-controller-manager then finds it from DNS)
   */
  ControllerManagerConfigReader(
      Map<String, String> environment, ControllerManagerFlags flags, Supplier<String> resolvConf) {
    this.environment = environment;
    this.flags = flags;
    this.resolvConf = resolvConf;
  }

  /** True if the text declares {@code kind: ControllerManagerConfig}. */
  static boolean isControllerManagerConfig(String text) {
    return text.lines().anyMatch(l -> l.strip().matches("kind:\\s*[\"']?" + KIND + "[\"']?"));
  }

  RegistrarConfig read(String text, String source) {
    Translation t = translate(text, source);
    RegistrarConfig config =
        new ConfigReader(new HclBlock(source, "", t.hcl(), KnownKeys.TOP_LEVEL), environment)
            .read();
    return config.withWarnings(t.warnings());
  }

  /** The HCL keys and values the file stands for ({@code mode = "controller_manager"}). */
  Translation translate(String text, String source) {
    String expanded = flags.expandsEnvironment() ? expand(text) : text;
    JsonNode root = parse(expanded, source);
    Scm scm = new Scm(root, source);
    List<String> warnings = new ArrayList<>();
    Map<String, Object> hcl = new LinkedHashMap<>();
    Map<String, Object> block = new LinkedHashMap<>();
    scm.unknownKeys(root, "", warnings);

    scm.require("apiVersion", API_VERSION);
    scm.require("kind", KIND);
    hcl.put("mode", "controller_manager");
    hcl.put("node_attestor", "k8s_psat");
    String trustDomain =
        scm.string("trustDomain")
            .orElseThrow(
                () ->
                    scm.error(
                        "trustDomain",
                        "is required",
                        "set it to your SPIRE trust domain, e.g. trustDomain: example.org"));
    if (!SpiffeSyntax.isTrustDomain(trustDomain)) {
      throw scm.error(
          "trustDomain",
          "is not a valid trust domain, got " + HclBlock.describe(trustDomain),
          "use only lowercase letters, digits, \".\", \"_\" and \"-\", e.g. trustDomain:"
              + " example.org");
    }
    hcl.put("trust_domain", trustDomain);
    String cluster =
        scm.string("clusterName")
            .orElseThrow(
                () ->
                    scm.error(
                        "clusterName",
                        "is required",
                        "set it to the cluster name the SPIRE server's k8s_psat node attestor"
                            + " knows, e.g. clusterName: production"));
    if (!SpiffeSyntax.isPathSegment(cluster)) {
      throw scm.error(
          "clusterName",
          "must be usable in a SPIFFE ID path (letters, digits, \".\", \"_\" and \"-\"), got "
              + HclBlock.describe(cluster),
          "write e.g. clusterName: production");
    }
    hcl.put("cluster", cluster);
    hcl.put("server_address", Addresses.UNIX_SCHEME + socket(scm, warnings));
    logging(scm, hcl);
    hcl.put("resync_period", gcInterval(scm));
    metricsAndHealth(scm, hcl, warnings);
    leaderElection(scm, hcl, warnings);
    entryIds(scm, hcl, block, warnings);

    scm.string("className").ifPresent(c -> block.put("class_name", c));
    scm.bool("watchClassless").ifPresent(w -> block.put("watch_classless", w));
    scm.bool("filterByClassName");
    Optional<List<String>> ignored = scm.strings("ignoreNamespaces");
    if (ignored.isPresent()) {
      var compiled = org.spireoperator.scm.entries.IgnoredNamespaces.of(ignored.get());
      if (!compiled.isOk()) {
        throw scm.error(
            "ignoreNamespaces",
            compiled.failure(),
            "write regular expressions, e.g. ignoreNamespaces: [kube-system, kube-public]");
      }
      block.put("ignore_namespaces", ignored.get());
    }
    block.put(
        "cluster_domain",
        scm.string("clusterDomain").orElseGet(() -> clusterDomainFromDns(warnings)));
    block.put("parent", "agent");
    parentIdTemplate(scm);
    reconcile(scm);
    if (scm.has("staticManifestPath")) {
      throw scm.error(
          "staticManifestPath",
          "asks for static manifests, which this operator does not read",
          "remove it and keep the ClusterSPIFFEIDs, ClusterStaticEntries and"
              + " ClusterFederatedTrustDomains in the cluster");
    }
    scm.bool("expandEnvStaticManifests");
    scm.bool("enableEntryRenderCache");
    scm.integer("entryRenderCacheSize");
    scm.string("validatingWebhookConfigurationName");
    webhook(scm, warnings);
    withoutEffect(scm, warnings);
    hcl.put("cluster_spiffeids", block);
    return new Translation(hcl, warnings);
  }

  private String socket(Scm scm, List<String> warnings) {
    Optional<String> path = scm.string("spireServerSocketPath");
    String socket;
    if (path.isPresent()) {
      socket = path.get();
      if (flags.spireApiSocket() != null) {
        warnings.add(
            "flag -spire-api-socket is ignored because spireServerSocketPath is set"
                + " (spire-controller-manager does the same)");
      }
    } else if (flags.spireApiSocket() != null) {
      socket = flags.spireApiSocket();
      warnings.add(
          "flag -spire-api-socket is deprecated by spire-controller-manager: set"
              + " spireServerSocketPath in the configuration file instead");
    } else {
      socket = DEFAULT_SOCKET;
    }
    if (socket.contains("\0")) {
      throw scm.error(
          "spireServerSocketPath", "is not a path", "write e.g. spireServerSocketPath: /x.sock");
    }
    // spire-controller-manager dials a relative path from its working directory.
    return java.nio.file.Path.of(socket).toAbsolutePath().normalize().toString();
  }

  private void logging(Scm scm, Map<String, Object> hcl) {
    String level = "info";
    Optional<String> fileLevel = scm.string("logLevel");
    if (fileLevel.isPresent()) {
      level = fileLevel.get().toLowerCase(Locale.ROOT);
      if (!Set.of("debug", "info", "warn", "error").contains(level)) {
        throw scm.error(
            "logLevel",
            "must be \"debug\", \"info\", \"warn\" or \"error\", got "
                + HclBlock.describe(fileLevel.get()),
            "write e.g. logLevel: info");
      }
    }
    if (flags.zapLogLevel() != null) {
      level = ControllerManagerFlags.zapLevel(flags.zapLogLevel());
    }
    String format = "text";
    Optional<String> encoding = scm.string("logEncoding");
    if (encoding.isPresent()) {
      format =
          switch (encoding.get()) {
            case "console" -> "text";
            case "json" -> "json";
            default ->
                throw scm.error(
                    "logEncoding",
                    "must be \"console\" or \"json\", got " + HclBlock.describe(encoding.get()),
                    "write e.g. logEncoding: console");
          };
    }
    if (flags.zapEncoder() != null) {
      format = flags.zapEncoder().equalsIgnoreCase("json") ? "json" : "text";
    }
    hcl.put("log_level", level);
    hcl.put("log_format", format);
  }

  /**
   * {@code gcInterval}: a Go {@code time.Duration}, a whole number of nanoseconds; as in
   * spire-controller-manager, a number in exponent notation ({@code 1e+10}, as Helm renders it) is
   * taken if it is whole, a string ({@code "10s"}) is refused.
   */
  private static String gcInterval(Scm scm) {
    if (!scm.has("gcInterval")) {
      return "10s";
    }
    JsonNode node = scm.node("gcInterval");
    long nanos;
    try {
      if (!node.isNumber()) {
        throw new ArithmeticException();
      }
      nanos = node.decimalValue().longValueExact();
    } catch (ArithmeticException e) {
      throw scm.error(
          "gcInterval",
          "must be a whole number of nanoseconds (a Go time.Duration), got " + Scm.describe(node),
          "write e.g. gcInterval: 10000000000 (10 s)");
    }
    if (nanos <= 0) {
      throw scm.error(
          "gcInterval",
          "must be longer than zero, got " + Scm.describe(node),
          "write e.g. gcInterval: 10000000000 (10 s)");
    }
    return nanos + "ns";
  }

  private void metricsAndHealth(Scm scm, Map<String, Object> hcl, List<String> warnings) {
    scm.string("metrics.bindAddress")
        .ifPresent(
            a -> {
              if (!a.equals(Observability.DISABLED) && !Addresses.isListenAddress(a)) {
                throw scm.error(
                    "metrics.bindAddress",
                    "must be [host]:port, or \"0\" to disable metrics, got " + HclBlock.describe(a),
                    "write e.g. metrics: {bindAddress: \"0.0.0.0:8082\"}");
              }
              hcl.put("metrics_addr", a);
            });
    Optional<String> health = scm.string("health.healthProbeBindAddress");
    if (health.isPresent() && !health.get().equals("0")) {
      if (!Addresses.isListenAddress(health.get())) {
        throw scm.error(
            "health.healthProbeBindAddress",
            "must be [host]:port, got " + HclBlock.describe(health.get()),
            "write e.g. health: {healthProbeBindAddress: \"0.0.0.0:8083\"}");
      }
      hcl.put("health_addr", health.get());
    } else if (health.isPresent()) {
      warnings.add(
          "health.healthProbeBindAddress is \"0\": this operator serves /healthz and /readyz"
              + " on :8081 all the same");
    }
    for (String[] endpoint :
        List.of(
            new String[] {"health.readinessEndpointName", "readyz"},
            new String[] {"health.livenessEndpointName", "healthz"})) {
      scm.string(endpoint[0])
          .filter(name -> !name.equals(endpoint[1]) && !name.equals("/" + endpoint[1]))
          .ifPresent(
              name ->
                  warnings.add(
                      endpoint[0]
                          + " \""
                          + name
                          + "\" is accepted without effect: the endpoint is /"
                          + endpoint[1]));
    }
  }

  private void leaderElection(Scm scm, Map<String, Object> hcl, List<String> warnings) {
    if (!scm.has("leaderElection")) {
      return;
    }
    scm.object("leaderElection");
    boolean elect = scm.bool("leaderElection.leaderElect").orElse(false);
    hcl.put("leader_election", elect);
    Optional<String> name = scm.string("leaderElection.resourceName");
    if (name.isPresent()) {
      if (!KubernetesNames.isDnsSubdomain(name.get())) {
        throw scm.error(
            "leaderElection.resourceName",
            "must be a Lease name (lowercase letters, digits, \"-\" and \".\"), got "
                + HclBlock.describe(name.get()),
            "write e.g. leaderElection: {resourceName: 9a3b1c2d.spiffe.io}");
      }
      hcl.put("leader_election_lease_name", name.get());
    } else if (elect) {
      throw scm.error(
          "leaderElection.resourceName",
          "is required with leaderElect: true (spire-controller-manager refuses to start"
              + " without it)",
          "set the Lease name, e.g. leaderElection: {resourceName: 9a3b1c2d.spiffe.io}");
    }
    Optional<String> namespace = scm.string("leaderElection.resourceNamespace");
    if (namespace.isPresent()) {
      if (!KubernetesNames.isDnsLabel(namespace.get())) {
        throw scm.error(
            "leaderElection.resourceNamespace",
            "must be a namespace name, got " + HclBlock.describe(namespace.get()),
            "write e.g. leaderElection: {resourceNamespace: spire-server}");
      }
      hcl.put("leader_election_namespace", namespace.get());
    }
    scm.string("leaderElection.resourceLock")
        .ifPresent(lock -> hcl.put("leader_election_resource_lock", lock));
    LEASE_TIMINGS.forEach(
        (key, ours) ->
            scm.duration("leaderElection." + key)
                .filter(d -> !d.equals(ours))
                .ifPresent(
                    d ->
                        warnings.add(
                            "leaderElection."
                                + key
                                + " is accepted without effect: this operator's Lease timings are"
                                + " 15s, 10s and 2s")));
  }

  /**
   * {@code entryIDPrefix}: this operator takes over the entries with that prefix and marks its own
   * with it too ({@code <prefix>.<kind>.<32 hex>}), so that spire-controller-manager, put back,
   * takes them over in turn.
   */
  private static void entryIds(
      Scm scm, Map<String, Object> hcl, Map<String, Object> block, List<String> warnings) {
    Optional<String> prefix = scm.string("entryIDPrefix");
    if (prefix.isPresent()) {
      String dotted = Takeover.of(check(scm, prefix.get())).prefix();
      if (!EntryIds.isPrefix(dotted)) {
        throw scm.error(
            "entryIDPrefix",
            "is longer than " + (EntryIds.MAX_PREFIX - 1) + " characters",
            "choose a shorter prefix (this operator appends <kind>.<32 hex digits> to it)");
      }
      hcl.put("entry_id_prefix", dotted);
      block.put("take_over_entry_id_prefix", dotted);
    } else {
      hcl.put("entry_id_prefix", "spire-controller-manager.");
      warnings.add(
          "entryIDPrefix is not set: the entries spire-controller-manager wrote carry IDs the SPIRE"
              + " server chose and are not taken over (a ClusterSPIFFEID whose entry exists reports"
              + " Conflict); set entryIDPrefix (spire-controller-manager's entryIDPrefixCleanup: \"\""
              + " moves its entries to the prefix), or delete its entries");
    }
    scm.string("entryIDPrefixCleanup")
        .ifPresent(
            cleanup ->
                warnings.add(
                    "entryIDPrefixCleanup \""
                        + cleanup
                        + "\" is accepted without effect: this operator never deletes entries"
                        + " without its marks or entryIDPrefix"));
  }

  private static String check(Scm scm, String prefix) {
    if (!Takeover.isPrefix(prefix)) {
      throw scm.error(
          "entryIDPrefix",
          "must be 1 to "
              + Takeover.MAX_PREFIX
              + " letters, digits, \".\", \"_\" and \"-\" (SPIRE entry IDs take only those), got "
              + HclBlock.describe(prefix),
          "write e.g. entryIDPrefix: production");
    }
    return prefix;
  }

  private String clusterDomainFromDns(List<String> warnings) {
    Optional<String> domain = clusterDomainOf(resolvConf.get());
    if (domain.isEmpty()) {
      warnings.add(
          "clusterDomain is not set and could not be found in /etc/resolv.conf: .ClusterDomain is"
              + " empty and autoPopulateDNSNames adds no <svc>.<ns>.svc.<domain> names; set"
              + " clusterDomain");
    }
    return domain.orElse("");
  }

  /**
   * The cluster domain a pod's resolver searches ({@code search <ns>.svc.<domain> svc.<domain>
   * <domain>}): what spire-controller-manager finds by resolving {@code kubernetes.default.svc}.
   */
  static Optional<String> clusterDomainOf(String resolvConf) {
    for (String line : resolvConf.lines().toList()) {
      String[] words = line.strip().split("\\s+");
      if (words.length < 2 || !words[0].equals("search")) {
        continue;
      }
      for (int i = 1; i < words.length; i++) {
        String w = words[i].endsWith(".") ? words[i].substring(0, words[i].length() - 1) : words[i];
        if (w.startsWith("svc.") && KubernetesNames.isDnsSubdomain(w.substring(4))) {
          return Optional.of(w.substring(4));
        }
      }
    }
    return Optional.empty();
  }

  private static void parentIdTemplate(Scm scm) {
    Optional<String> template = scm.string("parentIDTemplate");
    if (template.isPresent()
        && !normalized(template.get()).equals(normalized(DEFAULT_PARENT_ID_TEMPLATE))) {
      throw scm.error(
          "parentIDTemplate",
          "is not spire-controller-manager's default, the only parent this operator gives"
              + " ClusterSPIFFEID entries, got "
              + HclBlock.describe(template.get()),
          "remove it, or write parentIDTemplate: \"" + DEFAULT_PARENT_ID_TEMPLATE + "\"");
    }
  }

  private static String normalized(String template) {
    Matcher m = TEMPLATE_SPACES.matcher(template.strip());
    return m.replaceAll(r -> Matcher.quoteReplacement("{{" + r.group(1) + "}}"));
  }

  private static void reconcile(Scm scm) {
    if (!scm.has("reconcile")) {
      return;
    }
    scm.object("reconcile");
    for (String kind :
        List.of("clusterSPIFFEIDs", "clusterFederatedTrustDomains", "clusterStaticEntries")) {
      // As in spire-controller-manager, a reconcile block turns off what it does not name.
      if (!scm.bool("reconcile." + kind).orElse(false)) {
        throw scm.error(
            "reconcile." + kind,
            "is false (or missing from the reconcile block), but this operator serves"
                + " ClusterSPIFFEIDs, ClusterStaticEntries and ClusterFederatedTrustDomains"
                + " together",
            "remove the reconcile block, or set all three to true");
      }
    }
  }

  private void webhook(Scm scm, List<String> warnings) {
    String enable = environment.get("ENABLE_WEBHOOKS");
    if (!"false".equals(enable)) {
      warnings.add(
          "spire-controller-manager's validating webhook (ENABLE_WEBHOOKS is not \"false\") is not"
              + " served by this operator: with a ValidatingWebhookConfiguration in place ("
              + scm.string("validatingWebhookConfigurationName")
                  .orElse("spire-controller-manager-webhook")
              + ") whose failurePolicy is Fail, the API server refuses ClusterSPIFFEID and"
              + " ClusterFederatedTrustDomain writes; set"
              + " controllerManager.validatingWebhookConfiguration.enabled=false in the SPIRE Helm"
              + " chart (invalid objects get Ready=False in their status instead)");
    }
  }

  /** Keys accepted without effect, checked for their type; named when they ask for more. */
  private static void withoutEffect(Scm scm, List<String> warnings) {
    scm.duration("syncPeriod");
    scm.duration("gracefulShutDown");
    scm.string("webhook.host");
    scm.integer("webhook.port");
    scm.string("webhook.certDir");
    scm.integer("grpc.maxCallRecvMsgSize");
    scm.integer("controller.cacheSyncTimeout");
    scm.bool("controller.recoverPanic");
    if (scm.string("cacheNamespace").isPresent() || scm.has("cacheNamespaces")) {
      warnings.add(
          "cacheNamespace/cacheNamespaces are accepted without effect: this operator watches pods"
              + " in every namespace (ignoreNamespaces and the ClusterSPIFFEIDs' selectors still"
              + " apply)");
    }
  }

  private String expand(String text) {
    Matcher m = ENV.matcher(text);
    return m.replaceAll(
        r -> {
          String name = r.group(2) != null ? r.group(2) : r.group(3);
          return Matcher.quoteReplacement(environment.getOrDefault(name, ""));
        });
  }

  private static JsonNode parse(String text, String source) {
    try {
      JsonNode root = new YAMLMapper().readTree(text);
      if (root == null || !root.isObject()) {
        throw new ConfigException(
            source,
            "is not a spire-controller-manager configuration (a YAML mapping with kind: "
                + KIND
                + "): write one, or use an HCL configuration file");
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new ConfigException(
          source,
          (at == null ? "" : "line " + at.getLineNr() + ": ")
              + "YAML syntax error: "
              + e.getOriginalMessage()
              + ": fix the syntax there",
          e);
    }
  }

  /** Typed access to the file's keys, by dotted path; every failed check names the key. */
  private record Scm(JsonNode root, String source) {

    ConfigException error(String key, String problem, String fix) {
      return ConfigException.forKey(source, key, problem, fix);
    }

    boolean has(String key) {
      JsonNode n = node(key);
      return n != null && !n.isNull();
    }

    JsonNode node(String key) {
      JsonNode n = root;
      for (String part : key.split("\\.")) {
        if (n == null || !n.isObject()) {
          return null;
        }
        n = n.get(part);
      }
      return n;
    }

    void object(String key) {
      if (!node(key).isObject()) {
        throw error(key, "must be a mapping, got " + describe(node(key)), "see docs/CONFIG.md");
      }
    }

    void require(String key, String value) {
      JsonNode n = node(key);
      if (n == null || !n.isTextual() || !n.asText().equals(value)) {
        throw error(
            key,
            "must be \"" + value + "\", got " + describe(n),
            "write " + key + ": " + value + " (spire-controller-manager refuses the file too)");
      }
    }

    /** A string; empty means not set, as in spire-controller-manager. */
    Optional<String> string(String key) {
      JsonNode n = node(key);
      if (n == null || n.isNull()) {
        return Optional.empty();
      }
      if (!n.isTextual()) {
        throw error(key, "must be a string, got " + describe(n), "quote it: " + key + ": \"...\"");
      }
      return n.asText().isEmpty() ? Optional.empty() : Optional.of(n.asText());
    }

    Optional<Boolean> bool(String key) {
      JsonNode n = node(key);
      if (n == null || n.isNull()) {
        return Optional.empty();
      }
      if (!n.isBoolean()) {
        throw error(key, "must be true or false, got " + describe(n), "write " + key + ": true");
      }
      return Optional.of(n.asBoolean());
    }

    Optional<Long> integer(String key) {
      JsonNode n = node(key);
      if (n == null || n.isNull()) {
        return Optional.empty();
      }
      if (!n.isIntegralNumber() || !n.canConvertToLong()) {
        throw error(key, "must be a whole number, got " + describe(n), "write e.g. " + key + ": 0");
      }
      return Optional.of(n.asLong());
    }

    /** A Kubernetes duration string ({@code "15s"}). */
    Optional<Duration> duration(String key) {
      JsonNode n = node(key);
      if (n == null || n.isNull()) {
        return Optional.empty();
      }
      Optional<Duration> d = n.isTextual() ? GoDuration.parse(n.asText()) : Optional.empty();
      if (d.isEmpty()) {
        throw error(
            key,
            "must be a duration such as \"15s\" or \"1m\", got " + describe(n),
            "write e.g. " + key + ": 15s");
      }
      return d;
    }

    Optional<List<String>> strings(String key) {
      JsonNode n = node(key);
      if (n == null || n.isNull()) {
        return Optional.empty();
      }
      if (!n.isArray()) {
        throw error(
            key, "must be a list of strings, got " + describe(n), "write e.g. " + key + ": [a, b]");
      }
      List<String> out = new ArrayList<>();
      for (JsonNode item : n) {
        if (!item.isTextual()) {
          throw error(key, "must hold only strings, got " + describe(item), "quote each item");
        }
        out.add(item.asText());
      }
      return Optional.of(List.copyOf(out));
    }

    /** Keys spire-controller-manager does not know either: it ignores them, we say so. */
    void unknownKeys(JsonNode node, String prefix, List<String> warnings) {
      Set<String> known = KEYS.get(prefix);
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!known.contains(name)) {
          String hint =
              KeySuggestion.nearest(name, known)
                  .map(k -> ": did you mean \"" + prefix + k + "\"?")
                  .orElse("");
          warnings.add(
              "unknown key \""
                  + prefix
                  + name
                  + "\" is ignored (as spire-controller-manager does)"
                  + hint);
        } else if (KEYS.containsKey(prefix + name + ".") && node.get(name).isObject()) {
          unknownKeys(node.get(name), prefix + name + ".", warnings);
        }
      }
    }

    static String describe(JsonNode n) {
      if (n == null || n.isNull() || n.isMissingNode()) {
        return "nothing";
      }
      if (n.isTextual()) {
        return HclBlock.describe(n.asText());
      }
      if (n.isArray()) {
        return "a list";
      }
      if (n.isObject()) {
        return "a mapping";
      }
      return n.toString();
    }
  }
}
