package org.spireoperator.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.crd.SpiffeIDSelector;
import org.spireoperator.crd.SpiffeIDSpec;
import org.spireoperator.registration.PodSink;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.testing.OperatorFixture;
import spire.api.server.entry.v1.BatchCreateEntryRequest;

/** SpiffeID resources become exactly one entry each, confined to their namespace. */
class SpiffeIdResourceTest {

  private static final String NODE_1 = "spiffe://example.org/spire-k8s-registrar/demo/node/node-1";

  private OperatorFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new OperatorFixture();
    f.cluster().crd("spiffeids.spiffeid.spiffe.io-v1.yml");
    f.cluster().node("node-1");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private SpiffeID apply(
      String namespace,
      String name,
      String spiffeId,
      String parentId,
      java.util.function.Consumer<SpiffeIDSpec> more) {
    SpiffeIDSpec spec = new SpiffeIDSpec();
    spec.setSpiffeId(spiffeId);
    spec.setParentId(parentId);
    SpiffeIDSelector selector = new SpiffeIDSelector();
    selector.setPodLabel(Map.of("app", "reporter"));
    spec.setSelector(selector);
    more.accept(spec);
    SpiffeID resource = new SpiffeID();
    resource.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    resource.setSpec(spec);
    return f.cluster().client().resource(resource).create();
  }

