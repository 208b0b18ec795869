package org.spireoperator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.crd.SpiffeIDSelector;
import org.spireoperator.crd.SpiffeIDSpec;
import org.spireoperator.crd.SpiffeIDStatus;
import org.spireoperator.registration.PodSink;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.tenancy.SpiffeIdPath;
import org.spireoperator.tenancy.TenantConfinement;
import org.spireoperator.testing.OperatorFixture;

/**
 * Attacks of a hostile tenant who may write SpiffeIDs (spec and status), pods and their labels in
 * namespace {@code shop} and has read our code. Each test is one attack; each checks what the SPIRE
 * server holds afterwards: every foreign entry byte-identical, and every entry the tenant caused
 * within what {@code shop} may have ({@link TenantProperty}), never the rules' own answers.
 */
class TenantAttacksTest {

  private static final String TD = "spiffe://example.org";
  private static final String NODE_1 = TD + "/spire-k8s-registrar/demo/node/node-1";
  private static final String NODE_2 = TD + "/spire-k8s-registrar/demo/node/node-2";
  private static final String OPERATOR_ID = TD + "/ns/spire/sa/spire-k8s-registrar";

  private OperatorFixture f;
  private List<Entry> foreign;

  @BeforeEach
  void setUp() throws Exception {
    f = new OperatorFixture();
    f.cluster().crd("spiffeids.spiffeid.spiffe.io-v1.yml");
    f.cluster().node("node-1");
    f.cluster().node("node-2");
    foreign =
        List.of(
            f.spire()
                .put(
                    Entry.of(
                            SpiffeId.parse(OPERATOR_ID),
                            SpiffeId.server("example.org"),
                            List.of(Selector.parse("unix:uid:1000")))
                        .withFlags(true, false, false)),
            f.spire()
                .put(
                    Entry.of(
                        SpiffeId.parse(TD + "/ns/bank/sa/teller"),
                        SpiffeId.parse(NODE_1),
                        List.of(Selector.parse("k8s:ns:bank"), Selector.parse("k8s:sa:teller")))),
            f.spire()
                .put(
                    Entry.of(
                        SpiffeId.parse(TD + "/ns/shop/sa/legacy"),
                        SpiffeId.parse(NODE_1),
                        List.of(Selector.parse("k8s:ns:shop"), Selector.parse("k8s:sa:legacy")))));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static RegistrationSettings settings() {
    return OperatorFixture.defaults()
        .withTenant(
            new TenantConfinement(
                "example.org",
                true,
                Set.of("spire"),
                SpiffeIdPath.DEFAULT,
                Set.of(SpiffeId.parse(OPERATOR_ID), SpiffeId.parse(TD + "/ns/shop/sa/reserved")),
                Set.of(),
                Set.of(),
                "cluster.local"));
  }

  private void start() {
    f.start(settings());
    await().atMost(Duration.ofSeconds(20)).until(f::loaded);
  }

  // ------------------------------------------------------------------ the tenant's moves

  private SpiffeID apply(
      String name, String spiffeId, String parentId, Consumer<SpiffeIDSpec> more) {
    SpiffeIDSpec spec = new SpiffeIDSpec();
    spec.setSpiffeId(spiffeId);
    spec.setParentId(parentId);
    SpiffeIDSelector selector = new SpiffeIDSelector();
    selector.setServiceAccount("web");
    spec.setSelector(selector);
    more.accept(spec);
    SpiffeID resource = new SpiffeID();
    resource.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName(name).build());
    resource.setSpec(spec);
    return f.cluster().client().resource(resource).create();
  }

  private SpiffeID get(String name) {
    return f.cluster().client().resources(SpiffeID.class).inNamespace("shop").withName(name).get();
  }

  private Optional<Condition> ready(String name) {
    SpiffeID s = get(name);
    return s == null || s.getStatus() == null || s.getStatus().getConditions() == null
        ? Optional.empty()
        : s.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .findFirst();
  }

