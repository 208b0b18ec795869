package org.spireoperator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart in deploy/helm/ against the kustomize base in deploy/, its single source of truth:
 * with default values the chart renders the objects of {@code kubectl kustomize deploy/} field for
 * field (after {@link ManifestNormalization}); any drift fails here.
 *
 * <p>Needs helm ({@code scripts/helm-install.sh}; found through {@code -Dhelm}, {@code $HELM}, its
 * cache or PATH) and kubectl. Without them the rendering tests are skipped, unless {@code
 * -Dhelm.required=true} (set by .ci/run) makes that a failure.
 */
class HelmChartTest {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final String NAMESPACE = "spire";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Predicate<ObjectKey> NAMESPACE_OBJECT =
      key -> key.kind().equals("Namespace");

  @TempDir Path work;

  private static Path required(Optional<Path> tool, String what) {
    if (tool.isPresent()) {
      return tool.get();
    }
    String message = what + " not found (scripts/helm-install.sh builds helm; kubectl from PATH)";
    if (Boolean.getBoolean("helm.required")) {
      return Assertions.fail(message + ", and -Dhelm.required=true");
    }
    Assumptions.abort(message);
    return null;
  }

  private static HelmChart chart() {
    return HelmChart.of(required(HelmChart.locateHelm(), "helm"), REPO);
  }

  private static Kustomize kustomize() {
    return Kustomize.of(required(Kustomize.locateKubectl(), "kubectl"), REPO);
  }

  /** Both sides brought to one form: what only Helm adds removed, content canonical. */
  private static ManifestSet comparable(ManifestSet set) {
    return set.map(ManifestNormalization::withoutHelmFields).map(ManifestNormalization::canonical);
  }

  private static <T> T object(ManifestSet set, Class<T> type, String kind, String name) {
    return set.objects().entrySet().stream()
        .filter(e -> e.getKey().kind().equals(kind) && e.getKey().name().equals(name))
        .map(e -> SERIALIZATION.convertValue(e.getValue(), type))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no " + kind + " " + name + " in " + set.objects().keySet()));
  }

  private static Deployment deployment(ManifestSet set) {
    return object(set, Deployment.class, "Deployment", "spire-k8s-registrar");
  }

  private static Container registrar(ManifestSet set) {
    return deployment(set).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Map<String, Object> configuration(ManifestSet set) {
    ConfigMap configMap = object(set, ConfigMap.class, "ConfigMap", "spire-k8s-registrar");
    return DeployDirectory.parseHcl(configMap.getData().get(ManifestNormalization.CONFIG_FILE));
  }

  private Path valuesFile(String yaml) throws IOException {
    return Files.writeString(Files.createTempFile(work, "values", ".yaml"), yaml);
  }

  // The single source of truth

  @Test
  @DisplayName(
      "default values render every object of kubectl kustomize deploy/ but the Namespace, field for field")
  void defaultValuesRenderDeploy() {
    ManifestSet kustomize = kustomize().render().without(NAMESPACE_OBJECT);

    assertThat(ManifestDiff.between(comparable(kustomize), comparable(chart().render(NAMESPACE))))
        .isEmpty();
  }

  @Test
  @DisplayName("tcp.enabled=true renders deploy/ with the variants/tcp component, field for field")
  void tcpRendersTheTcpVariant() {
    ManifestSet kustomize =
        kustomize().renderWith(work.resolve("tcp"), "variants/tcp").without(NAMESPACE_OBJECT);

    assertThat(
            ManifestDiff.between(
                comparable(kustomize),
                comparable(chart().render(NAMESPACE, "--set", "tcp.enabled=true"))))
        .isEmpty();
  }

  @Test
  @DisplayName("namespace.create=true renders the Namespace of deploy/ as well")
  void namespaceCreateRendersTheNamespace() {
    assertThat(
            ManifestDiff.between(
                comparable(kustomize().render()),
                comparable(chart().render(NAMESPACE, "--set", "namespace.create=true"))))
        .isEmpty();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "spiffeids.spiffeid.spiffe.io-v1.yml",
        "clusterspiffeids.spire.spiffe.io-v1.yml",
        "clusterstaticentries.spire.spiffe.io-v1.yml",
        "clusterfederatedtrustdomains.spire.spiffe.io-v1.yml"
      })
  @DisplayName("the chart's copies of the CRDs are deploy/crds/'s, byte for byte")
  void chartCarriesTheCrdsOfDeploy(String file) throws IOException {
    assertThat(Files.readString(REPO.resolve("deploy/helm/files/" + file)))
        .as("refresh it with: cp deploy/crds/%s deploy/helm/files/", file)
        .isEqualTo(Files.readString(REPO.resolve("deploy/crds/" + file)));
  }

