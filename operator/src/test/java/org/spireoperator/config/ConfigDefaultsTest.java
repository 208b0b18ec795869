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
import org.spireoperator.registration.PodEntryShape;

class ConfigDefaultsTest {

  private static final RegistrarConfig MINIMAL = Configs.parse(Configs.MINIMAL);

  static Stream<Arguments> defaults() {
    return Stream.of(
        row("logLevel", c -> c.observability().logLevel(), "info"),
        row("logPath", c -> c.observability().logPath(), null),
        row("logFormat", c -> c.observability().logFormat(), "text"),
        row("agentSocketPath", c -> c.spire().agentSocketPath(), null),
        row(
            "serverAddress",
            c -> c.spire().serverAddress(),
            "unix:///tmp/spire-server/private/api.sock"),
        row("podLabel", c -> c.identity().podLabel(), null),
        row("podAnnotation", c -> c.identity().podAnnotation(), null),
        row("mode", RegistrarConfig::mode, Mode.RECONCILE),
        row(
            "disabledNamespaces",
            c -> c.identity().disabledNamespaces(),
            List.of("kube-system", "kube-public")),
        row("leaderElection", c -> c.leaderElection().enabled(), false),
        row("leaderElectionResourceLock", c -> c.leaderElection().resourceLock(), "leases"),
        row("metricsAddr", c -> c.observability().metricsAddr(), ":8080"),
        row("controllerName", c -> c.identity().controllerName(), "spire-k8s-registrar"),
        row("addPodDnsNames", c -> c.dnsNames().addPodDnsNames(), false),
        row("clusterDnsZone", c -> c.dnsNames().clusterDnsZone(), "cluster.local"),
        row("podController", c -> c.reconciliation().podController(), true),
        row(
            "adoptUpstreamSpiffeIdEntries",
            c -> c.reconciliation().adoptUpstreamSpiffeIdEntries(),
            false),
        row("addSvcDnsName", c -> c.dnsNames().addSvcDnsName(), true),
        row("identityTemplate", c -> c.templates().identityTemplate(), null),
        row("identityTemplateLabel", c -> c.templates().identityTemplateLabel(), null),
        row("dnsNameTemplates", c -> c.templates().dnsNameTemplates(), List.of("{{.Pod.Name}}")),
        row("context", c -> c.templates().context(), Map.of()),
        row("webhookEnabled", c -> c.spiffeIdWebhook().enabled(), false),
        row("webhookCertDir", c -> c.spiffeIdWebhook().certDir(), "/run/spire/serving-certs"),
        row("webhookPort", c -> c.spiffeIdWebhook().port(), 9443),
        row("webhookServiceName", c -> c.spiffeIdWebhook().serviceName(), "k8s-workload-registrar"),
        row("metricsBindAddr", c -> c.observability().metricsBindAddr(), ":8080"),
        row("addr", c -> c.admissionWebhook().addr(), ":8443"),
        row("certPath", c -> c.admissionWebhook().certPath(), "cert.pem"),
        row("keyPath", c -> c.admissionWebhook().keyPath(), "key.pem"),
        row("cacertPath", c -> c.admissionWebhook().cacertPath(), "cacert.pem"),
        row(
            "insecureSkipClientVerification",
            c -> c.admissionWebhook().insecureSkipClientVerification(),
            false),
        row("nodeAttestor", c -> c.agents().nodeAttestor(), NodeAttestor.K8S_PSAT),
        row("agentNamespace", c -> c.agents().namespace(), "spire"),
        row("agentPodSelector", c -> c.agents().podSelector(), "app=spire-agent"),
        row("agentPodLabels", c -> c.agents().podLabels(), Map.of("app", "spire-agent")),
        row("parentMode", c -> c.agents().parentMode(), ParentMode.NODE),
        row("podUidSelector", c -> c.identity().podUidSelector(), false),
        row("resyncPeriod", c -> c.reconciliation().resyncPeriod(), Duration.ofSeconds(60)),
        row("batchSize", c -> c.spire().batchSize(), 50),
        row("pageSize", c -> c.spire().pageSize(), 500),
        row("spireTimeout", c -> c.spire().timeout(), Duration.ofSeconds(30)),
        row("healthAddr", c -> c.observability().healthAddr(), ":8081"),
        row(
            "tenantConfinement",
            RegistrarConfig::tenant,
            new TenantSettings(
                true, List.of(), List.of(), "/ns/{{.Namespace}}/", List.of(), List.of())),
        row("entryIdPrefix", c -> c.identity().entryIdPrefix(), "spire-k8s-registrar.production."),
        row("podEntryShape", c -> c.identity().podEntryShape(), PodEntryShape.UPSTREAM),
        row("leaderElectionNamespace", c -> c.leaderElection().namespace(), "spire"),
        row(
            "leaderElectionLeaseName",
            c -> c.leaderElection().leaseName(),
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
    assertThat(MINIMAL.identity().trustDomain()).isEqualTo("example.org");
    assertThat(MINIMAL.identity().cluster()).isEqualTo("production");
  }

  @Test
  void crdModeWithoutPodLabelOrAnnotationNamesWorkloadsByNamespaceAndServiceAccount() {
    RegistrarConfig config = Configs.parseWith("mode = \"crd\"");

    assertThat(config.templates().identityTemplate())
        .isEqualTo("ns/{{.Pod.Namespace}}/sa/{{.Pod.ServiceAccount}}");
  }

  @Test
  void crdModeWithAPodLabelHasNoIdentityTemplate() {
    RegistrarConfig config = Configs.parseWith("mode = \"crd\"", "pod_label = \"spire-workload\"");

    assertThat(config.templates().identityTemplate()).isNull();
  }

  @Test
  void theLeaderElectionNamespaceDefaultsToThePodNamespaceFromTheEnvironment() {
    RegistrarConfig config =
        new ConfigLoader(Map.of("POD_NAMESPACE", "registrar-system"))
            .parse(Configs.MINIMAL, Configs.SOURCE);

    assertThat(config.leaderElection().namespace()).isEqualTo("registrar-system");
  }

  @Test
  void upstreamsMyPodNamespaceVariableAlsoGivesTheLeaderElectionNamespace() {
    RegistrarConfig config =
        new ConfigLoader(Map.of("MY_POD_NAMESPACE", "legacy"))
            .parse(Configs.MINIMAL, Configs.SOURCE);

    assertThat(config.leaderElection().namespace()).isEqualTo("legacy");
  }

  @Test
  void anExplicitLeaderElectionNamespaceWinsOverTheEnvironment() {
    RegistrarConfig config =
        new ConfigLoader(Map.of("POD_NAMESPACE", "registrar-system"))
            .parse(
                Configs.withRequired("leader_election_namespace = \"elsewhere\""), Configs.SOURCE);

    assertThat(config.leaderElection().namespace()).isEqualTo("elsewhere");
  }

  @Test
  void anEmptyStringMeansNotSetAsUpstream() {
    RegistrarConfig config = Configs.parseWith("log_level = \"\"", "controller_name = \"\"");

    assertThat(config.observability().logLevel()).isEqualTo("info");
    assertThat(config.identity().controllerName()).isEqualTo("spire-k8s-registrar");
  }

  @Test
  void anEmptyDisabledNamespacesListDisablesNoNamespace() {
    assertThat(Configs.parseWith("disabled_namespaces = []").identity().disabledNamespaces())
        .isEmpty();
  }

  @Test
  void theDefaultServerIsTheLocalSocketReachedWithoutCredentials() {
    assertThat(MINIMAL.spire().serverIsUnixSocket()).isTrue();
    assertThat(MINIMAL.spire().serverSocketPath())
        .hasValue(Path.of("/tmp/spire-server/private/api.sock"));
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
