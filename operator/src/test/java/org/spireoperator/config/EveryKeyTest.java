package org.spireoperator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spireoperator.registration.NodeAttestor;
import org.spireoperator.registration.ParentMode;
import org.spireoperator.registration.PodEntryShape;

/**
 * Each key of the file reaches its component: the every-key-*.conf files set every key to a
 * non-default value.
 */
class EveryKeyTest {

  private static final String CRD = "every-key-crd.conf";
  private static final String LABEL = "every-key-pod-label.conf";
  private static final String ANNOTATION = "every-key-pod-annotation.conf";

  static Stream<Arguments> keys() {
    return Stream.of(
        row(CRD, "log_level", c -> c.observability().logLevel(), "debug"),
        row(CRD, "log_format", c -> c.observability().logFormat(), "json"),
        row(CRD, "log_path", c -> c.observability().logPath(), "/var/log/registrar.log"),
        row(CRD, "trust_domain", c -> c.identity().trustDomain(), "td.example"),
        row(CRD, "server_address", c -> c.spire().serverAddress(), "spire-server.spire.svc:8081"),
        row(
            LABEL,
            "server_socket_path",
            c -> c.spire().serverAddress(),
            "unix:///run/spire/server/api.sock"),
        row(
            CRD,
            "agent_socket_path",
            c -> c.spire().agentSocketPath(),
            "/run/spire/sockets/agent.sock"),
        row(CRD, "cluster", c -> c.identity().cluster(), "blue"),
        row(LABEL, "pod_label", c -> c.identity().podLabel(), "spire-workload"),
        row(ANNOTATION, "pod_annotation", c -> c.identity().podAnnotation(), "spiffe.io/spiffe-id"),
        row(CRD, "mode", RegistrarConfig::mode, Mode.CRD),
        row(LABEL, "mode", RegistrarConfig::mode, Mode.RECONCILE),
        row(ANNOTATION, "mode", RegistrarConfig::mode, Mode.WEBHOOK),
        row(
            CRD,
            "disabled_namespaces",
            c -> c.identity().disabledNamespaces(),
            List.of("kube-system")),
        row(CRD, "leader_election", c -> c.leaderElection().enabled(), true),
        row(CRD, "leader_election_resource_lock", c -> c.leaderElection().resourceLock(), "leases"),
        row(CRD, "metrics_addr", c -> c.observability().metricsAddr(), "127.0.0.1:9090"),
        row(CRD, "controller_name", c -> c.identity().controllerName(), "my-registrar"),
        row(CRD, "add_pod_dns_names", c -> c.dnsNames().addPodDnsNames(), true),
        row(CRD, "cluster_dns_zone", c -> c.dnsNames().clusterDnsZone(), "k8s.internal"),
        row(CRD, "pod_controller", c -> c.reconciliation().podController(), false),
        row(CRD, "add_svc_dns_name", c -> c.dnsNames().addSvcDnsName(), false),
        row(
            CRD,
            "identity_template",
            c -> c.templates().identityTemplate(),
            "cluster/blue/{{.Pod.Name}}/{{ .Context.zone }}"),
        row(
            CRD,
            "identity_template_label",
            c -> c.templates().identityTemplateLabel(),
            "spiffe.io/identity"),
        row(
            CRD,
            "dns_name_templates",
            c -> c.templates().dnsNameTemplates(),
            List.of("{{.Pod.Name}}.svc", "{{.Pod.Name}}.{{.Context.zone}}")),
        row(CRD, "context", c -> c.templates().context(), Map.of("zone", "z1")),
        row(CRD, "webhook_enabled", c -> c.spiffeIdWebhook().enabled(), true),
        row(CRD, "webhook_cert_dir", c -> c.spiffeIdWebhook().certDir(), "/certs"),
        row(CRD, "webhook_port", c -> c.spiffeIdWebhook().port(), 10443),
        row(
            CRD,
            "webhook_service_name",
            c -> c.spiffeIdWebhook().serviceName(),
            "registrar-webhook"),
        row(CRD, "metrics_bind_addr", c -> c.observability().metricsBindAddr(), ":9091"),
        row(CRD, "addr", c -> c.admissionWebhook().addr(), ":9443"),
        row(CRD, "cert_path", c -> c.admissionWebhook().certPath(), "/tls/cert.pem"),
        row(CRD, "key_path", c -> c.admissionWebhook().keyPath(), "/tls/key.pem"),
        row(CRD, "cacert_path", c -> c.admissionWebhook().cacertPath(), "/tls/ca.pem"),
        row(
            CRD,
            "insecure_skip_client_verification",
            c -> c.admissionWebhook().insecureSkipClientVerification(),
            true),
        row(CRD, "node_attestor", c -> c.agents().nodeAttestor(), NodeAttestor.K8S_SAT),
        row(CRD, "agent_namespace", c -> c.agents().namespace(), "spire-system"),
        row(CRD, "agent_pod_selector", c -> c.agents().podSelector(), "app=agent, tier=node"),
        row(
            CRD,
            "agent_pod_selector",
            c -> c.agents().podLabels(),
            Map.of("app", "agent", "tier", "node")),
        row(CRD, "parent_mode", c -> c.agents().parentMode(), ParentMode.AGENT),
        row(CRD, "pod_uid_selector", c -> c.identity().podUidSelector(), true),
        row(CRD, "resync_period", c -> c.reconciliation().resyncPeriod(), Duration.ofMinutes(90)),
        row(
            CRD,
            "adopt_upstream_spiffeid_entries",
            c -> c.reconciliation().adoptUpstreamSpiffeIdEntries(),
            true),
        row(CRD, "batch_size", c -> c.spire().batchSize(), 100),
        row(CRD, "page_size", c -> c.spire().pageSize(), 500),
        row(CRD, "spire_timeout", c -> c.spire().timeout(), Duration.ofSeconds(45)),
        row(CRD, "health_addr", c -> c.observability().healthAddr(), ":9808"),
        row(CRD, "leader_election_namespace", c -> c.leaderElection().namespace(), "registrar"),
        row(
            CRD,
            "leader_election_lease_name",
            c -> c.leaderElection().leaseName(),
            "registrar-lease"),
        row(
            CRD,
            "tenant",
            RegistrarConfig::tenant,
            new TenantSettings(
                false,
                List.of("spiffe://td.example/spire/agent/k8s_sat/blue/abc"),
                List.of("spire-system", "ops"),
                "/tenants/{{.Namespace}}/workloads/",
                List.of("spiffe://td.example/ns/ops/sa/admin", "spiffe://td.example"),
                List.of(".svc.td.example", ".example.com"))),
        row(CRD, "tenant.confine", c -> c.tenant().confine(), false),
        row(
            CRD,
            "tenant.allowed_parent_ids",
            c -> c.tenant().allowedParentIds(),
            List.of("spiffe://td.example/spire/agent/k8s_sat/blue/abc")),
        row(
            CRD,
            "tenant.privileged_namespaces",
            c -> c.tenant().privilegedNamespaces(),
            List.of("spire-system", "ops")),
        row(
            CRD,
            "tenant.spiffe_id_path",
            c -> c.tenant().spiffeIdPath(),
            "/tenants/{{.Namespace}}/workloads/"),
        row(
            CRD,
            "tenant.reserved_ids",
            c -> c.tenant().reservedIds(),
            List.of("spiffe://td.example/ns/ops/sa/admin", "spiffe://td.example")),
        row(
            CRD,
            "tenant.allowed_dns_suffixes",
            c -> c.tenant().allowedDnsSuffixes(),
            List.of(".svc.td.example", ".example.com")),
        row(CRD, "entry_id_prefix", c -> c.identity().entryIdPrefix(), "blue-cluster_"),
        row(
            CRD,
            "cluster_spiffeids",
            RegistrarConfig::clusterSpiffeIds,
            new ClusterSpiffeIdSettings(
                false,
                "blue",
                true,
                List.of("^kube-", "spire-system"),
                "cluster.blue",
                "node_entry",
                "always",
                null)),
        row(CRD, "cluster_spiffeids.enabled", c -> c.clusterSpiffeIds().enabled(), false),
        row(CRD, "cluster_spiffeids.class_name", c -> c.clusterSpiffeIds().className(), "blue"),
        row(
            CRD,
            "cluster_spiffeids.watch_classless",
            c -> c.clusterSpiffeIds().watchClassless(),
            true),
        row(
            CRD,
            "cluster_spiffeids.ignore_namespaces",
            c -> c.clusterSpiffeIds().ignoreNamespaces(),
            List.of("^kube-", "spire-system")),
        row(
            CRD,
            "cluster_spiffeids.cluster_domain",
            c -> c.clusterSpiffeIds().clusterDomain(),
            "cluster.blue"),
        row(CRD, "cluster_spiffeids.parent", c -> c.clusterSpiffeIds().parent(), "node_entry"),
        row(
            CRD,
            "cluster_spiffeids.registrar_pod_entries",
            c -> c.clusterSpiffeIds().registrarPodEntries(),
            "always"),
        row(
            LABEL,
            "cluster_spiffeids.take_over_entry_id_prefix",
            c -> c.clusterSpiffeIds().takeOverEntryIdPrefix(),
            "blue."),
        row(LABEL, "pod_entry_shape", c -> c.identity().podEntryShape(), PodEntryShape.POD_UID));
  }