  @Test
  @DisplayName("the chart's appVersion is the image tag deploy/ runs")
  void appVersionIsTheImageTagOfDeploy() {
    Map<String, Object> chartYaml =
        new DeployDirectory(REPO.resolve("deploy"), SERIALIZATION).loadMap("helm/Chart.yaml");
    Deployment deployment =
        DeployDirectory.ofRepository().load("deployment.yaml", Deployment.class);

    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .endsWith(":" + chartYaml.get("appVersion"));
  }

  // Values

  @Test
  @DisplayName("crds.install=false renders no CRD")
  void crdsInstallFalseRendersNoCrd() {
    assertThat(chart().render(NAMESPACE, "--set", "crds.install=false").objects().keySet())
        .extracting(ObjectKey::kind)
        .doesNotContain("CustomResourceDefinition")
        .contains("Deployment");
  }

  @Test
  @DisplayName(
      "another release namespace takes the place of spire in every object, binding and the lease namespace")
  void releaseNamespaceReplacesSpire() {
    ManifestSet set = chart().render("identity");

    assertThat(set.objects().keySet())
        .filteredOn(key -> !key.namespace().isEmpty())
        .isNotEmpty()
        .allSatisfy(key -> assertThat(key.namespace()).isEqualTo("identity"));
    assertThat(
            object(set, ClusterRoleBinding.class, "ClusterRoleBinding", "spire-k8s-registrar")
                .getSubjects())
        .singleElement()
        .satisfies(subject -> assertThat(subject.getNamespace()).isEqualTo("identity"));
    assertThat(configuration(set)).containsEntry("leader_election_namespace", "identity");
  }

  @Test
  @DisplayName(
      "trust domain, cluster, node attestor, parent mode and agents reach the configuration")
  void headlineValuesReachTheConfiguration() throws IOException {
    Path values =
        valuesFile(
            """
            trustDomain: prod.example.com
            cluster: prod-eu
            nodeAttestor: k8s_psat
            parentMode: agent
            agents: {namespace: spire-system, podSelector: "app.kubernetes.io/name=agent"}
            """);

    assertThat(configuration(chart().render(NAMESPACE, "-f", values.toString())))
        .containsEntry("trust_domain", "prod.example.com")
        .containsEntry("cluster", "prod-eu")
        .containsEntry("node_attestor", "k8s_psat")
        .containsEntry("parent_mode", "agent")
        .containsEntry("agent_namespace", "spire-system")
        .containsEntry("agent_pod_selector", "app.kubernetes.io/name=agent");
  }

  @Test
  @DisplayName(
      "config keys are written into the HCL file: strings, numbers, booleans, lists and blocks")
  void configKeysBecomeHcl() throws IOException {
    Path values =
        valuesFile(
            """
            config:
              log_level: null
              pod_uid_selector: true
              resync_period: 5m
              batch_size: 20
              disabled_namespaces: [kube-system, "quote\\"d"]
              tenant: {confine: true, privileged_namespaces: [spire]}
            """);

    Map<String, Object> configuration =
        configuration(chart().render(NAMESPACE, "-f", values.toString()));

    assertThat(ManifestNormalization.canonicalContent(configuration))
        .isEqualTo(
            ManifestNormalization.canonicalContent(
                Map.ofEntries(
                    Map.entry("trust_domain", "example.org"),
                    Map.entry("cluster", "demo"),
                    Map.entry("server_socket_path", "/run/spire/server-sockets/api.sock"),
                    Map.entry("leader_election", true),
                    Map.entry("leader_election_namespace", "spire"),
                    Map.entry("node_attestor", "k8s_sat"),
                    Map.entry("parent_mode", "node"),
                    Map.entry("agent_namespace", "spire"),
                    Map.entry("agent_pod_selector", "app=spire-agent"),
                    Map.entry("metrics_addr", ":8080"),
                    Map.entry("health_addr", ":8081"),
                    Map.entry("mode", "reconcile"),
                    Map.entry("log_format", "json"),
                    Map.entry("pod_uid_selector", true),
                    Map.entry("resync_period", "5m"),
                    Map.entry("batch_size", 20),
                    Map.entry("disabled_namespaces", List.of("kube-system", "quote\"d")),
                    Map.entry(
                        "tenant",
                        Map.of("confine", true, "privileged_namespaces", List.of("spire"))))));
  }

