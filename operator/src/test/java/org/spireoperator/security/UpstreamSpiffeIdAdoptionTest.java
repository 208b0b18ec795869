package org.spireoperator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.crd.SpiffeIDSelector;
import org.spireoperator.crd.SpiffeIDSpec;
import org.spireoperator.crd.SpiffeIDStatus;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.NodeEntries;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.testing.OperatorFixture;

/**
 * Moving from upstream's registrar in crd mode with {@code adopt_upstream_spiffeid_entries}: the
 * entry upstream wrote for a SpiffeID (a server-chosen ID, recorded in the SpiffeID's {@code
 * status.entryId}) becomes the SpiffeID's only when its SPIFFE ID, parent and selectors are what
 * the SpiffeID asks for and, in a confined namespace, it is neither admin nor downstream and claims
 * no DNS name the SpiffeID does not ask for. Everything else named in a status stays foreign: a
 * tenant writes its status. Each test checks what the SPIRE server holds.
 */
class UpstreamSpiffeIdAdoptionTest {

  private static final String TD = "spiffe://example.org";
  private static final String NODE_1 = TD + "/spire-k8s-registrar/demo/node/node-1";
  private static final String WEB = TD + "/ns/shop/sa/web";

  private OperatorFixture f;

  @BeforeEach
  void setUp() {
    f = new OperatorFixture();
    f.cluster().crd("spiffeids.spiffeid.spiffe.io-v1.yml");
    f.cluster().node("node-1");
    f.cluster().node("node-2");
    // upstream's node entries, adopted as they are: the only writes left are the SpiffeID's
    NodeEntries nodes = new NodeEntries(settings(true));
    for (String node : List.of("node-1", "node-2")) {
      Desired.Wanted wanted = (Desired.Wanted) nodes.desired(node, null);
      f.spire().put(wanted.entry().withId(UUID.randomUUID().toString()));
    }
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static RegistrationSettings settings(boolean adopt) {
    return OperatorFixture.defaults().withAdoptUpstreamSpiffeIds(adopt);
  }

  private void start(boolean adopt) {
    f.start(settings(adopt));
    f.awaitIdle();
  }

  // ------------------------------------------------------------------ what upstream left behind

  /** The entry upstream's registrar wrote for shop/web's spec, under a server-chosen ID. */
  private static Entry upstreamEntryForWeb() {
    return Entry.of(
            SpiffeId.parse(WEB),
            SpiffeId.parse(NODE_1),
            List.of(Selector.k8s("ns", "shop"), Selector.k8s("sa", "web")))
        .withId(UUID.randomUUID().toString());
  }

  /** shop/web asking for {@link #WEB} under node-1 for service account web, as upstream's were. */
  private SpiffeID applyWeb() {
    SpiffeIDSelector selector = new SpiffeIDSelector();
    selector.setNamespace("shop");
    selector.setServiceAccount("web");
    SpiffeIDSpec spec = new SpiffeIDSpec();
    spec.setSpiffeId(WEB);
    spec.setParentId(NODE_1);
    spec.setSelector(selector);
    SpiffeID resource = new SpiffeID();
    resource.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("web").build());
    resource.setSpec(spec);
    return f.cluster().client().resource(resource).create();
  }

  /** The server holds {@code entry} and shop/web's status names it, as upstream left them. */
  private Entry upstreamLeft(Entry entry) {
    Entry stored = f.spire().put(entry);
    writeStatusEntryId(stored.id());
    return stored;
  }

  private void writeStatusEntryId(String entryId) {
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreException(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .until(
            () -> {
              SpiffeID s = web();
              SpiffeIDStatus status = s.getStatus() == null ? new SpiffeIDStatus() : s.getStatus();
              status.setEntryId(entryId);
              s.setStatus(status);
              f.cluster().client().resource(s).updateStatus();
              return true;
            });
  }

  private SpiffeID web() {
    return f.cluster().client().resources(SpiffeID.class).inNamespace("shop").withName("web").get();
  }

  private Optional<Condition> ready() {
    SpiffeID s = web();
    return s == null || s.getStatus() == null || s.getStatus().getConditions() == null
        ? Optional.empty()
        : s.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .findFirst();
  }

  private String awaitReason() {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> ready().map(Condition::getReason).orElse(null), r -> r != null);
  }

