package org.spireoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.spireoperator.deploy.ExternalCommand;
import org.spireoperator.deploy.HelmChart;
import org.spireoperator.deploy.Kustomize;
import org.spireoperator.deploy.ManifestDiff;
import org.spireoperator.deploy.ManifestNormalization;
import org.spireoperator.deploy.ManifestSet;
import org.spireoperator.deploy.ObjectKey;
import org.spireoperator.e2e.support.E2eSettings;
import org.spireoperator.e2e.support.Eventually;
import org.spireoperator.e2e.support.RealKube;
import org.spireoperator.testing.Script;

/**
 * {@code helm install} of deploy/helm on a real kube-apiserver creates what {@code kubectl apply -k
 * deploy/} creates: the same objects, field for field as the API server stores them (after {@link
 * ManifestNormalization}: what only Helm adds, and what the server assigns). What kubectl would
 * create is read from a server-side dry run of it, so nothing has to be deleted before the helm
 * install. Then {@code helm upgrade} and {@code helm uninstall} of the release.
 *
 * <p>Runs on a kube-apiserver of its own (not the suite's shared one): both installs own the same
 * cluster-wide objects, and the suite's RBAC must stay as it is. Without a controller-manager no
 * pod runs: this is about the objects, not the operator (the other classes run it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmInstallE2ETest {

  private static final String NAMESPACE = "spire";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private RealKube kube;
  private Path kubeconfig;
  private HelmChart chart;
  private Path kubectl;
  private ManifestSet appliedByKubectl;
  private ManifestSet installedByHelm;

  @BeforeAll
  void installBothWays() throws Exception {
    Path repo = E2eSettings.repoRoot();
    Path work = E2eSettings.workRoot().resolve("helm");
    Path logs = work.resolve("logs");
    kube = RealKube.start(repo, work.resolve("kube"), logs);
    kubeconfig = work.resolve("admin.kubeconfig");
    Files.writeString(kubeconfig, adminKubeconfig(repo, work.resolve("kube"), logs));
    Path helm =
        Path.of(
            lastLine(
                new Script(
                        repo.resolve("scripts/helm-install.sh"),
                        logs.resolve("helm-install.sh.log"),
                        Map.of())
                    .run()));
    chart = HelmChart.of(helm, repo);
    kubectl =
        Kustomize.locateKubectl()
            .orElseThrow(() -> new IllegalStateException("kubectl is not on PATH (set KUBECTL)"));

    ManifestSet rendered = Kustomize.of(kubectl, repo).render();
    // The Namespace is created for real: helm installs into it, and the server-side dry run of
    // the namespaced objects needs it. Everything else kubectl apply -k would create is read from
    // a server-side dry run: the objects exactly as the API server would store them, and nothing
    // stored that the comparison would first have to delete (a CRD deleted soon after its creation
    // can keep its cleanup finalizer for minutes on a loaded machine: CI of 2026-12-04 waited out
    // 2 minutes on one).
    rendered.objects().entrySet().stream()
        .filter(object -> object.getKey().kind().equals("Namespace"))
        .forEach(
            object ->
                kube.admin()
                    .resource(
                        SERIALIZATION.convertValue(
                            object.getValue(), GenericKubernetesResource.class))
                    .create());
    appliedByKubectl =
        serverDryRun(
            ExternalCommand.of(
                    kubectl,
                    "--kubeconfig",
                    kubeconfig,
                    "apply",
                    "-k",
                    repo.resolve("deploy"),
                    "--dry-run=server",
                    "-o",
                    "json")
                .run());
    assertThat(appliedByKubectl.objects().keySet())
        .as("the objects of kubectl apply -k deploy/ --dry-run=server")
        .containsExactlyInAnyOrderElementsOf(rendered.objects().keySet());

    chart.command(NAMESPACE, "install", "--kubeconfig", kubeconfig.toString()).run();
    installedByHelm = stored(releaseObjects());
  }

  @AfterAll
  void stop() throws Exception {
    if (kube != null) {
      kube.close();
    }
  }

  // helm install == kubectl apply -k

  @Test
  @Order(1)
  @DisplayName(
      "helm install creates the objects kubectl apply -k deploy/ creates, but the Namespace it installs into")
  void sameObjects() {
    assertThat(installedByHelm.objects().keySet())
        .containsExactlyInAnyOrderElementsOf(
            appliedByKubectl.without(key -> key.kind().equals("Namespace")).objects().keySet());
  }

  @Test
  @Order(2)
  @DisplayName("as the API server stores them, they are equal field for field")
  void sameContent() {
    assertThat(
            ManifestDiff.between(
                comparable(appliedByKubectl.without(key -> key.kind().equals("Namespace"))),
                comparable(installedByHelm)))
        .isEmpty();
  }

  // Lifecycle of the release

  @Test
  @Order(3)
  @DisplayName(
      "helm upgrade to the TCP variant with three replicas and an example identity changes the stored objects")
  void upgrade() {
    chart
        .command(
            NAMESPACE,
            "upgrade",
            "--kubeconfig",
            kubeconfig.toString(),
            "--set",
            "tcp.enabled=true",
            "--set",
            "replicaCount=3",
            "--set-json",
            "spiffeIds=[{\"name\":\"my-app\",\"namespace\":\"default\",\"spec\":{"
                + "\"spiffeId\":\"spiffe://example.org/ns/default/sa/my-app\","
                + "\"parentId\":\"spiffe://example.org/spire-k8s-registrar/demo/node/node-1\","
                + "\"selector\":{\"namespace\":\"default\",\"podLabel\":{\"app\":\"my-app\"}}}}]")
        .run();

    KubernetesClient admin = kube.admin();
    var deployment =
        admin.apps().deployments().inNamespace(NAMESPACE).withName("spire-k8s-registrar").get();
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .extracting(v -> v.getName())
        .containsExactlyInAnyOrder("config", "spire-agent-socket", "tmp");
    assertThat(
            admin
                .configMaps()
                .inNamespace(NAMESPACE)
                .withName("spire-k8s-registrar")
                .get()
                .getData())
        .hasEntrySatisfying(
            ManifestNormalization.CONFIG_FILE,
            hcl -> assertThat(hcl).contains("server_address    = \"spire-server.spire:8081\""));
    assertThat(
            admin
                .genericKubernetesResources("spiffeid.spiffe.io/v1beta1", "SpiffeID")
                .inNamespace("default")
                .withName("my-app")
                .get())
        .isNotNull();
  }

  @Test
  @Order(4)
  @DisplayName(
      "helm uninstall removes the release's objects but keeps the CRDs (helm.sh/resource-policy: keep)")
  void uninstall() {
    Set<ObjectKey> release = releaseObjects();
    chart.releaseCommand(NAMESPACE, "uninstall", "--kubeconfig", kubeconfig.toString()).run();

    Eventually.converges("the release's objects are deleted")
        .untilAsserted(
            () ->
                assertThat(release)
                    .filteredOn(key -> resource(key).get() != null)
                    .extracting(ObjectKey::kind)
                    .containsOnly("CustomResourceDefinition"));
  }

  @Test
  @Order(5)
  @DisplayName(
      "an installation by kubectl apply -k is adopted by helm install after kubectl annotate/label -k, nothing recreated")
  void adoption() {
    Path deploy = E2eSettings.repoRoot().resolve("deploy");
    ExternalCommand.of(kubectl, "--kubeconfig", kubeconfig, "apply", "-k", deploy).run();
    Map<ObjectKey, String> before = uids(appliedByKubectl.objects().keySet());

    ExternalCommand.of(
            kubectl,
            "--kubeconfig",
            kubeconfig,
            "annotate",
            "--overwrite",
            "-k",
            deploy,
            "meta.helm.sh/release-name=" + HelmChart.RELEASE,
            "meta.helm.sh/release-namespace=" + NAMESPACE)
        .run();
    ExternalCommand.of(
            kubectl,
            "--kubeconfig",
            kubeconfig,
            "label",
            "--overwrite",
            "-k",
            deploy,
            "app.kubernetes.io/managed-by=Helm")
        .run();
    chart.command(NAMESPACE, "install", "--kubeconfig", kubeconfig.toString()).run();

    Set<ObjectKey> release = releaseObjects();
    assertThat(release).hasSize(appliedByKubectl.objects().size() - 1);
    assertThat(uids(release))
        .isEqualTo(
            before.entrySet().stream()
                .filter(e -> release.contains(e.getKey()))
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  private Map<ObjectKey, String> uids(Set<ObjectKey> keys) {
    return keys.stream()
        .collect(
            Collectors.toUnmodifiableMap(
                key -> key, key -> resource(key).get().getMetadata().getUid()));
  }

  private Set<ObjectKey> releaseObjects() {
    String manifest =
        chart
            .releaseCommand(NAMESPACE, "get manifest", "--kubeconfig", kubeconfig.toString())
            .run();
    return ManifestSet.parse(manifest).objects().keySet();
  }

  /** The objects as the API server stores them. */
  private ManifestSet stored(Set<ObjectKey> keys) {
    return ManifestSet.of(
        keys.stream()
            .map(
                key -> {
                  GenericKubernetesResource object = resource(key).get();
                  assertThat(object).as("%s on the API server", key).isNotNull();
                  @SuppressWarnings("unchecked")
                  Map<String, Object> map = SERIALIZATION.convertValue(object, Map.class);
                  return map;
                })
            .collect(Collectors.toList()));
  }

  /** The objects of {@code kubectl ... -o json}: one object, or a List of them. */
  private static ManifestSet serverDryRun(String json) {
    @SuppressWarnings("unchecked")
    Map<String, Object> printed = SERIALIZATION.unmarshal(json, Map.class);
    if (!"List".equals(printed.get("kind"))) {
      return ManifestSet.of(List.of(printed));
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> items = (List<Map<String, Object>>) printed.get("items");
    return ManifestSet.of(items);
  }

  private Resource<GenericKubernetesResource> resource(ObjectKey key) {
    var resources = kube.admin().genericKubernetesResources(apiVersionOf(key), key.kind());
    return key.namespace().isEmpty()
        ? resources.withName(key.name())
        : resources.inNamespace(key.namespace()).withName(key.name());
  }

  /** The API version deploy/ and the chart use for each group: v1, but the SpiffeID's v1beta1. */
  private static String apiVersionOf(ObjectKey key) {
    return switch (key.group()) {
      case "" -> "v1";
      case "spiffeid.spiffe.io" -> "spiffeid.spiffe.io/v1beta1";
      default -> key.group() + "/v1";
    };
  }

  private static ManifestSet comparable(ManifestSet set) {
    return set.map(ManifestNormalization::withoutServerFields)
        .map(ManifestNormalization::withoutHelmFields)
        .map(ManifestNormalization::canonical);
  }

  /** The admin kubeconfig scripts/kube-apiserver.sh wrote for this server. */
  private static String adminKubeconfig(Path repo, Path kubeWork, Path logs) throws Exception {
    Map<String, String> env =
        Script.exports(
            new Script(
                    repo.resolve("scripts/kube-apiserver.sh"),
                    logs.resolve("kube-apiserver.sh.log"),
                    Map.of())
                .run("env", kubeWork.toString()));
    return Files.readString(Path.of(env.get("KUBECONFIG")));
  }

  private static String lastLine(String stdout) {
    List<String> lines = stdout.strip().lines().toList();
    return lines.get(lines.size() - 1);
  }
}