  private static Arguments row(
      String file, String key, Function<RegistrarConfig, Object> component, Object expected) {
    return Arguments.of(file, key, Named.of("component", component), expected);
  }

  @ParameterizedTest(name = "{0}: {1} = {3}")
  @MethodSource("keys")
  void eachKeyParsesIntoItsComponent(
      String file, String key, Function<RegistrarConfig, Object> component, Object expected) {
    RegistrarConfig config = Configs.loadResource(file);

    assertThat(component.apply(config)).as(key).isEqualTo(expected);
  }

  @Test
  void theRowsAboveCoverEveryKnownKey() {
    Set<String> covered =
        keys().map(arguments -> (String) arguments.get()[1]).collect(Collectors.toSet());
    Set<String> known =
        Stream.of(
                KnownKeys.TOP_LEVEL.keySet().stream(),
                KnownKeys.TENANT.keySet().stream().map(k -> "tenant." + k),
                KnownKeys.CLUSTER_SPIFFEIDS.keySet().stream().map(k -> "cluster_spiffeids." + k))
            .flatMap(k -> k)
            .collect(Collectors.toSet());

    assertThat(covered).containsExactlyInAnyOrderElementsOf(known);
  }

  @Test
  void theEveryKeyFilesLoadWithoutWarnings() {
    assertThat(Stream.of(CRD, LABEL, ANNOTATION).map(Configs::loadResource))
        .allSatisfy(config -> assertThat(config.warnings()).isEmpty());
  }
}
