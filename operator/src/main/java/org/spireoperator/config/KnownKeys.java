package org.spireoperator.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every key the configuration file accepts, each with an example assignment used in error messages.
 * The upstream keys are k8s-workload-registrar's (v0.12 to v1.5), accepted unchanged.
 */
final class KnownKeys {

  /** Upstream k8s-workload-registrar keys, common to all modes. */
  static final Map<String, String> UPSTREAM_COMMON =
      ordered(
          "log_level", "\"info\"",
          "log_format", "\"text\"",
          "log_path", "\"/var/log/registrar.log\"",
          "trust_domain", "\"example.org\"",
          "server_address", "\"unix:///tmp/spire-server/private/api.sock\"",
          "server_socket_path", "\"/tmp/spire-server/private/api.sock\"",
          "agent_socket_path", "\"/run/spire/sockets/agent.sock\"",
          "cluster", "\"production\"",
          "pod_label", "\"spire-workload\"",
          "pod_annotation", "\"spiffe.io/spiffe-id\"",
          "mode", "\"reconcile\"",
          "disabled_namespaces", "[\"kube-system\", \"kube-public\"]");

  /** Upstream keys of "reconcile" mode (leader election also applies to "crd" mode). */
  static final Map<String, String> UPSTREAM_RECONCILE =
      ordered(
          "leader_election", "true",
          "leader_election_resource_lock", "\"leases\"",
          "metrics_addr", "\":8080\"",
          "controller_name", "\"spire-k8s-registrar\"",
          "add_pod_dns_names", "true",
          "cluster_dns_zone", "\"cluster.local\"");

  /** Upstream keys of "crd" mode. */
  static final Map<String, String> UPSTREAM_CRD =
      ordered(
          "pod_controller", "true",
          "add_svc_dns_name", "true",
          "identity_template", "\"ns/{{.Pod.Namespace}}/sa/{{.Pod.ServiceAccount}}\"",
          "identity_template_label", "\"spiffe.io/spiffe-id\"",
          "dns_name_templates", "[\"{{.Pod.Name}}\"]",
          "context", "{ region = \"eu-1\" }",
          "webhook_enabled", "true",
          "webhook_cert_dir", "\"/run/spire/serving-certs\"",
          "webhook_port", "9443",
          "webhook_service_name", "\"k8s-workload-registrar\"",
          "metrics_bind_addr", "\":8080\"");

  /** Upstream keys of "webhook" mode. */
  static final Map<String, String> UPSTREAM_WEBHOOK =
      ordered(
          "addr", "\":8443\"",
          "cert_path", "\"cert.pem\"",
          "key_path", "\"key.pem\"",
          "cacert_path", "\"cacert.pem\"",
          "insecure_skip_client_verification", "false");

  /** Keys this operator adds. */
  static final Map<String, String> OPERATOR =
      ordered(
          "node_attestor", "\"k8s_psat\"",
          "agent_namespace", "\"spire\"",
          "agent_pod_selector", "\"app=spire-agent\"",
          "parent_mode", "\"node\"",
          "pod_uid_selector", "true",
          "resync_period", "\"60s\"",
          "batch_size", "50",
          "page_size", "500",
          "spire_timeout", "\"30s\"",
          "health_addr", "\":8081\"",
          "leader_election_namespace", "\"spire\"",
          "leader_election_lease_name", "\"spire-k8s-registrar-leader\"",
          "tenant", "{ confine = true }",
          "entry_id_prefix", "\"spire-k8s-registrar.production.\"",
          "pod_entry_shape", "\"upstream\"",
          "adopt_upstream_spiffeid_entries", "true",
          "cluster_spiffeids", "{ enabled = true }");

  /** Keys of the {@code cluster_spiffeids} block (spire-controller-manager's API). */
  static final Map<String, String> CLUSTER_SPIFFEIDS =
      ordered(
          "enabled", "true",
          "class_name", "\"production\"",
          "watch_classless", "true",
          "ignore_namespaces", "[\"kube-system\", \"kube-public\", \"spire-system\"]",
          "cluster_domain", "\"cluster.local\"",
          "parent", "\"agent\"",
          "registrar_pod_entries", "\"fallback\"",
          "take_over_entry_id_prefix", "\"production\"");

  /** Keys of the {@code tenant} block. */
  static final Map<String, String> TENANT =
      ordered(
          "confine", "true",
          "allowed_parent_ids",
              "[\"spiffe://example.org/spire/agent/k8s_psat/production/node-uid\"]",
          "privileged_namespaces", "[\"spire\"]",
          "spiffe_id_path", "\"/ns/{{.Namespace}}/\"",
          "reserved_ids", "[\"spiffe://example.org/spire/server\"]",
          "allowed_dns_suffixes", "[\".example.com\"]");

  /** Every top-level key with its example value. */
  static final Map<String, String> TOP_LEVEL =
      merged(UPSTREAM_COMMON, UPSTREAM_RECONCILE, UPSTREAM_CRD, UPSTREAM_WEBHOOK, OPERATOR);

  /** Keys that belong to identity templating, which only "crd" mode has. */
  static final Set<String> CRD_TEMPLATING =
      Set.of("identity_template", "identity_template_label", "dns_name_templates", "context");

  private KnownKeys() {}

  /** Whether {@code key} (a top-level key) comes from upstream k8s-workload-registrar. */
  static boolean isUpstream(String key) {
    return TOP_LEVEL.containsKey(key) && !OPERATOR.containsKey(key);
  }

  private static Map<String, String> ordered(String... keysAndExamples) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndExamples.length; i += 2) {
      map.put(keysAndExamples[i], keysAndExamples[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }

  @SafeVarargs
  private static Map<String, String> merged(Map<String, String>... maps) {
    Map<String, String> all = new LinkedHashMap<>();
    for (Map<String, String> map : maps) {
      map.forEach(
          (key, example) -> {
            if (all.putIfAbsent(key, example) != null) {
              throw new IllegalStateException("key listed twice: " + key);
            }
          });
    }
    return Collections.unmodifiableMap(all);
  }
}
