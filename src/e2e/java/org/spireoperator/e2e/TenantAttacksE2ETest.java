package org.spireoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.spireoperator.e2e.support.Eventually.converges;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spireoperator.e2e.support.OperatorProcess;
import org.spireoperator.e2e.support.RealServers;
import org.spireoperator.e2e.support.RealServersExtension;
import org.spireoperator.e2e.support.Registrations;
import org.spireoperator.e2e.support.Workloads;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/**
 * The main tenant attacks against the real kube-apiserver and spire-server, by a tenant whose only
 * rights are a Role on SpiffeIDs in namespace {@code ta-shop} (deploy/examples/tenant-rbac.yaml's
 * shape). Each checks the real server's entries: foreign ones byte-identical, nothing the tenant
 * caused outside its namespace.
 */
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantAttacksE2ETest {

  private static final String SHOP = "ta-shop";
  private static final String TD = "spiffe://example.org";
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
  private KubernetesClient tenant;
  private String node1;
  private String node2;
  private final List<Entry> foreign = new ArrayList<>();

  TenantAttacksE2ETest(RealServers servers) {
    this.servers = servers;
    this.workloads = servers.workloads();
    this.registrations = servers.registrations();
  }

  @BeforeAll
  void setUp() throws Exception {
    workloads.namespace(SHOP);
    workloads.node("ta-node-1");
    workloads.node("ta-node-2");
    node1 = registrations.nodeId("ta-node-1").toString();
    node2 = registrations.nodeId("ta-node-2").toString();
    tenant = tenantClient();
    foreign.addAll(
        registrations
            .spire()
            .createEntries(
                List.of(
                    Entry.of(
                            SpiffeId.parse(TD + "/ns/spire/sa/spire-k8s-registrar"),
                            SpiffeId.server("example.org"),
                            List.of(Selector.parse("unix:uid:4242")))
                        .withFlags(true, false, false),
                    Entry.of(
                        SpiffeId.parse(TD + "/ns/ta-bank/sa/teller"),
                        SpiffeId.parse(node1),
                        List.of(
                            Selector.parse("k8s:ns:ta-bank"), Selector.parse("k8s:sa:teller")))))
            .stream()
            .map(o -> o.entry())
            .toList());
    operator = servers.startOperator(getClass(), "registrar", servers.operatorConfig());
    converges("operator ready").until(operator::isReady);
    converges("node entries")
        .untilAsserted(
            () -> assertThat(registrations.withSpiffeId(SpiffeId.parse(node2))).hasSize(1));
  }

  @AfterAll
  void tearDown() {
    if (operator != null) {
      operator.stop();
    }
    if (tenant != null) {
      tenant.close();
    }
  }

  /** A client authenticated as ServiceAccount ta-shop/tenant, allowed SpiffeIDs of ta-shop only. */
  private KubernetesClient tenantClient() {
    KubernetesClient admin = servers.kube().admin();
    admin
        .serviceAccounts()
        .inNamespace(SHOP)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("tenant").endMetadata().build())
        .create();
    admin
        .rbac()
        .roles()
        .inNamespace(SHOP)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("spiffeid-editor")
                .endMetadata()
                .withRules(
                    new PolicyRuleBuilder()
                        .withApiGroups("spiffeid.spiffe.io")
                        .withResources("spiffeids")
                        .withVerbs("get", "list", "watch", "create", "update", "patch", "delete")
                        .build())
                .build())
        .create();
    admin
        .rbac()
        .roleBindings()
        .inNamespace(SHOP)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("spiffeid-editor")
                .endMetadata()
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("tenant")
                .withNamespace(SHOP)
                .endSubject()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role")
                .withName("spiffeid-editor")
                .endRoleRef()
                .build())
        .create();
    String token =
        admin
            .serviceAccounts()
            .inNamespace(SHOP)
            .withName("tenant")
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config adminConfig = admin.getConfiguration();
    Config config =
        new ConfigBuilder()
            .withMasterUrl(adminConfig.getMasterUrl())
            .withCaCertData(adminConfig.getCaCertData())
            .withCaCertFile(adminConfig.getCaCertFile())
            .withOauthToken(token)
            .withNamespace(SHOP)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private void apply(String name, String spiffeId, String parentId, Map<String, Object> extra) {
    Map<String, Object> spec = new HashMap<>();
    spec.put("spiffeId", spiffeId);
    spec.put("parentId", parentId);
    spec.put("selector", Map.of("serviceAccount", "web"));
    spec.putAll(extra);
    GenericKubernetesResource resource = new GenericKubernetesResource();
    resource.setApiVersion("spiffeid.spiffe.io/v1beta1");
    resource.setKind("SpiffeID");
    resource.setMetadata(new ObjectMetaBuilder().withNamespace(SHOP).withName(name).build());
    resource.setAdditionalProperty("spec", spec);
    tenant.genericKubernetesResources(SPIFFEIDS).inNamespace(SHOP).resource(resource).create();
  }

  @SuppressWarnings("unchecked")
  private Optional<String> readyReason(String name) {
    GenericKubernetesResource r =
        servers
            .kube()
            .admin()
            .genericKubernetesResources(SPIFFEIDS)
            .inNamespace(SHOP)
            .withName(name)
            .get();
    if (r == null || !(r.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return Optional.empty();
    }
    Object conditions = status.get("conditions");
    if (!(conditions instanceof List<?> list)) {
      return Optional.empty();
    }
    return list.stream()
        .map(c -> (Map<String, Object>) c)
        .filter(c -> "Ready".equals(c.get("type")))
        .map(c -> (String) c.get("reason"))
        .findFirst();
  }

  private String awaitReason(String name) {
    return converges("Ready condition of " + name)
        .until(() -> readyReason(name), Optional::isPresent)
        .orElseThrow();
  }

  /** Foreign entries unchanged; every entry mentioning ta-shop stays within ta-shop. */
  private void assertServerHoldsNothingShopMayNotHave() {
    List<Entry> all = registrations.all();
    assertThat(all).as("foreign entries, byte-identical").containsAll(foreign);
    assertThat(all)
        .filteredOn(e -> e.selectors().contains(Selector.k8s("ns", SHOP)))
        .allSatisfy(
            e -> {
              assertThat(e.spiffeId().path()).startsWith("/ns/" + SHOP + "/");
              assertThat(e.admin() || e.downstream()).isFalse();
              assertThat(List.of(node1, node2)).contains(e.parentId().toString());
            });
    assertThat(all)
        .filteredOn(e -> e.spiffeId().toString().equals(node2))
        .allSatisfy(e -> assertThat(e.parentId()).isEqualTo(SpiffeId.server("example.org")));
  }

  @Test
  @DisplayName(
      "the tenant asks for another namespace's ID, the operator's, a node entry's, a sibling's")
  void forbiddenIdsAreRefusedAndNotWritten() {
    apply("steal-bank", TD + "/ns/ta-bank/sa/teller", node1, Map.of());
    apply("steal-operator", TD + "/ns/spire/sa/spire-k8s-registrar", node1, Map.of());
    apply("hop-node", node2, node1, Map.of());
    apply("sibling", TD + "/ns/ta-shopping/sa/web", node1, Map.of());
    apply(
        "api-name",
        TD + "/ns/" + SHOP + "/sa/web",
        node1,
        Map.of("dnsNames", List.of("kubernetes.default.svc")));
    assertThat(
            List.of(
                awaitReason("steal-bank"),
                awaitReason("steal-operator"),
                awaitReason("hop-node"),
                awaitReason("sibling"),
                awaitReason("api-name")))
        .containsOnly("Forbidden");
    assertServerHoldsNothingShopMayNotHave();
  }

  @Test
  @DisplayName(
      "the tenant cannot write status; a status forged by a backup tool changes nothing foreign")
  void aForgedStatusEntryIdNeitherChangesNorDeletesAForeignEntry() {
    apply("forge", TD + "/ns/" + SHOP + "/sa/web", node1, Map.of());
    assertThat(awaitReason("forge")).isEqualTo("Registered");
    KubernetesClient admin = servers.kube().admin();
    GenericKubernetesResource mine =
        tenant.genericKubernetesResources(SPIFFEIDS).inNamespace(SHOP).withName("forge").get();
    mine.setAdditionalProperty("status", Map.of("entryId", foreign.get(1).id()));
    assertThatThrownBy(
            () ->
                tenant
                    .genericKubernetesResources(SPIFFEIDS)
                    .inNamespace(SHOP)
                    .resource(mine)
                    .updateStatus())
        .isInstanceOf(KubernetesClientException.class);
    GenericKubernetesResource restored =
        admin.genericKubernetesResources(SPIFFEIDS).inNamespace(SHOP).withName("forge").get();
    restored.setAdditionalProperty("status", Map.of("entryId", foreign.get(1).id()));
    admin.genericKubernetesResources(SPIFFEIDS).inNamespace(SHOP).resource(restored).updateStatus();
    tenant.genericKubernetesResources(SPIFFEIDS).inNamespace(SHOP).withName("forge").delete();
    converges("the forged SpiffeID is gone")
        .until(
            () ->
                admin
                        .genericKubernetesResources(SPIFFEIDS)
                        .inNamespace(SHOP)
                        .withName("forge")
                        .get()
                    == null);
    assertServerHoldsNothingShopMayNotHave();
  }
}
