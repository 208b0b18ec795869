package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.ParentMode;
import org.spireoperator.registration.PodIdentity;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodView;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.testing.OperatorFixture;

/**
 * A start on a SPIRE server that holds nothing this operator could own (a new server, a lost
 * datastore, a first install) writes while the Pod informer still lists: once every other informer
 * has listed, node entries and the entries of the pods listed so far are written, and each pod as
 * its page arrives; anything the server holds that could be ours makes the start wait for every
 * pod, as before. Every check reads the server.
 */
class EmptyServerStartTest {

  private static final PodKey WEB = new PodKey("shop", "web-0");
  private static final PodKey API = new PodKey("shop", "api-0");
  private static final SpiffeId JOIN_TOKEN_AGENT =
      SpiffeId.parse("spiffe://example.org/spire/agent/join_token/other-cluster");

  private TestEngine engine = new TestEngine();
  private final AtomicBoolean synced = new AtomicBoolean(false);
  private final AtomicBoolean othersSynced = new AtomicBoolean(true);
  private Registrar registrar;

  @AfterEach
  void tearDown() {
    if (registrar != null) {
      registrar.close();
    }
    engine.close();
  }

  /** The Pod informer is still listing; WEB is in its cache so far. */
  private void startWithWebListed() {
    engine.cluster.node(TestEngine.NODE_1);
    engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_1, "web");
    start();
  }

  private void start() {
    registrar =
        engine.registrar(
            new CacheSync() {
              @Override
              public boolean synced() {
                return synced.get();
              }

              @Override
              public boolean allButPodsSynced() {
                return othersSynced.get();
              }
            });
    registrar.resume();
  }

  private void awaitNoWrite(String why) {
    await(why)
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(10))
        .until(() -> engine.spire.writeCalls().isEmpty());
  }

  private Entry foreignEntry() {
    return Entry.of(
            SpiffeId.parse("spiffe://example.org/elsewhere/" + UUID.randomUUID()),
            JOIN_TOKEN_AGENT,
            List.of(new Selector("unix", "uid:1000")))
        .withId(UUID.randomUUID().toString());
  }

  @Test
  void thePodsListedSoFarGetTheirEntriesBeforeEveryPodIsListed() {
    startWithWebListed();
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.markedEntryOf(WEB).isPresent());
  }

  @Test
  void theNodeEntriesAreWrittenAsWell() {
    startWithWebListed();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> engine.markedEntryOf(new NodeKey(TestEngine.NODE_1)).isPresent());
  }

  @Test
  void aPodListedLaterIsWrittenAsItArrives() {
    startWithWebListed();
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.markedEntryOf(WEB).isPresent());
    engine.cluster.pod(API.namespace(), API.name(), TestEngine.NODE_1, "api");
    registrar.podListed(API);
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.markedEntryOf(API).isPresent());
  }

  @Test
  void nothingIsWrittenBeforeEveryOtherInformerHasListed() {
    othersSynced.set(false);
    startWithWebListed();
    awaitNoWrite("no write while the Node informer still lists");
  }

  @Test
  void aServerHoldingAnEntryOfOursWaitsForEveryPod() {
    engine.cluster.node(TestEngine.NODE_1);
    engine.cluster.pod(API.namespace(), API.name(), TestEngine.NODE_1, "api");
    engine.spire.put(engine.wanted(API));
    engine.cluster.removePod(API); // not listed yet, or deleted while the operator was down
    engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_1, "web");
    start();
    awaitNoWrite("no write until every pod is listed");
  }

  /** WEB's entry as upstream's registrar wrote it: unmarked, under node-1's node entry. */
  private void startWithAnUpstreamEntryForWeb() {
    engine.cluster.node(TestEngine.NODE_1);
    engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_1, "web");
    engine.spire.put(engine.wanted(WEB).withId(UUID.randomUUID().toString()));
    start();
  }

  @Test
  void anEntryUpstreamsRegistrarWroteMakesTheStartWaitForEveryPod() {
    startWithAnUpstreamEntryForWeb();
    awaitNoWrite("no write until every pod is listed");
  }

  @Test
  void anEntryUpstreamsRegistrarWroteIsAdoptedWithNoWrite() {
    startWithAnUpstreamEntryForWeb();
    synced.set(true);
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.passes.get() >= 1);
    engine.awaitIdle();
    assertThat(engine.wrote).noneMatch(w -> w.startsWith(WEB + " "));
  }

  @Test
  void aServerHoldingMoreThanTheBudgetWaitsForEveryPod() {
    for (int i = 0; i <= EmptyServerStart.BUDGET; i++) {
      engine.spire.put(foreignEntry());
    }
    startWithWebListed();
    awaitNoWrite("no write until every pod is listed");
  }

  @Test
  void entriesOfOthersElsewhereDoNotHoldTheStartBack() {
    for (int i = 0; i < 10; i++) {
      engine.spire.put(foreignEntry());
    }
    startWithWebListed();
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.markedEntryOf(WEB).isPresent());
  }

  @Test
  void theEntriesOfOthersAreLeftAlone() {
    List<String> foreign =
        List.of(engine.spire.put(foreignEntry()).id(), engine.spire.put(foreignEntry()).id());
    startWithWebListed();
    synced.set(true);
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.passes.get() >= 1);
    engine.awaitIdle();
    assertThat(engine.spire.entries().stream().map(Entry::id)).containsAll(foreign);
  }

  @Test
  void onceEveryInformerHasListedTheServerHoldsExactlyWhatANormalStartWrites() {
    startWithWebListed();
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.markedEntryOf(WEB).isPresent());
    engine.cluster.pod(API.namespace(), API.name(), TestEngine.NODE_1, "api");
    synced.set(true);
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.passes.get() >= 1);
    engine.awaitIdle();
    List<Entry> wanted =
        List.of(
            engine.wanted(new NodeKey(TestEngine.NODE_1)), engine.wanted(WEB), engine.wanted(API));
    assertThat(engine.spire.entries())
        .hasSameSizeAs(wanted)
        .allMatch(
            e -> wanted.stream().anyMatch(w -> w.id().equals(e.id()) && w.sameRegistration(e)));
  }

  @Test
  void aPassAfterTheEarlyStartWritesNothing() {
    startWithWebListed();
    synced.set(true);
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.passes.get() >= 1);
    engine.awaitIdle();
    int writes = engine.spire.writeCalls().size();
    registrar.runPass();
    engine.awaitIdle();
    assertThat(engine.spire.writeCalls()).hasSize(writes);
  }

  @Test
  void aTenantPodJudgedBeforeEveryPodIsListedIsConfinedAsAnyOther() {
    RegistrationSettings confined =
        OperatorFixture.defaults().withIdentity(new PodIdentity.Annotation("spiffe.io/spiffe-id"));
    engine.close();
    engine = new TestEngine(confined, Clock.systemUTC());
    engine.cluster.node(TestEngine.NODE_1);
    engine.cluster.pod(annotated(WEB, "ns/shop/web"));
    PodKey evil = new PodKey("shop", "evil-0");
    engine.cluster.pod(annotated(evil, "ns/payments/admin"));
    start();
    await("both pods judged")
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                engine.markedEntryOf(WEB).isPresent()
                    && engine.diagnostics.stream().anyMatch(d -> d.about().equals(evil)));
    assertThat(engine.spire.entries())
        .noneMatch(e -> e.spiffeId().toString().equals("spiffe://example.org/ns/payments/admin"));
  }

  @Test
  void agentParentingAlwaysWaitsForEveryPod() {
    RegistrationSettings agents = OperatorFixture.unconfined().withParentMode(ParentMode.AGENT);
    assertThat(EmptyServerStart.applies(agents, engine.ownership)).isFalse();
  }

  @Test
  void aStartWhoseLeadershipEndedBeforeTheReadAnsweredOpensNothing() {
    engine.cluster.node(TestEngine.NODE_1);
    EmptyServerStart early =
        new EmptyServerStart(
            engine.ownership,
            engine.desiredState.nodeEntries().server(),
            engine.cluster,
            engine.client,
            engine.owned,
            engine.queue,
            new CacheSync() {
              @Override
              public boolean synced() {
                return false;
              }

              @Override
              public boolean allButPodsSynced() {
                return true;
              }
            });
    early.close();
    early.beforeSync();
    assertThat(engine.queue.isOpen()).isFalse();
  }

  private static PodView annotated(PodKey key, String id) {
    return new PodView(
        key.namespace(),
        key.name(),
        UUID.randomUUID().toString(),
        "default",
        TestEngine.NODE_1,
        null,
        "Running",
        "10.1.2.3",
        Map.of(),
        Map.of("spiffe.io/spiffe-id", id),
        List.of("registry.example/app:1"),
        false);
  }
}