  private String awaitReason(String name) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> ready(name).map(Condition::getReason).orElse(null), r -> r != null);
  }

  private String awaitRegistered(String name) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> ready(name).map(Condition::getReason).orElse(""), "Registered"::equals);
    return get(name).getStatus().getEntryId();
  }

  private void forgeStatusEntryId(String name, String entryId) {
    retryingConflicts(
        () -> {
          SpiffeID s = get(name);
          SpiffeIDStatus status = s.getStatus() == null ? new SpiffeIDStatus() : s.getStatus();
          status.setEntryId(entryId);
          s.setStatus(status);
          f.cluster().client().resource(s).updateStatus();
        });
  }

  /** The tenant's edit, repeated when it races with the operator's status write (409). */
  private void edit(String name, java.util.function.UnaryOperator<SpiffeID> change) {
    retryingConflicts(
        () ->
            f.cluster()
                .client()
                .resources(SpiffeID.class)
                .inNamespace("shop")
                .withName(name)
                .edit(change));
  }

  private static void retryingConflicts(Runnable write) {
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreException(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .until(
            () -> {
              write.run();
              return true;
            });
  }

  // ------------------------------------------------------------------ what the server holds

  /** Foreign entries untouched and every other non-node entry within what shop may have. */
  private void assertServerHoldsNothingShopMayNotHave() {
    List<Entry> entries = f.entries();
    assertThat(entries).as("foreign entries, byte-identical").containsAll(foreign);
    List<String> broken = new ArrayList<>();
    for (Entry e : entries) {
      if (foreign.contains(e) || isNodeEntry(e)) {
        continue;
      }
      TenantProperty.violations(e, "shop", Set.of(NODE_1, NODE_2))
          .forEach(v -> broken.add(e.id() + " " + e.spiffeId() + ": " + v));
    }
    assertThat(broken).as("entries the tenant caused that break the property").isEmpty();
  }

  private static boolean isNodeEntry(Entry e) {
    return e.parentId().equals(SpiffeId.server("example.org"))
        && e.spiffeId().path().startsWith("/spire-k8s-registrar/demo/node/")
        && e.selectors().stream().allMatch(s -> s.type().equals("k8s_psat"));
  }

  private long entriesWithId(String spiffeId) {
    return f.entries().stream().filter(e -> e.spiffeId().toString().equals(spiffeId)).count();
  }

  // ------------------------------------------------------------------ attacks: SPIFFE IDs

  @Test
  @DisplayName("shop asks for another namespace's service account ID: refused, none written")
  void anotherNamespacesServiceAccountId() {
    start();
    apply("steal", TD + "/ns/bank/sa/teller", NODE_1, s -> {});
    assertThat(awaitReason("steal")).isEqualTo("Forbidden");
    assertServerHoldsNothingShopMayNotHave();
  }

  @Test
  @DisplayName("shop asks for the operator's own (admin) ID: refused, none written")
  void theOperatorsOwnId() {
    start();
    apply("steal", OPERATOR_ID, NODE_1, s -> {});
    assertThat(awaitReason("steal")).isEqualTo("Forbidden");
    assertServerHoldsNothingShopMayNotHave();
  }

  @Test
  @DisplayName("shop asks for a reserved ID inside its own path: refused, none written")
  void aReservedIdInsideTheNamespace() {
    start();
    apply("steal", TD + "/ns/shop/sa/reserved", NODE_1, s -> {});
    assertThat(awaitReason("steal")).isEqualTo("Forbidden");
    assertThat(entriesWithId(TD + "/ns/shop/sa/reserved")).isZero();
  }

  @Test
  @DisplayName(
      "shop asks for node-2's node entry ID under node-1: node-1's agent gets nothing of node-2")
  void anotherNodesNodeEntryIdUnderANodeItPicks() {
    start();
    apply("hop", NODE_2, NODE_1, s -> {});
    assertThat(awaitReason("hop")).isEqualTo("Forbidden");
    assertThat(f.entries())
        .filteredOn(e -> e.spiffeId().toString().equals(NODE_2))
        .allMatch(e -> e.parentId().equals(SpiffeId.server("example.org")));
  }

  @Test
  @DisplayName("shop asks for an ID under /spire: refused, none written")
  void anIdUnderSpire() {
    start();
    apply("agent", TD + "/spire/agent/k8s_psat/demo/fake", NODE_1, s -> {});
    assertThat(awaitReason("agent")).isIn("InvalidSpec", "Forbidden");
    assertServerHoldsNothingShopMayNotHave();
  }

  @Test
  @DisplayName("shop asks for shopping's ID (a sibling prefix): refused, none written")
  void aSiblingPrefixNamespacesId() {
    start();
    apply("sibling", TD + "/ns/shopping/sa/web", NODE_1, s -> {});
    assertThat(awaitReason("sibling")).isEqualTo("Forbidden");
    assertThat(entriesWithId(TD + "/ns/shopping/sa/web")).isZero();
  }

  @Test
  @DisplayName("shop asks to select bank's workloads: refused, none written")
  void anotherNamespacesWorkloads() {
    start();
    apply("reach", TD + "/ns/shop/sa/web", NODE_1, s -> s.getSelector().setNamespace("bank"));
    assertThat(awaitReason("reach")).isEqualTo("Forbidden");
    assertServerHoldsNothingShopMayNotHave();
  }

  @Test
  @DisplayName("shop asks for an admin entry: refused, none written")
  void anAdminEntry() {
    start();
    apply("admin", TD + "/ns/shop/sa/web", NODE_1, s -> s.setAdmin(true));
    assertThat(awaitReason("admin")).isEqualTo("Forbidden");
    assertServerHoldsNothingShopMayNotHave();
  }

  @Test
  @DisplayName("shop asks for kubernetes.default.svc as a DNS name: refused, none written")
  void theKubernetesApiDnsName() {
    start();
    apply(
        "api",
        TD + "/ns/shop/sa/web",
        NODE_1,
        s -> s.setDnsNames(List.of("kubernetes.default.svc")));
    assertThat(awaitReason("api")).isEqualTo("Forbidden");
    assertServerHoldsNothingShopMayNotHave();
  }

  // ------------------------------------------------------------------ attacks: status.entryId

  @Test
  @DisplayName(
      "a forged status.entryId naming bank's entry, then a spec change: bank's entry untouched")
  void aForeignEntryViaStatusEntryIdThenUpdate() {
    start();
    apply("forge", TD + "/ns/shop/sa/web", NODE_1, s -> {});
    awaitRegistered("forge");
    forgeStatusEntryId("forge", foreign.get(1).id());
    edit(
        "forge",
        s -> {
          s.getSpec().setDnsNames(List.of("web.shop.svc"));
          return s;
        });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> f.entries().stream().anyMatch(e -> e.dnsNames().equals(List.of("web.shop.svc"))));
    assertServerHoldsNothingShopMayNotHave();
  }

  @Test
  @DisplayName(
      "a forged status.entryId naming the admin entry, then deletion: the admin entry stays")
  void aForeignEntryViaStatusEntryIdThenDelete() {
    start();
    apply("forge", TD + "/ns/shop/sa/web", NODE_1, s -> {});
    awaitRegistered("forge");
    forgeStatusEntryId("forge", foreign.get(0).id());
    f.cluster().client().resources(SpiffeID.class).inNamespace("shop").withName("forge").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("forge") == null);
    assertServerHoldsNothingShopMayNotHave();
  }

  @Test
  @DisplayName(
      "a forged status.entryId naming shop's own legacy entry: it is not shop's SpiffeID's to delete")
  void anUnownedEntryOfTheSameNamespaceViaStatusEntryId() {
    start();
    apply("forge", TD + "/ns/shop/sa/web", NODE_1, s -> {});
    awaitRegistered("forge");
    forgeStatusEntryId("forge", foreign.get(2).id());
    f.cluster().client().resources(SpiffeID.class).inNamespace("shop").withName("forge").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("forge") == null);
    assertThat(f.entries()).contains(foreign.get(2));
  }

  @Test
  @DisplayName("a status.entryId naming node-1's node entry does not stop it being managed")
  void aNodeEntryNamedInStatusStaysManaged() {
    start();
    Entry node1 = f.awaitEntry(NODE_1);
    apply("forge", TD + "/ns/shop/sa/web", NODE_1, s -> {});
    awaitRegistered("forge");
    forgeStatusEntryId("forge", node1.id());
    f.cluster().client().resources(SpiffeID.class).inNamespace("shop").withName("forge").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("forge") == null);
    f.cluster().deleteNode("node-1");
    await().atMost(Duration.ofSeconds(20)).until(() -> f.entry(NODE_1).isEmpty());
  }

  @Test
  @DisplayName("the claim a forged status.entryId makes is cleared and the condition says so")
  void aForgedClaimIsClearedAndReported() {
    start();
    apply("forge", TD + "/ns/shop/sa/web", NODE_1, s -> {});
    String own = awaitRegistered("forge");
    forgeStatusEntryId("forge", foreign.get(1).id());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> own.equals(get("forge").getStatus().getEntryId()));
    assertThat(ready("forge").map(Condition::getMessage).orElse(""))
        .contains("status.entryId named entry " + foreign.get(1).id());
  }

  // ------------------------------------------------------------------ attacks: ghosts

  @Test
  @DisplayName("a finalizer stripped while the operator is down leaves no ghost entry")
  void aGhostViaAStrippedFinalizer() {
    start();
    apply("ghost", TD + "/ns/shop/sa/web", NODE_1, s -> {});
    awaitRegistered("ghost");
    f.stopOperator();
    edit(
        "ghost",
        s -> {
          s.getMetadata().setFinalizers(List.of());
          return s;
        });
    f.cluster().client().resources(SpiffeID.class).inNamespace("shop").withName("ghost").delete();
    start();
    await().atMost(Duration.ofSeconds(20)).until(() -> entriesWithId(TD + "/ns/shop/sa/web") == 0);
    assertServerHoldsNothingShopMayNotHave();
  }

  @Test
  @DisplayName("an object restored without status gets its own entry back, not a second one")
  void anObjectRestoredWithoutStatus() {
    start();
    apply("restored", TD + "/ns/shop/sa/web", NODE_1, s -> {});
    String original = awaitRegistered("restored");
    f.stopOperator();
    edit(
        "restored",
        s -> {
          s.getMetadata().setFinalizers(List.of());
          return s;
        });
    f.cluster()
        .client()
        .resources(SpiffeID.class)
        .inNamespace("shop")
        .withName("restored")
        .delete();
    apply("restored", TD + "/ns/shop/sa/web", NODE_1, s -> {});
    start();
    assertThat(awaitRegistered("restored")).isEqualTo(original);
  }

  // ------------------------------------------------------------------ attacks: mirrors

  @Test
  @DisplayName("a SpiffeID labelled as a pod mirror is an ordinary tenant object")
  void aSpoofedMirrorLabel() {
    var pod = f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(settings().withPodSink(PodSink.SPIFFEID_MIRROR));
    await().atMost(Duration.ofSeconds(20)).until(f::loaded);
    SpiffeID spoof = new SpiffeID();
    spoof.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("web-1")
            .withLabels(Map.of("spiffe.io/mirror", "pod", "podUid", pod.getMetadata().getUid()))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("v1")
                    .withKind("Pod")
                    .withName("web-0")
                    .withUid(pod.getMetadata().getUid())
                    .withController(true)
                    .build())
            .build());
    SpiffeIDSpec spec = new SpiffeIDSpec();
    spec.setSpiffeId(TD + "/ns/bank/sa/teller");
    spec.setParentId(NODE_1);
    SpiffeIDSelector selector = new SpiffeIDSelector();
    selector.setPodName("web-0");
    spec.setSelector(selector);
    spoof.setSpec(spec);
    f.cluster().client().resource(spoof).create();
    assertThat(awaitReason("web-1")).isEqualTo("Forbidden");
    assertServerHoldsNothingShopMayNotHave();
  }

  @Test
  @DisplayName("a genuine mirror whose spec the tenant edits gets no entry of its own")
  void anEditedMirrorSpec() {
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(settings().withPodSink(PodSink.SPIFFEID_MIRROR));
    await().atMost(Duration.ofSeconds(20)).until(() -> get("web-0") != null);
    edit(
        "web-0",
        s -> {
          s.getSpec().setSpiffeId(TD + "/ns/shop/sa/admin-tool");
          s.getSpec().setAdmin(true);
          return s;
        });
    f.fullPass();
    f.awaitIdle();
    assertServerHoldsNothingShopMayNotHave();
  }

  // ------------------------------------------------------------------ attacks: pods

  @Test
  @DisplayName("a pod label naming bank's ID (pod_label mode): no entry for it")
  void aPodLabelNamingAnotherNamespacesId() {
    f.cluster().pod("shop", "web-0", "node-1", "web", Map.of("spiffe-id", "bank-teller"), Map.of());
    f.start(
        settings().withIdentity(new org.spireoperator.registration.PodIdentity.Label("spiffe-id")));
    await().atMost(Duration.ofSeconds(20)).until(f::loaded);
    f.awaitIdle();
    assertThat(entriesWithId(TD + "/bank-teller")).isZero();
  }

  @Test
  @DisplayName("a pod annotation naming node-2's node entry ID: no such pod entry under node-1")
  void aPodAnnotationNamingANodeEntryId() {
    f.cluster()
        .pod(
            "shop",
            "web-0",
            "node-1",
            "web",
            Map.of(),
            Map.of("spiffe.io/spiffe-id", "spire-k8s-registrar/demo/node/node-2"));
    f.start(
        settings()
            .withIdentity(
                new org.spireoperator.registration.PodIdentity.Annotation("spiffe.io/spiffe-id")));
    await().atMost(Duration.ofSeconds(20)).until(f::loaded);
    f.awaitIdle();
    assertThat(f.entries())
        .filteredOn(e -> e.spiffeId().toString().equals(NODE_2))
        .allMatch(TenantAttacksTest::isNodeEntry);
  }

  @Test
  @DisplayName(
      "an EndpointSlice in shop naming bank's pod does not put shop's names on bank's entry")
  void anEndpointSliceReachingIntoAnotherNamespace() {
    f.cluster().pod("bank", "teller-0", "node-1", "teller");
    f.cluster()
        .client()
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace("shop")
        .resource(
            new io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("web-abc")
                .withLabels(Map.of("kubernetes.io/service-name", "web"))
                .endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint()
                .withAddresses("10.1.2.3")
                .withNewTargetRef()
                .withKind("Pod")
                .withNamespace("bank")
                .withName("teller-0")
                .endTargetRef()
                .endEndpoint()
                .build())
        .create();
    f.start(settings().withDnsNames(true, "cluster.local"));
    Entry teller = f.awaitEntry(TD + "/ns/bank/sa/teller");
    assertThat(teller.dnsNames()).noneMatch(n -> n.contains(".shop"));
  }
}