  @Test
  @DisplayName("a config key the chart writes itself is refused with one line naming it")
  void configKeyOfTheChartIsRefused() {
    ExternalCommand.Result result =
        chart().command(NAMESPACE, "template", "--set", "config.trust_domain=other.org").execute();

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr())
        .contains("config.trust_domain: the chart writes trust_domain itself");
  }

  @Test
  @DisplayName("the values schema refuses an unknown node attestor and a misspelt value")
  void schemaRefusesWrongValues() {
    assertThat(
            chart().command(NAMESPACE, "template", "--set", "nodeAttestor=psat").execute().stderr())
        .contains("/nodeAttestor")
        .contains("k8s_psat");
    assertThat(chart().command(NAMESPACE, "template", "--set", "trustdomain=x").execute().stderr())
        .contains("additional properties 'trustdomain' not allowed");
  }

  @Test
  @DisplayName("one replica with the disruption budget is refused: it would block every drain")
  void oneReplicaWithTheBudgetIsRefused() {
    ExternalCommand.Result result =
        chart().command(NAMESPACE, "template", "--set", "replicaCount=1").execute();

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("podDisruptionBudget.enabled=false");
    assertThat(
            chart()
                .render(
                    NAMESPACE,
                    "--set",
                    "replicaCount=1",
                    "--set",
                    "podDisruptionBudget.enabled=false")
                .objects()
                .keySet())
        .extracting(ObjectKey::kind)
        .doesNotContain("PodDisruptionBudget");
  }

  @Test
  @DisplayName("the image is repository:tag with the chart's appVersion as the default tag")
  void imageValues() {
    assertThat(registrar(chart().render(NAMESPACE)).getImage())
        .isEqualTo("ghcr.io/spireoperator/spire-k8s-operator:0.1.0");

    Container container =
        registrar(
            chart()
                .render(
                    NAMESPACE,
                    "--set",
                    "image.repository=registry.example/op",
                    "--set",
                    "image.tag=1.2.3-rc1",
                    "--set",
                    "image.pullPolicy=Always"));
    assertThat(container.getImage()).isEqualTo("registry.example/op:1.2.3-rc1");
    assertThat(container.getImagePullPolicy()).isEqualTo("Always");
  }

  @Test
  @DisplayName("replicas and resources reach the Deployment")
  void replicasAndResources() {
    ManifestSet set =
        chart()
            .render(
                NAMESPACE,
                "--set",
                "replicaCount=3",
                "--set",
                "resources.limits.memory=1Gi",
                "--set",
                "resources.requests.memory=768Mi");

    assertThat(deployment(set).getSpec().getReplicas()).isEqualTo(3);
    assertThat(registrar(set).getResources().getLimits())
        .containsEntry("memory", new Quantity("1Gi"));
    assertThat(registrar(set).getResources().getRequests())
        .containsEntry("memory", new Quantity("768Mi"));
  }

  @Test
  @DisplayName(
      "listener ports reach the configuration, the container ports and the metrics Service")
  void listenerPorts() {
    ManifestSet set =
        chart().render(NAMESPACE, "--set", "metrics.port=9090", "--set", "health.port=9091");

    assertThat(configuration(set))
        .containsEntry("metrics_addr", ":9090")
        .containsEntry("health_addr", ":9091");
    assertThat(registrar(set).getPorts())
        .extracting(p -> p.getName() + "=" + p.getContainerPort())
        .containsExactlyInAnyOrder("metrics=9090", "health=9091");
    assertThat(
            object(set, Service.class, "Service", "spire-k8s-registrar-metrics")
                .getSpec()
                .getPorts())
        .singleElement()
        .satisfies(port -> assertThat(port.getPort()).isEqualTo(9090));
  }

  @Test
  @DisplayName("a changed configuration changes the pod template's checksum, so the pods restart")
  void configurationChecksum() {
    String before =
        deployment(chart().render(NAMESPACE))
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get("checksum/config");
    String after =
        deployment(chart().render(NAMESPACE, "--set", "config.log_level=debug"))
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get("checksum/config");

    assertThat(after).isNotBlank().isNotEqualTo(before);
  }

  @Test
  @DisplayName(
      "example identities become SpiffeID objects, created by post-install/post-upgrade hooks after the CRD")
  void exampleIdentities() throws IOException {
    Path values =
        valuesFile(
            """
            spiffeIds:
              - name: my-app
                namespace: default
                spec:
                  spiffeId: spiffe://example.org/ns/default/sa/my-app
                  parentId: spiffe://example.org/spire-k8s-registrar/demo/node/node-1
                  selector: {namespace: default, podLabel: {app: my-app}}
                  dnsNames: [my-app.default.svc, my-app.default.svc.cluster.local]
            """);
    ManifestSet set = chart().render(NAMESPACE, "-f", values.toString());
    Map<String, Object> example = DeployDirectory.ofRepository().loadMap("examples/spiffeid.yaml");

    Map<String, Object> rendered =
        set.get(new ObjectKey("spiffeid.spiffe.io", "SpiffeID", "default", "my-app"));
    assertThat(rendered).isNotNull();
    assertThat(rendered.get("spec")).isEqualTo(example.get("spec"));
    assertThat(
            SERIALIZATION
                .convertValue(rendered, GenericKubernetesResource.class)
                .getMetadata()
                .getAnnotations())
        .containsEntry("helm.sh/hook", "post-install,post-upgrade");
  }
}
