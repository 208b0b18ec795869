package org.spireoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.spireoperator.e2e.support.Eventually.converges;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spireoperator.e2e.support.OperatorProcess;
import org.spireoperator.e2e.support.RealKube;
import org.spireoperator.e2e.support.RealServers;
import org.spireoperator.e2e.support.RealServersExtension;
import org.spireoperator.e2e.support.Registrations;
import org.spireoperator.e2e.support.Workloads;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/**
 * The packaged operator, as its ServiceAccount with the deploy/ RBAC, keeps a real spire-server's
 * entries equal to a real kube-apiserver's Nodes, Pods and SpiffeIDs.
 */
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistrationE2ETest {

  private static final ResourceDefinitionContext SPIFFEIDS =
      new ResourceDefinitionContext.Builder()
          .withGroup("spiffeid.spiffe.io")
          .withVersion("v1beta1")
          .withPlural("spiffeids")
          .withKind("SpiffeID")
          .withNamespaced(true)
          .build();

  private final RealServers servers;
  private final Workloads workloads;
  private final Registrations registrations;
  private OperatorProcess operator;

  RegistrationE2ETest(RealServers servers) {
    this.servers = servers;
    this.workloads = servers.workloads();
    this.registrations = servers.registrations();
  }

  @BeforeAll
  void startOperator() throws Exception {
    operator =
        servers.startOperator(
            getClass(),
            "registrar",
            servers.operatorConfig().withLeaderElection("registration-e2e"));
    converges("operator ready").until(operator::isReady);
    converges("operator leads").until(() -> operator.metrics().isLeader());
  }

  @AfterAll
  void stopOperator() {
    if (operator != null) {
      operator.stop();
    }
  }

  @Test
  void nodesAndRunningPodsGetEntriesOfExactlyTheUpstreamShape() {
    workloads.namespace("reg-shapes");
    workloads.node("reg-node-a");
    workloads.node("reg-node-b");
    workloads.runningPod("reg-shapes", "web-0", "web", "reg-node-a");
    workloads.runningPod("reg-shapes", "web-1", "web", "reg-node-b");
    workloads.runningPod("reg-shapes", "billing-0", "billing", "reg-node-b");

    converges("node and pod entries")
        .untilAsserted(
            () -> {
              assertThat(registrationsWithId(registrations.nodeId("reg-node-a")))
                  .containsExactly(registrations.nodeEntry("reg-node-a"));
              assertThat(registrationsWithId(registrations.nodeId("reg-node-b")))
                  .containsExactly(registrations.nodeEntry("reg-node-b"));
              assertThat(registrations.inNamespace("reg-shapes"))
                  .containsExactlyInAnyOrder(
                      registrations.podEntry("reg-shapes", "web", "web-0", "reg-node-a"),
                      registrations.podEntry("reg-shapes", "web", "web-1", "reg-node-b"),
                      registrations.podEntry("reg-shapes", "billing", "billing-0", "reg-node-b"));
            });
    assertThat(registrations.nodeEntry("reg-node-a").spiffeId())
        .hasToString("spiffe://example.org/spire-k8s-registrar/demo/node/reg-node-a");
    assertThat(registrations.podEntry("reg-shapes", "web", "web-0", "reg-node-a").selectors())
        .extracting(Selector::toString)
        .containsExactly("k8s:ns:reg-shapes", "k8s:pod-name:web-0");
  }

  @Test
  void deletingAPodRemovesItsEntryAndLeavesTheOthers() {
    workloads.namespace("reg-pod-delete");
    workloads.node("reg-node-c");
    workloads.runningPod("reg-pod-delete", "p-0", "app", "reg-node-c");
    workloads.runningPod("reg-pod-delete", "p-1", "app", "reg-node-c");
    converges("both pod entries")
        .untilAsserted(() -> assertThat(registrations.inNamespace("reg-pod-delete")).hasSize(2));
    String keptId = onlyEntryOf("reg-pod-delete", "p-1").id();

    workloads.deletePod("reg-pod-delete", "p-0");

    converges("p-0's entry gone")
        .untilAsserted(() -> assertThat(registrations.ofPod("reg-pod-delete", "p-0")).isEmpty());
    assertThat(registrations.ofPod("reg-pod-delete", "p-1"))
        .extracting(Entry::id)
        .containsExactly(keptId);
  }

  @Test
  void deletingANodeRemovesItsNodeEntry() {
    workloads.node("reg-node-d");
    converges("node entry")
        .untilAsserted(
            () ->
                assertThat(registrationsWithId(registrations.nodeId("reg-node-d")))
                    .containsExactly(registrations.nodeEntry("reg-node-d")));

    workloads.deleteNode("reg-node-d");

    converges("node entry gone")
        .untilAsserted(
            () ->
                assertThat(registrations.withSpiffeId(registrations.nodeId("reg-node-d")))
                    .isEmpty());
  }

  @Test
  void theApiServerServesTheCrdWithItsSchemaStatusSubresourceAndPrinterColumns() {
    CustomResourceDefinitionVersion served =
        servers.kube().servedCrd().getSpec().getVersions().stream()
            .filter(v -> v.getName().equals("v1beta1"))
            .findFirst()
            .orElseThrow();
    assertThat(served.getServed()).isTrue();
    assertThat(served.getSubresources().getStatus()).isNotNull();
    assertThat(served.getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .contains("Parent", "SPIFFE ID", "Ready", "Entry");

    workloads.namespace("reg-crd");
    KubernetesClient admin = servers.kube().admin();
    assertThatThrownBy(
            () ->
                admin
                    .genericKubernetesResources(SPIFFEIDS)
                    .inNamespace("reg-crd")
                    .resource(
                        spiffeId(
                            "reg-crd",
                            "invalid",
                            "not-a-spiffe-id",
                            "spiffe://example.org/x",
                            "app"))
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage()).contains("spec.spiffeId");
            });

    GenericKubernetesResource withStatus =
        spiffeId(
            "reg-crd",
            "status-ignored",
            "spiffe://example.org/ns/reg-crd/a",
            registrations.nodeId("reg-node-none").toString(),
            "a");
    withStatus.setAdditionalProperty("status", Map.of("entryId", "written-by-a-client"));
    GenericKubernetesResource created =
        admin
            .genericKubernetesResources(SPIFFEIDS)
            .inNamespace("reg-crd")
            .resource(withStatus)
            .create();
    assertThat(statusEntryId(created))
        .as("status set through the main resource is dropped")
        .isEmpty();
  }

  @Test
  void aSpiffeIdGetsAnEntryNamedInItsStatusAndLosesItWhenDeleted() {
    workloads.namespace("reg-sid");
    workloads.node("reg-node-e");
    SpiffeId parent = registrations.nodeId("reg-node-e");
    KubernetesClient admin = servers.kube().admin();
    converges("parent node entry")
        .untilAsserted(() -> assertThat(registrations.withSpiffeId(parent)).hasSize(1));

    admin
        .genericKubernetesResources(SPIFFEIDS)
        .inNamespace("reg-sid")
        .resource(
            spiffeId(
                "reg-sid",
                "reporter",
                "spiffe://example.org/ns/reg-sid/reporter",
                parent.toString(),
                "reporter"))
        .create();

    String entryId =
        converges("status.entryId")
            .until(
                () ->
                    statusEntryId(
                        admin
                            .genericKubernetesResources(SPIFFEIDS)
                            .inNamespace("reg-sid")
                            .withName("reporter")
                            .get()),
                Optional::isPresent)
            .orElseThrow();
    Entry entry = registrations.spire().getEntry(entryId).orElseThrow();
    assertThat(Registrations.registration(entry))
        .isEqualTo(
            Entry.of(
                SpiffeId.parse("spiffe://example.org/ns/reg-sid/reporter"),
                parent,
                List.of(Selector.k8s("ns", "reg-sid"), Selector.k8s("pod-label", "app:reporter"))));

    admin
        .genericKubernetesResources(SPIFFEIDS)
        .inNamespace("reg-sid")
        .withName("reporter")
        .delete();

    converges("entry and resource gone")
        .untilAsserted(
            () -> {
              assertThat(registrations.spire().getEntry(entryId)).isEmpty();
              assertThat(
                      admin
                          .genericKubernetesResources(SPIFFEIDS)
                          .inNamespace("reg-sid")
                          .withName("reporter")
                          .get())
                  .isNull();
            });
  }

  @Test
  void theOperatorRunsAsItsServiceAccountWithTheDeployRbacAndIsNotAdmin() throws Exception {
    String kubeconfig = Files.readString(servers.operatorKubeconfig());
    assertThat(kubeconfig)
        .contains("token:")
        .doesNotContain("client-certificate")
        .doesNotContain("client-key");

    try (KubernetesClient asOperator = RealKube.clientFor(servers.operatorKubeconfig())) {
      SelfSubjectReview whoami =
          asOperator.authentication().v1().selfSubjectReviews().create(new SelfSubjectReview());
      assertThat(whoami.getStatus().getUserInfo().getUsername())
          .isEqualTo("system:serviceaccount:spire:spire-k8s-registrar");
      assertThat(whoami.getStatus().getUserInfo().getGroups()).doesNotContain("system:masters");

      assertThat(asOperator.pods().inAnyNamespace().list().getItems()).isNotNull();
      assertThatThrownBy(() -> asOperator.secrets().inAnyNamespace().list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      assertThat(allowed(asOperator, "delete", "pods")).isFalse();
      assertThat(allowed(asOperator, "create", "nodes")).isFalse();
    }
    assertThat(
            servers
                .kube()
                .admin()
                .leases()
                .inNamespace("spire")
                .withName("registration-e2e")
                .get()
                .getSpec()
                .getHolderIdentity())
        .as("the lease (deploy/role.yaml) is held by the operator")
        .isEqualTo("registrar");
  }

  private static boolean allowed(KubernetesClient client, String verb, String resource) {
    return client
        .authorization()
        .v1()
        .selfSubjectAccessReview()
        .create(
            new SelfSubjectAccessReviewBuilder()
                .withNewSpec()
                .withNewResourceAttributes()
                .withVerb(verb)
                .withResource(resource)
                .endResourceAttributes()
                .endSpec()
                .build())
        .getStatus()
        .getAllowed();
  }

  private List<Entry> registrationsWithId(SpiffeId id) {
    return registrations.withSpiffeId(id).stream().map(Registrations::registration).toList();
  }

  private Entry onlyEntryOf(String namespace, String pod) {
    List<Entry> entries = registrations.ofPod(namespace, pod);
    assertThat(entries).hasSize(1);
    return entries.get(0);
  }

  private static GenericKubernetesResource spiffeId(
      String namespace, String name, String id, String parent, String app) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("spiffeid.spiffe.io/v1beta1")
        .withKind("SpiffeID")
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .addToAdditionalProperties(
            "spec",
            Map.of(
                "spiffeId", id,
                "parentId", parent,
                "selector", Map.of("namespace", namespace, "podLabel", Map.of("app", app))))
        .build();
  }

  @SuppressWarnings("unchecked")
  private static Optional<String> statusEntryId(GenericKubernetesResource r) {
    if (r == null || !(r.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return Optional.empty();
    }
    Object id = ((Map<String, Object>) status).get("entryId");
    return id instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
  }
}
