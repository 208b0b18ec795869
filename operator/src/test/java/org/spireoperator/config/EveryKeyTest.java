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
        row(CRD, "log_level", RegistrarConfig::logLevel, "debug"),
        row(CRD, "log_format", RegistrarConfig::logFormat, "json"),
        row(CRD, "log_path", RegistrarConfig::logPath, "/var/log/registrar.log"),
        row(CRD, "trust_domain", RegistrarConfig::trustDomain, "td.example"),
        row(CRD, "server_address", RegistrarConfig::serverAddress, "spire-server.spire.svc:8081"),
        row(
            LABEL,
            "server_socket_path",
            RegistrarConfig::serverAddress,
            "unix:///run/spire/server/api.sock"),
        row(
            CRD,
            "agent_socket_path",
            RegistrarConfig::agentSocketPath,
            "/run/spire/sockets/agent.sock"),
        row(CRD, "cluster", RegistrarConfig::cluster, "blue"),
        row(LABEL, "pod_label", RegistrarConfig::podLabel, "spire-workload"),
        row(ANNOTATION, "pod_annotation", RegistrarConfig::podAnnotation, "spiffe.io/spiffe-id"),
        row(CRD, "mode", RegistrarConfig::mode, Mode.CRD),
        row(LABEL, "mode", RegistrarConfig::mode, Mode.RECONCILE),
        row(ANNOTATION, "mode", RegistrarConfig::mode, Mode.WEBHOOK),
        row(
            CRD,
            "disabled_namespaces",
            RegistrarConfig::disabledNamespaces,
            List.of("kube-system")),
        row(CRD, "leader_election", RegistrarConfig::leaderElection, true),
        row(
            CRD,
            "leader_election_resource_lock",
            RegistrarConfig::leaderElectionResourceLock,
            "leases"),
        row(CRD, "metrics_addr", RegistrarConfig::metricsAddr, "127.0.0.1:9090"),
        row(CRD, "controller_name", RegistrarConfig::controllerName, "my-registrar"),
        row(CRD, "add_pod_dns_names", RegistrarConfig::addPodDnsNames, true),
        row(CRD, "cluster_dns_zone", RegistrarConfig::clusterDnsZone, "k8s.internal"),
        row(CRD, "pod_controller", RegistrarConfig::podController, false),
        row(CRD, "add_svc_dns_name", RegistrarConfig::addSvcDnsName, false),
        row(
            CRD,
            "identity_template",
            RegistrarConfig::identityTemplate,
            "cluster/blue/{{.Pod.Name}}/{{ .Context.zone }}"),
        row(
            CRD,
            "identity_template_label",
            RegistrarConfig::identityTemplateLabel,
            "spiffe.io/identity"),
        row(
            CRD,
            "dns_name_templates",
            RegistrarConfig::dnsNameTemplates,
            List.of("{{.Pod.Name}}.svc", "{{.Pod.Name}}.{{.Context.zone}}")),
        row(CRD, "context", RegistrarConfig::context, Map.of("zone", "z1")),
        row(CRD, "webhook_enabled", RegistrarConfig::webhookEnabled, true),
        row(CRD, "webhook_cert_dir", RegistrarConfig::webhookCertDir, "/certs"),
        row(CRD, "webhook_port", RegistrarConfig::webhookPort, 10443),
        row(CRD, "webhook_service_name", RegistrarConfig::webhookServiceName, "registrar-webhook"),
        row(CRD, "metrics_bind_addr", RegistrarConfig::metricsBindAddr, ":9091"),
        row(CRD, "addr", RegistrarConfig::addr, ":9443"),
        row(CRD, "cert_path", RegistrarConfig::certPath, "/tls/cert.pem"),
        row(CRD, "key_path", RegistrarConfig::keyPath, "/tls/key.pem"),
        row(CRD, "cacert_path", RegistrarConfig::cacertPath, "/tls/ca.pem"),
        row(
            CRD,
            "insecure_skip_client_verification",
            RegistrarConfig::insecureSkipClientVerification,
            true),
        row(CRD, "node_attestor", RegistrarConfig::nodeAttestor, NodeAttestor.K8S_SAT),
        row(CRD, "agent_namespace", RegistrarConfig::agentNamespace, "spire-system"),
        row(CRD, "agent_pod_selector", RegistrarConfig::agentPodSelector, "app=agent, tier=node"),
        row(
            CRD,
            "agent_pod_selector",
            RegistrarConfig::agentPodLabels,
            Map.of("app", "agent", "tier", "node")),
        row(CRD, "parent_mode", RegistrarConfig::parentMode, ParentMode.AGENT),
        row(CRD, "pod_uid_selector", RegistrarConfig::podUidSelector, true),
        row(CRD, "resync_period", RegistrarConfig::resyncPeriod, Duration.ofMinutes(90)),
        row(CRD, "batch_size", RegistrarConfig::batchSize, 100),
        row(CRD, "page_size", RegistrarConfig::pageSize, 500),
        row(CRD, "spire_timeout", RegistrarConfig::spireTimeout, Duration.ofSeconds(45)),
        row(CRD, "health_addr", RegistrarConfig::healthAddr, ":9808"),
        row(
            CRD,
            "leader_election_namespace",
            RegistrarConfig::leaderElectionNamespace,
            "registrar"),
        row(
            CRD,
            "leader_election_lease_name",
            RegistrarConfig::leaderElectionLeaseName,
            "registrar-lease"),
        row(
            CRD,
            "tenant",
            RegistrarConfig::tenantConfinement,
            new TenantRules(
                false,
                List.of("spiffe://td.example/spire/agent/k8s_sat/blue/abc"),
                List.of("spire-system", "ops"))),
        row(CRD, "tenant.confine", c -> c.tenantConfinement().confine(), false),
        row(
            CRD,
            "tenant.allowed_parent_ids",
            c -> c.tenantConfinement().allowedParentIds(),
            List.of("spiffe://td.example/spire/agent/k8s_sat/blue/abc")),
        row(
            CRD,
            "tenant.privileged_namespaces",
            c -> c.tenantConfinement().privilegedNamespaces(),
            List.of("spire-system", "ops")));
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
        Stream.concat(
                KnownKeys.TOP_LEVEL.keySet().stream(),
                KnownKeys.TENANT.keySet().stream().map(k -> "tenant." + k))
            .collect(Collectors.toSet());

    assertThat(covered).containsExactlyInAnyOrderElementsOf(known);
  }

  @Test
  void theEveryKeyFilesLoadWithoutWarnings() {
    assertThat(Stream.of(CRD, LABEL, ANNOTATION).map(Configs::loadResource))
        .allSatisfy(config -> assertThat(config.warnings()).isEmpty());
  }
}
