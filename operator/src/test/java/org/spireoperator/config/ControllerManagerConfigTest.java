package org.spireoperator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * spire-controller-manager's configuration file is read as this operator's configuration: the SPIRE
 * Helm chart's file as it is, each key it honours into the key that does the same, bad values
 * stopped with one line naming the key.
 */
class ControllerManagerConfigTest {

  private static final String SOURCE = "controller-manager-config.yaml";
  private static final String HEAD =
      "apiVersion: spire.spiffe.io/v1alpha1\nkind: ControllerManagerConfig\n";
  private static final String REQUIRED = "clusterName: demo\ntrustDomain: example.org\n";

  private static String chartFile() {
    try {
      return Files.readString(
          Path.of(
              Objects.requireNonNull(
                      ControllerManagerConfigTest.class.getResource(
                          "/scm/controller-manager/helm-chart.yaml"))
                  .toURI()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ControllerManagerConfigReader reader(
      Map<String, String> env, ControllerManagerFlags flags, String resolvConf) {
    return new ControllerManagerConfigReader(env, flags, () -> resolvConf);
  }

  private static final Map<String, String> NO_WEBHOOK = Map.of("ENABLE_WEBHOOKS", "false");

  /** A pod's resolver configuration in namespace spire-server of a cluster.local cluster. */
  private static final String POD_RESOLV_CONF =
      "search spire-server.svc.cluster.local svc.cluster.local cluster.local\n";

  private static RegistrarConfig read(String text) {
    return reader(NO_WEBHOOK, ControllerManagerFlags.NONE, POD_RESOLV_CONF).read(text, SOURCE);
  }

  private static RegistrarConfig read(String text, ControllerManagerFlags flags) {
    return reader(NO_WEBHOOK, flags, POD_RESOLV_CONF).read(text, SOURCE);
  }

  private static String error(String text) {
    return assertThatThrownBy(() -> read(text))
        .isInstanceOf(ConfigException.class)
        .actual()
        .getMessage();
  }

  static Stream<Arguments> chartKeys() {
    return Stream.of(
        row("kind", RegistrarConfig::mode, Mode.CONTROLLER_MANAGER),
        row("trustDomain", c -> c.identity().trustDomain(), "example.org"),
        row("clusterName", c -> c.identity().cluster(), "demo"),
        row(
            "spireServerSocketPath",
            c -> c.spire().serverAddress(),
            "unix:///tmp/spire-server/private/api.sock"),
        row("metrics.bindAddress", RegistrarConfig::effectiveMetricsAddr, "0.0.0.0:8082"),
        row("health.healthProbeBindAddress", c -> c.observability().healthAddr(), "0.0.0.0:8083"),
        row("gcInterval", c -> c.reconciliation().resyncPeriod(), Duration.ofSeconds(10)),
        row("logLevel", c -> c.observability().logLevel(), "info"),
        row("logEncoding", c -> c.observability().logFormat(), "text"),
        row("leaderElection.leaderElect", c -> c.leaderElection().enabled(), true),
        row(
            "leaderElection.resourceName",
            c -> c.leaderElection().leaseName(),
            "6f304bd2.spiffe.io"),
        row(
            "leaderElection.resourceNamespace",
            c -> c.leaderElection().namespace(),
            "spire-server"),
        row("entryIDPrefix", c -> c.identity().entryIdPrefix(), "demo."),
        row("entryIDPrefix", c -> c.clusterSpiffeIds().takeOverEntryIdPrefix(), "demo."),
        row("className", c -> c.clusterSpiffeIds().className(), "spire-server-spire"),
        row("watchClassless", c -> c.clusterSpiffeIds().watchClassless(), false),
        row(
            "ignoreNamespaces",
            c -> c.clusterSpiffeIds().ignoreNamespaces(),
            List.of("kube-system", "kube-public", "local-path-storage", "openshift-.*", "ibm-.*")),
        row("parentIDTemplate", c -> c.clusterSpiffeIds().parent(), "agent"),
        row("clusterDomain (from DNS)", c -> c.clusterSpiffeIds().clusterDomain(), "cluster.local"),
        row("node attestor", c -> c.agents().nodeAttestor().hclValue(), "k8s_psat"),
        row("ClusterSPIFFEIDs", c -> c.clusterSpiffeIds().enabled(), true));
  }

  private static Arguments row(
      String key, Function<RegistrarConfig, Object> component, Object expected) {
    return Arguments.of(key, Named.of("component", component), expected);
  }

  @ParameterizedTest(name = "{0} = {2}")
  @MethodSource("chartKeys")
  @DisplayName("the SPIRE Helm chart's file: each key reaches the setting that does the same")
  void theChartsFileIsHonoured(
      String key, Function<RegistrarConfig, Object> component, Object expected) {
    assertThat(component.apply(read(chartFile()))).as(key).isEqualTo(expected);
  }

  @Test
  @DisplayName("the chart's file loads without a warning when the webhook is off")
  void theChartsFileLoadsWithoutWarnings() {
    assertThat(read(chartFile()).warnings()).isEmpty();
  }

  @Test
  @DisplayName("spire-controller-manager's defaults: its socket, 10 s, the ignored namespaces")
  void defaults() {
    RegistrarConfig c = read(HEAD + REQUIRED);
    assertThat(
            List.of(
                c.spire().serverAddress(),
                c.reconciliation().resyncPeriod(),
                c.clusterSpiffeIds().ignoreNamespaces(),
                c.leaderElection().enabled()))
        .containsExactly(
            "unix:///spire-server/api.sock",
            Duration.ofSeconds(10),
            List.of("kube-system", "kube-public", "spire-system"),
            false);
  }

  @Test
  @DisplayName("without entryIDPrefix nothing is taken over, and a warning says why")
  void withoutPrefixNothingIsTakenOver() {
    RegistrarConfig c = read(HEAD + REQUIRED);
    assertThat(c.clusterSpiffeIds().takeOverEntryIdPrefix()).isNull();
    assertThat(c.warnings()).anyMatch(w -> w.startsWith("entryIDPrefix is not set"));
  }

  @Test
  @DisplayName("the webhook left on is named in a warning with the Helm value that turns it off")
  void webhookOnIsWarnedAbout() {
    RegistrarConfig c = reader(Map.of(), ControllerManagerFlags.NONE, "").read(chartFile(), SOURCE);
    assertThat(c.warnings())
        .anyMatch(
            w -> w.contains("controllerManager.validatingWebhookConfiguration.enabled=false"));
  }

  @Test
  @DisplayName("a key spire-controller-manager does not know is ignored, as it does, with a hint")
  void unknownKeysAreWarnedAbout() {
    assertThat(read(HEAD + REQUIRED + "clustrName: x\n").warnings())
        .contains(
            "unknown key \"clustrName\" is ignored (as spire-controller-manager does): did you"
                + " mean \"clusterName\"?");
  }

  @Test
  @DisplayName("clusterDomain not set: found in resolv.conf's search list, as a pod's resolver has")
  void clusterDomainFromResolvConf() {
    RegistrarConfig c =
        reader(
                NO_WEBHOOK,
                ControllerManagerFlags.NONE,
                "nameserver 10.96.0.10\nsearch shop.svc.k8s.internal svc.k8s.internal"
                    + " k8s.internal\noptions ndots:5\n")
            .read(HEAD + REQUIRED, SOURCE);
    assertThat(c.clusterSpiffeIds().clusterDomain()).isEqualTo("k8s.internal");
  }

  @Test
  @DisplayName("gcInterval takes whole nanoseconds, also in exponent notation")
  void gcIntervalInNanoseconds() {
    assertThat(read(HEAD + REQUIRED + "gcInterval: 1.5e+9\n").reconciliation().resyncPeriod())
        .isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  @DisplayName("-zap-log-level and -zap-encoder win over logLevel and logEncoding")
  void zapFlagsWin() {
    RegistrarConfig c =
        read(
            HEAD + REQUIRED + "logLevel: info\nlogEncoding: console\n",
            new ControllerManagerFlags(null, null, "debug", "json", null, null, null));
    assertThat(List.of(c.observability().logLevel(), c.observability().logFormat()))
        .containsExactly("debug", "json");
  }

  @Test
  @DisplayName("-spire-api-socket gives the socket when the file names none")
  void spireApiSocketFlag() {
    RegistrarConfig c =
        read(
            HEAD + REQUIRED,
            new ControllerManagerFlags("/run/spire/api.sock", null, null, null, null, null, null));
    assertThat(c.spire().serverAddress()).isEqualTo("unix:///run/spire/api.sock");
  }

  @Test
  @DisplayName("-expand-env expands $VAR and ${VAR} from the environment")
  void expandEnv() {
    RegistrarConfig c =
        reader(
                Map.of("ENABLE_WEBHOOKS", "false", "CLUSTER", "blue", "TD", "td.example"),
                new ControllerManagerFlags(null, true, null, null, null, null, null),
                "")
            .read(HEAD + "clusterName: $CLUSTER\ntrustDomain: ${TD}\n", SOURCE);
    assertThat(List.of(c.identity().cluster(), c.identity().trustDomain()))
        .containsExactly("blue", "td.example");
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of(
            "clusterName: demo\n",
            SOURCE
                + ": key \"trustDomain\" is required: set it to your SPIRE trust domain, e.g."
                + " trustDomain: example.org"),
        Arguments.of(
            REQUIRED + "gcInterval: \"10s\"\n",
            SOURCE
                + ": key \"gcInterval\" must be a whole number of nanoseconds (a Go"
                + " time.Duration), got \"10s\": write e.g. gcInterval: 10000000000 (10 s)"),
        Arguments.of(
            REQUIRED + "logLevel: verbose\n",
            SOURCE
                + ": key \"logLevel\" must be \"debug\", \"info\", \"warn\" or \"error\", got"
                + " \"verbose\": write e.g. logLevel: info"),
        Arguments.of(
            REQUIRED + "watchClassless: \"yes\"\n",
            SOURCE
                + ": key \"watchClassless\" must be true or false, got \"yes\": write"
                + " watchClassless: true"),
        Arguments.of(
            REQUIRED
                + "parentIDTemplate: \"spiffe://{{ .TrustDomain }}/node/{{ .NodeMeta.Name }}\"\n",
            SOURCE
                + ": key \"parentIDTemplate\" is not spire-controller-manager's default, the only"
                + " parent this operator gives ClusterSPIFFEID entries, got"
                + " \"spiffe://{{ .TrustDomain }}/node/{{ .NodeMeta.Name }}\": remove it, or"
                + " write parentIDTemplate: \"spiffe://{{ .TrustDomain }}/spire/agent/k8s_psat/{{"
                + " .ClusterName }}/{{ .NodeMeta.UID }}\""),
        Arguments.of(
            REQUIRED + "reconcile:\n  clusterSPIFFEIDs: true\n",
            SOURCE
                + ": key \"reconcile.clusterFederatedTrustDomains\" is false (or missing from the"
                + " reconcile block), but this operator serves ClusterSPIFFEIDs,"
                + " ClusterStaticEntries and ClusterFederatedTrustDomains together: remove the"
                + " reconcile block, or set all three to true"),
        Arguments.of(
            REQUIRED + "entryIDPrefix: \"demo cluster\"\n",
            SOURCE
                + ": key \"entryIDPrefix\" must be 1 to 218 letters, digits, \".\", \"_\" and \"-\""
                + " (SPIRE entry IDs take only those), got \"demo cluster\": write e.g."
                + " entryIDPrefix: production"),
        Arguments.of(
            REQUIRED + "leaderElection:\n  leaderElect: true\n",
            SOURCE
                + ": key \"leaderElection.resourceName\" is required with leaderElect: true"
                + " (spire-controller-manager refuses to start without it): set the Lease name,"
                + " e.g. leaderElection: {resourceName: 9a3b1c2d.spiffe.io}"),
        Arguments.of(
            REQUIRED + "staticManifestPath: /manifests\n",
            SOURCE
                + ": key \"staticManifestPath\" asks for static manifests, which this operator"
                + " does not read: remove it and keep the ClusterSPIFFEIDs, ClusterStaticEntries"
                + " and ClusterFederatedTrustDomains in the cluster"),
        Arguments.of(REQUIRED + "ignoreNamespaces: [\"kube-(\"]\n", null));
  }

  @ParameterizedTest
  @MethodSource("badFiles")
  @DisplayName("a bad value stops loading with one line naming the file and the key")
  void badValuesStopWithOneLine(String body, String expected) {
    String message = error(HEAD + body);
    if (expected == null) {
      assertThat(message).startsWith(SOURCE + ": key \"ignoreNamespaces\" ").doesNotContain("\n");
    } else {
      assertThat(message).isEqualTo(expected);
    }
  }

  @Test
  @DisplayName("a file of another kind is refused, as spire-controller-manager refuses it")
  void anotherKindIsRefused() {
    assertThat(
            error(
                "apiVersion: spire.spiffe.io/v1beta1\nkind: ControllerManagerConfig\n" + REQUIRED))
        .startsWith(SOURCE + ": key \"apiVersion\" must be \"spire.spiffe.io/v1alpha1\"");
  }

  @Test
  @DisplayName("a YAML syntax error names the line")
  void yamlSyntaxErrorNamesTheLine() {
    assertThat(error(HEAD + REQUIRED + "metrics: [\n"))
        .startsWith(SOURCE + ": line ")
        .contains("YAML syntax error");
  }

  @Test
  @DisplayName("the loader tells spire-controller-manager's file from an HCL file by its kind")
  void theLoaderTellsTheFormatsApart() throws IOException {
    Path dir = Files.createTempDirectory("cmc");
    Path file = dir.resolve("controller-manager-config.yaml");
    Files.writeString(file, chartFile());
    assertThat(new ConfigLoader(NO_WEBHOOK).load(file).mode()).isEqualTo(Mode.CONTROLLER_MANAGER);
  }

  @Test
  @DisplayName("spire-controller-manager's flags with an HCL file are refused in one line")
  void itsFlagsWithAnHclFileAreRefused() throws IOException {
    Path file = Files.createTempFile("registrar", ".conf");
    Files.writeString(file, Configs.MINIMAL);
    ControllerManagerFlags flags =
        new ControllerManagerFlags(null, null, "debug", null, null, null, null);
    assertThatThrownBy(() -> ConfigLoader.withoutEnvironment().load(file, flags))
        .hasMessage(
            file
                + ": flag -zap-log-level is spire-controller-manager's and applies only with its"
                + " configuration file (kind: ControllerManagerConfig); this is an HCL file:"
                + " remove the flag and use the file's keys (docs/CONFIG.md)");
  }

  @Test
  @DisplayName("a flag value spire-controller-manager would refuse is refused")
  void badFlagValueIsRefused() {
    ControllerManagerFlags flags =
        new ControllerManagerFlags(null, null, null, "yaml", null, null, null);
    assertThatThrownBy(flags::check)
        .hasMessage(
            "command line: flag -zap-encoder must be one of [\"console\", \"json\"], got \"yaml\":"
                + " write e.g. -zap-encoder=console");
  }

  @Test
  @DisplayName("HCL with mode controller_manager needs agent parents (k8s_psat)")
  void hclControllerManagerModeNeedsAgentParents() {
    assertThatThrownBy(
            () -> Configs.parseWith("mode = \"controller_manager\"", "node_attestor = \"k8s_sat\""))
        .hasMessageStartingWith(
            Configs.SOURCE
                + ": key \"mode\" is \"controller_manager\", which writes no node entries");
  }
}