  private SpiffeID get(String namespace, String name) {
    return f.cluster()
        .client()
        .resources(SpiffeID.class)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  private Optional<Condition> ready(String namespace, String name) {
    SpiffeID s = get(namespace, name);
    return s == null || s.getStatus() == null || s.getStatus().getConditions() == null
        ? Optional.empty()
        : s.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .findFirst();
  }

  private String awaitEntryId(String namespace, String name) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              SpiffeID s = get(namespace, name);
              return s == null || s.getStatus() == null ? null : s.getStatus().getEntryId();
            },
            id -> id != null);
  }

  @Test
  void appliedSpiffeIdBecomesAnEntryNamedInItsStatus() {
    f.start(OperatorFixture.defaults());
    apply("shop", "reporter", "spiffe://example.org/ns/shop/reporter", NODE_1, s -> {});
    String id = awaitEntryId("shop", "reporter");
    assertThat(f.entry("spiffe://example.org/ns/shop/reporter")).map(Entry::id).contains(id);
  }

  @Test
  void namespaceSelectorIsFilledInUnderConfinement() {
    f.start(OperatorFixture.defaults());
    apply("shop", "reporter", "spiffe://example.org/ns/shop/reporter", NODE_1, s -> {});
    awaitEntryId("shop", "reporter");
    assertThat(f.entry("spiffe://example.org/ns/shop/reporter").get().selectors())
        .containsExactlyInAnyOrder(
            Selector.parse("k8s:ns:shop"), Selector.parse("k8s:pod-label:app:reporter"));
  }

  @Test
  void readyConditionSaysRegistered() {
    f.start(OperatorFixture.defaults());
    apply("shop", "reporter", "spiffe://example.org/ns/shop/reporter", NODE_1, s -> {});
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> ready("shop", "reporter").map(Condition::getReason),
            r -> r.equals(Optional.of("Registered")));
  }

  @Test
  void changedSpecUpdatesTheSameEntry() {
    f.start(OperatorFixture.defaults());
    apply("shop", "reporter", "spiffe://example.org/ns/shop/reporter", NODE_1, s -> {});
    String id = awaitEntryId("shop", "reporter");
    f.cluster()
        .client()
        .resources(SpiffeID.class)
        .inNamespace("shop")
        .withName("reporter")
        .edit(
            s -> {
              s.getSpec().setDnsNames(List.of("reporter.shop.svc"));
              return s;
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                f.entry("spiffe://example.org/ns/shop/reporter")
                    .map(Entry::dnsNames)
                    .orElse(List.of()),
            n -> n.equals(List.of("reporter.shop.svc")));
    assertThat(f.entry("spiffe://example.org/ns/shop/reporter").get().id()).isEqualTo(id);
  }

  @Test
  void deletedSpiffeIdTakesItsEntryWithIt() {
    f.start(OperatorFixture.defaults());
    apply("shop", "reporter", "spiffe://example.org/ns/shop/reporter", NODE_1, s -> {});
    awaitEntryId("shop", "reporter");
    f.cluster()
        .client()
        .resources(SpiffeID.class)
        .inNamespace("shop")
        .withName("reporter")
        .delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                f.entry("spiffe://example.org/ns/shop/reporter").isEmpty()
                    && get("shop", "reporter") == null);
  }

  @Test
  void entryDeletedBehindTheOperatorsBackIsRecreatedAndStatusFollows() {
    f.start(OperatorFixture.defaults(), o -> o.withResyncPeriod(Duration.ofSeconds(1)));
    apply("shop", "reporter", "spiffe://example.org/ns/shop/reporter", NODE_1, s -> {});
    String first = awaitEntryId("shop", "reporter");
    f.spire().remove(first);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> get("shop", "reporter").getStatus().getEntryId(),
            id -> first.equals(id) && f.entry("spiffe://example.org/ns/shop/reporter").isPresent());
  }

  @Test
  void existingSimilarEntryTheOperatorDidNotCreateIsLeftAloneAndReportedAsAConflict() {
    Entry existing =
        f.spire()
            .put(
                Entry.of(
                    SpiffeId.parse("spiffe://example.org/ns/shop/reporter"),
                    SpiffeId.parse(NODE_1),
                    List.of(
                        Selector.parse("k8s:ns:shop"),
                        Selector.parse("k8s:pod-label:app:reporter"))));
    f.start(OperatorFixture.defaults());
    apply("shop", "reporter", "spiffe://example.org/ns/shop/reporter", NODE_1, s -> {});
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> ready("shop", "reporter").map(Condition::getReason),
            r -> r.equals(Optional.of("Conflict")));
    assertThat(f.entries())
        .filteredOn(e -> e.spiffeId().toString().equals("spiffe://example.org/ns/shop/reporter"))
        .containsExactly(existing);
  }

  @Test
  void selectingAnotherNamespaceIsForbidden() {
    f.start(OperatorFixture.defaults());
    apply(
        "shop",
        "sneaky",
        "spiffe://example.org/ns/shop/sneaky",
        NODE_1,
        s -> s.getSelector().setNamespace("bank"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> ready("shop", "sneaky").map(Condition::getReason),
            r -> r.equals(Optional.of("Forbidden")));
  }

  @Test
  void forbiddenSpiffeIdGetsNoEntry() {
    f.start(OperatorFixture.defaults());
    apply(
        "shop",
        "sneaky",
        "spiffe://example.org/ns/shop/sneaky",
        "spiffe://example.org/some/other/parent",
        s -> {});
    await().atMost(Duration.ofSeconds(20)).until(() -> ready("shop", "sneaky").isPresent());
    assertThat(f.entry("spiffe://example.org/ns/shop/sneaky")).isEmpty();
  }

  @Test
  void forbiddenSpiffeIdGetsAWarningEvent() {
    f.start(OperatorFixture.defaults());
    apply("shop", "sneaky", "spiffe://example.org/ns/shop/sneaky", NODE_1, s -> s.setAdmin(true));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                f.cluster().client().v1().events().inNamespace("shop").list().getItems().stream()
                    .map(Event::getReason)
                    .toList(),
            r -> r.contains("Forbidden"));
  }

  @Test
  void privilegedNamespaceMayRegisterAdminEntries() {
    f.start(OperatorFixture.defaults());
    apply("spire", "admin", "spiffe://example.org/admin-tool", NODE_1, s -> s.setAdmin(true));
    awaitEntryId("spire", "admin");
    assertThat(f.entry("spiffe://example.org/admin-tool").get().admin()).isTrue();
  }

  @Test
  void invalidSpecIsReportedAsInvalidSpec() {
    f.start(OperatorFixture.defaults());
    apply("shop", "broken", "spiffe://example.org/ns/shop/broken", NODE_1, s -> s.setTtl(-1));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> ready("shop", "broken").map(Condition::getReason),
            r -> r.equals(Optional.of("InvalidSpec")));
  }

  @Test
  void podRegistrarLeavesSpiffeIdEntriesAlone() {
    f.start(OperatorFixture.defaults());
    apply(
        "shop",
        "web-0",
        "spiffe://example.org/ns/shop/custom-web",
        NODE_1,
        s -> {
          s.getSelector().setPodLabel(null);
          s.getSelector().setPodName("web-0");
        });
    String id = awaitEntryId("shop", "web-0");
    f.fullPass();
    assertThat(f.entries()).extracting(Entry::id).contains(id);
  }

  @Test
  void crdModeMirrorsPodsAsSpiffeIdsThatBecomeEntries() {
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(OperatorFixture.defaults().withPodSink(PodSink.SPIFFEID_MIRROR));
    String id = awaitEntryId("shop", "web-0");
    assertThat(f.entry("spiffe://example.org/ns/shop/sa/web")).map(Entry::id).contains(id);
  }

  @Test
  void crdModeMirrorCarriesThePodUidLabel() {
    var pod = f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(OperatorFixture.defaults().withPodSink(PodSink.SPIFFEID_MIRROR));
    awaitEntryId("shop", "web-0");
    assertThat(get("shop", "web-0").getMetadata().getLabels())
        .containsEntry("podUid", pod.getMetadata().getUid());
  }

  @Test
  void crdModeStaleMirrorOfAPodDeletedWhileTheOperatorWasDownGoesWithoutAnEntry() {
    staleMirror("shop", "web-0", "spiffe://example.org/ns/shop/sa/web");
    f.start(OperatorFixture.defaults().withPodSink(PodSink.SPIFFEID_MIRROR));
    await().atMost(Duration.ofSeconds(20)).until(() -> get("shop", "web-0") == null);
    assertThat(createdSpiffeIds()).doesNotContain("/ns/shop/sa/web");
  }

  @Test
  void staleMirrorLeftByUpstreamsCrdModeGetsNoEntryInReconcileMode() {
    staleMirror("shop", "web-0", "spiffe://example.org/ns/shop/sa/web");
    f.start(OperatorFixture.defaults());
    await().atMost(Duration.ofSeconds(20)).until(f::loaded);
    f.fullPass();
    f.awaitIdle();
    assertThat(createdSpiffeIds()).doesNotContain("/ns/shop/sa/web");
  }

  /**
   * A SpiffeID shaped as crd mode's mirror of pod {@code name} (owner reference and {@code podUid}
   * label agree) whose pod no longer exists, as a pod deleted while the operator was down leaves it
   * until the garbage collector runs.
   */
  private void staleMirror(String namespace, String name, String spiffeId) {
    String goneUid = "0d9c2f4e-5b1a-4c1e-9f55-3f1c2b7a9e10";
    SpiffeIDSpec spec = new SpiffeIDSpec();
    spec.setSpiffeId(spiffeId);
    spec.setParentId(NODE_1);
    SpiffeIDSelector selector = new SpiffeIDSelector();
    selector.setNamespace(namespace);
    selector.setPodName(name);
    spec.setSelector(selector);
    SpiffeID mirror = new SpiffeID();
    mirror.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(namespace)
            .withName(name)
            .withLabels(Map.of("podUid", goneUid, "spiffe.io/mirror", "pod"))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("v1")
                    .withKind("Pod")
                    .withName(name)
                    .withUid(goneUid)
                    .withController(true)
                    .build())
            .build());
    mirror.setSpec(spec);
    f.cluster().client().resource(mirror).create();
  }

  /** The SPIFFE ID paths of every entry the operator asked the server to create. */
  private List<String> createdSpiffeIds() {
    return f.spire().calls("BatchCreateEntry").stream()
        .flatMap(c -> c.request(BatchCreateEntryRequest.class).getEntriesList().stream())
        .map(e -> e.getSpiffeId().getPath())
        .toList();
  }

  @Test
  void crdModeDeletedPodTakesItsMirrorAndEntryWithIt() {
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(OperatorFixture.defaults().withPodSink(PodSink.SPIFFEID_MIRROR));
    awaitEntryId("shop", "web-0");
    f.cluster().deletePod("shop", "web-0");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                get("shop", "web-0") == null
                    && f.entry("spiffe://example.org/ns/shop/sa/web").isEmpty());
  }
}
