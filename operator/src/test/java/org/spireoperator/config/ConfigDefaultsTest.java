package org.spireoperator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spireoperator.registration.NodeAttestor;
import org.spireoperator.registration.ParentMode;

class ConfigDefaultsTest {

  private static final RegistrarConfig MINIMAL = Configs.parse(Configs.MINIMAL);

  static Stream<Arguments> defaults() {
    return Stream.of(
        row("logLevel", RegistrarConfig::logLevel, "info"),
        row("logPath", RegistrarConfig::logPath, null),
        row("logFormat", RegistrarConfig::logFormat, "text"),
        row("agentSocketPath", RegistrarConfig::agentSocketPath, null),
        row(
            "serverAddress",
            RegistrarConfig::serverAddress,
            "unix:///tmp/spire-server/private/api.sock"),
        row("podLabel", RegistrarConfig::podLabel, null),
        row("podAnnotation", RegistrarConfig::podAnnotation, null),
        row("mode", RegistrarConfig::mode, Mode.RECONCILE),
        row(
            "disabledNamespaces",
            RegistrarConfig::disabledNamespaces,
            List.of("kube-system", "kube-public")),
        row("leaderElection", RegistrarConfig::leaderElection, false),
        row("leaderElectionResourceLock", RegistrarConfig::leaderElectionResourceLock, "leases"),
        row("metricsAddr", RegistrarConfig::metricsAddr, ":8080"),
        row("controllerName", RegistrarConfig::controllerName, "spire-k8s-registrar"),
        row("addPodDnsNames", RegistrarConfig::addPodDnsNames, false),
        row("clusterDnsZone", RegistrarConfig::clusterDnsZone, "cluster.local"),
        row("podController", RegistrarConfig::podController, true),
        row("addSvcDnsName", RegistrarConfig::addSvcDnsName, true),
        row("identityTemplate", RegistrarConfig::identityTemplate, null),
        row("identityTemplateLabel", RegistrarConfig::identityTemplateLabel, null),
        row("dnsNameTemplates", RegistrarConfig::dnsNameTemplates, List.of("{{.Pod.Name}}")),
        row("context", RegistrarConfig::context, Map.of()),
        row("webhookEnabled", RegistrarConfig::webhookEnabled, false),
        row("webhookCertDir", RegistrarConfig::webhookCertDir, "/run/spire/serving-certs"),
        row("webhookPort", RegistrarConfig::webhookPort, 9443),
        row("webhookServiceName", RegistrarConfig::webhookServiceName, "k8s-workload-registrar"),
        row("metricsBindAddr", RegistrarConfig::metricsBindAddr, ":8080"),
        row("addr", RegistrarConfig::addr, ":8443"),
        row("certPath", RegistrarConfig::certPath, "cert.pem"),
        row("keyPath", RegistrarConfig::keyPath, "key.pem"),
        row("cacertPath", RegistrarConfig::cacertPath, "cacert.pem"),
        row(
            "insecureSkipClientVerification",
            RegistrarConfig::insecureSkipClientVerification,
            false),
        row("nodeAttestor", RegistrarConfig::nodeAttestor, NodeAttestor.K8S_PSAT),
        row("agentNamespace", RegistrarConfig::agentNamespace, "spire"),
        row("agentPodSelector", RegistrarConfig::agentPodSelector, "app=spire-agent"),
        row("agentPodLabels", RegistrarConfig::agentPodLabels, Map.of("app", "spire-agent")),
        row("parentMode", RegistrarConfig::parentMode, ParentMode.NODE),
        row("podUidSelector", RegistrarConfig::podUidSelector, false),
        row("resyncPeriod", RegistrarConfig::resyncPeriod, Duration.ofSeconds(60)),
        row("batchSize", RegistrarConfig::batchSize, 50),
        row("pageSize", RegistrarConfig::pageSize, 200),
        row("spireTimeout", RegistrarConfig::spireTimeout, Duration.ofSeconds(30)),
        row("healthAddr", RegistrarConfig::healthAddr, ":8081"),
        row(
            "tenantConfinement",
            RegistrarConfig::tenantConfinement,
            new TenantRules(true, List.of(), List.of())),
        row("leaderElectionNamespace", RegistrarConfig::leaderElectionNamespace, "spire"),
        row(
            "leaderElectionLeaseName",
            RegistrarConfig::leaderElectionLeaseName,
            "spire-k8s-registrar-leader"),
        row("warnings", RegistrarConfig::warnings, List.of()));
  }