  private void deleteWebAndAwaitItGone() {
    f.cluster().client().resources(SpiffeID.class).inNamespace("shop").withName("web").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> web() == null);
    f.awaitIdle();
  }

  private void passAndAwaitIdle() {
    f.fullPass();
    f.awaitIdle();
  }

  // ------------------------------------------------------------------ what must never happen

  @Test
  @DisplayName(
      "a status.entryId naming a foreign entry the SpiffeID does not ask for: untouched, through"
          + " passes and the SpiffeID's deletion")
  void aForeignEntryOfAnotherTripleStaysForeign() {
    applyWeb();
    Entry legacy =
        upstreamLeft(
            Entry.of(
                    SpiffeId.parse(TD + "/ns/shop/sa/legacy"),
                    SpiffeId.parse(NODE_1),
                    List.of(Selector.k8s("ns", "shop"), Selector.k8s("sa", "legacy")))
                .withId(UUID.randomUUID().toString()));
    start(true);
    passAndAwaitIdle();
    deleteWebAndAwaitItGone();

    assertThat(f.spire().entry(legacy.id())).contains(legacy);
  }

  static Stream<Arguments> entriesAConfinedSpiffeIdMayNotAdopt() {
    Entry web = upstreamEntryForWeb();
    return Stream.of(
        Arguments.of("admin", web.withFlags(true, false, false)),
        Arguments.of("downstream", web.withFlags(false, true, false)),
        Arguments.of("with bank's DNS name", web.withDnsNames(List.of("teller.bank.svc"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entriesAConfinedSpiffeIdMayNotAdopt")
  @DisplayName(
      "an upstream entry with the very triple but more power than shop may have: untouched, through"
          + " passes and the SpiffeID's deletion")
  void aMorePowerfulEntryStaysForeign(String what, Entry powerful) {
    applyWeb();
    Entry stored = upstreamLeft(powerful);
    start(true);
    passAndAwaitIdle();
    deleteWebAndAwaitItGone();

    assertThat(f.spire().entry(stored.id())).contains(stored);
  }

  @Test
  @DisplayName("an upstream admin entry with the very triple: the SpiffeID reports Conflict")
  void aMorePowerfulEntryIsAConflict() {
    applyWeb();
    upstreamLeft(upstreamEntryForWeb().withFlags(true, false, false));
    start(true);

    assertThat(awaitReason()).isEqualTo("Conflict");
  }

  @Test
  @DisplayName("an upstream admin entry with the very triple: the condition says why it stays")
  void aMorePowerfulEntrysConflictSaysWhy() {
    applyWeb();
    upstreamLeft(upstreamEntryForWeb().withFlags(true, false, false));
    start(true);
    awaitReason();

    assertThat(ready().map(Condition::getMessage).orElse("")).contains("admin or downstream");
  }

  @Test
  @DisplayName("key off: an upstream entry equal to what the SpiffeID asks for is a Conflict")
  void withoutTheKeyTheUpstreamEntryIsAConflict() {
    applyWeb();
    upstreamLeft(upstreamEntryForWeb());
    start(false);

    assertThat(awaitReason()).isEqualTo("Conflict");
  }

  @Test
  @DisplayName("key off: the upstream entry is untouched through the SpiffeID's deletion")
  void withoutTheKeyTheUpstreamEntryIsUntouched() {
    applyWeb();
    Entry upstream = upstreamLeft(upstreamEntryForWeb());
    start(false);
    deleteWebAndAwaitItGone();

    assertThat(f.spire().entry(upstream.id())).contains(upstream);
  }

  // ------------------------------------------------------------------ adoption

  @Test
  @DisplayName("key on: an upstream entry equal to what the SpiffeID asks for costs no write")
  void anEqualUpstreamEntryIsKeptWithNoWrite() {
    applyWeb();
    upstreamLeft(upstreamEntryForWeb());
    start(true);
    passAndAwaitIdle();

    assertThat(f.spire().writeCalls()).isEmpty();
  }

  @Test
  @DisplayName("key on: the SpiffeID with an adopted entry is Ready, its status naming that entry")
  void theAdoptingSpiffeIdIsReady() {
    applyWeb();
    Entry upstream = upstreamLeft(upstreamEntryForWeb());
    start(true);
    assertThat(awaitReason()).isEqualTo("Registered");

    assertThat(web().getStatus().getEntryId()).isEqualTo(upstream.id());
  }

  @Test
  @DisplayName("key on: after an operator restart the adopted entry still costs no write")
  void anAdoptedEntrySurvivesARestartWithNoWrite() {
    applyWeb();
    upstreamLeft(upstreamEntryForWeb());
    start(true);
    assertThat(awaitReason()).isEqualTo("Registered");
    f.stopOperator();
    start(true);
    passAndAwaitIdle();

    assertThat(f.spire().writeCalls()).isEmpty();
  }

  @Test
  @DisplayName("key on: an upstream entry that differs beyond its triple is updated in place")
  void aDifferingUpstreamEntryIsUpdatedInPlace() {
    applyWeb();
    Entry upstream = upstreamLeft(upstreamEntryForWeb().withTtls(600, 0));
    start(true);

    assertThat(f.entries())
        .filteredOn(e -> e.spiffeId().toString().equals(WEB))
        .extracting(Entry::id, Entry::x509SvidTtl)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(upstream.id(), 0));
  }

  @Test
  @DisplayName("key on: deleting the SpiffeID deletes the entry it adopted")
  void deletingTheSpiffeIdDeletesTheAdoptedEntry() {
    applyWeb();
    Entry upstream = upstreamLeft(upstreamEntryForWeb());
    start(true);
    assertThat(awaitReason()).isEqualTo("Registered");
    deleteWebAndAwaitItGone();

    assertThat(f.spire().entry(upstream.id())).isEmpty();
  }

  @Test
  @DisplayName(
      "key on: a SpiffeID deleted while the operator is down (held by its finalizer) has its"
          + " adopted entry deleted at restart")
  void deletionWhileDownDeletesTheAdoptedEntryAtRestart() {
    applyWeb();
    Entry upstream = upstreamLeft(upstreamEntryForWeb());
    start(true);
    assertThat(awaitReason()).isEqualTo("Registered");
    f.stopOperator();
    f.cluster().client().resources(SpiffeID.class).inNamespace("shop").withName("web").delete();
    start(true);
    await().atMost(Duration.ofSeconds(20)).until(() -> web() == null);
    f.awaitIdle();

    assertThat(f.spire().entry(upstream.id())).isEmpty();
  }

  @Test
  @DisplayName(
      "key on: a SpiffeID deleted while the operator is down, its status naming a foreign entry it"
          + " does not ask for: that entry is untouched")
  void deletionWhileDownLeavesAForeignEntryAlone() {
    applyWeb();
    start(true);
    assertThat(awaitReason()).isEqualTo("Registered");
    f.stopOperator();
    Entry legacy =
        upstreamLeft(
            Entry.of(
                    SpiffeId.parse(TD + "/ns/shop/sa/legacy"),
                    SpiffeId.parse(NODE_1),
                    List.of(Selector.k8s("ns", "shop"), Selector.k8s("sa", "legacy")))
                .withId(UUID.randomUUID().toString()));
    f.cluster().client().resources(SpiffeID.class).inNamespace("shop").withName("web").delete();
    start(true);
    await().atMost(Duration.ofSeconds(20)).until(() -> web() == null);
    f.awaitIdle();

    assertThat(f.spire().entry(legacy.id())).contains(legacy);
  }

  @Test
  @DisplayName("key on: a spec change updates the adopted entry in place, keeping its ID")
  void aSpecChangeUpdatesTheAdoptedEntryInPlace() {
    applyWeb();
    Entry upstream = upstreamLeft(upstreamEntryForWeb());
    start(true);
    assertThat(awaitReason()).isEqualTo("Registered");
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreException(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .until(
            () -> {
              f.cluster()
                  .client()
                  .resources(SpiffeID.class)
                  .inNamespace("shop")
                  .withName("web")
                  .edit(
                      s -> {
                        s.getSpec().setDnsNames(List.of("web.shop.svc"));
                        return s;
                      });
              return true;
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> f.entries().stream().anyMatch(e -> e.dnsNames().contains("web.shop.svc")));
    f.awaitIdle();

    assertThat(f.entries())
        .filteredOn(e -> e.spiffeId().toString().equals(WEB))
        .extracting(Entry::id, Entry::dnsNames)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(upstream.id(), List.of("web.shop.svc")));
  }
}