  private static Arguments row(
      String component, Function<RegistrarConfig, Object> accessor, Object expected) {
    return Arguments.of(Named.of(component, accessor), expected);
  }

  @ParameterizedTest(name = "{0} defaults to {1}")
  @MethodSource("defaults")
  void aMinimalConfigurationGetsTheDocumentedDefaults(
      Function<RegistrarConfig, Object> component, Object expected) {
    assertThat(component.apply(MINIMAL)).isEqualTo(expected);
  }

  @Test
  void aMinimalConfigurationNeedsOnlyTheTrustDomainAndTheCluster() {
    assertThat(MINIMAL.trustDomain()).isEqualTo("example.org");
    assertThat(MINIMAL.cluster()).isEqualTo("production");
  }

  @Test
  void crdModeWithoutPodLabelOrAnnotationNamesWorkloadsByNamespaceAndServiceAccount() {
    RegistrarConfig config = Configs.parseWith("mode = \"crd\"");

    assertThat(config.identityTemplate())
        .isEqualTo("ns/{{.Pod.Namespace}}/sa/{{.Pod.ServiceAccount}}");
  }

  @Test
  void crdModeWithAPodLabelHasNoIdentityTemplate() {
    RegistrarConfig config = Configs.parseWith("mode = \"crd\"", "pod_label = \"spire-workload\"");

    assertThat(config.identityTemplate()).isNull();
  }

  @Test
  void theLeaderElectionNamespaceDefaultsToThePodNamespaceFromTheEnvironment() {
    RegistrarConfig config =
        new ConfigLoader(Map.of("POD_NAMESPACE", "registrar-system"))
            .parse(Configs.MINIMAL, Configs.SOURCE);

    assertThat(config.leaderElectionNamespace()).isEqualTo("registrar-system");
  }

  @Test
  void upstreamsMyPodNamespaceVariableAlsoGivesTheLeaderElectionNamespace() {
    RegistrarConfig config =
        new ConfigLoader(Map.of("MY_POD_NAMESPACE", "legacy"))
            .parse(Configs.MINIMAL, Configs.SOURCE);

    assertThat(config.leaderElectionNamespace()).isEqualTo("legacy");
  }

  @Test
  void anExplicitLeaderElectionNamespaceWinsOverTheEnvironment() {
    RegistrarConfig config =
        new ConfigLoader(Map.of("POD_NAMESPACE", "registrar-system"))
            .parse(
                Configs.withRequired("leader_election_namespace = \"elsewhere\""), Configs.SOURCE);

    assertThat(config.leaderElectionNamespace()).isEqualTo("elsewhere");
  }

  @Test
  void anEmptyStringMeansNotSetAsUpstream() {
    RegistrarConfig config = Configs.parseWith("log_level = \"\"", "controller_name = \"\"");

    assertThat(config.logLevel()).isEqualTo("info");
    assertThat(config.controllerName()).isEqualTo("spire-k8s-registrar");
  }

  @Test
  void anEmptyDisabledNamespacesListDisablesNoNamespace() {
    assertThat(Configs.parseWith("disabled_namespaces = []").disabledNamespaces()).isEmpty();
  }

  @Test
  void theDefaultServerIsTheLocalSocketReachedWithoutCredentials() {
    assertThat(MINIMAL.serverIsUnixSocket()).isTrue();
    assertThat(MINIMAL.serverSocketPath()).hasValue(Path.of("/tmp/spire-server/private/api.sock"));
  }

  @Test
  void reconcileModeServesMetricsOnMetricsAddr() {
    assertThat(Configs.parseWith("metrics_addr = \":9000\"").effectiveMetricsAddr())
        .isEqualTo(":9000");
  }

  @Test
  void crdModeServesMetricsOnMetricsBindAddr() {
    assertThat(
            Configs.parseWith("mode = \"crd\"", "metrics_bind_addr = \":9001\"")
                .effectiveMetricsAddr())
        .isEqualTo(":9001");
  }

  @Test
  void metricsAddressZeroDisablesMetrics() {
    assertThat(Configs.parseWith("metrics_addr = \"0\"").metricsEnabled()).isFalse();
  }
}
