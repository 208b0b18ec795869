package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireException;
import org.spireoperator.spire.testserver.ListingHold;

class FullPassTest {

  private static final PodKey WEB = new PodKey("shop", "web-0");
  private static final PodKey API = new PodKey("shop", "api-0");
  private static final PodKey GONE = new PodKey("shop", "gone-0");

  private final TestEngine engine = new TestEngine();
  private ListingHold hold;

  @AfterEach
  void tearDown() {
    if (hold != null) {
      hold.release();
    }
    engine.close();
  }

  /** Two nodes, a pod on each, converged: every entry written, the index loaded. */
  private void converged() {
    engine.cluster.node(TestEngine.NODE_1).node(TestEngine.NODE_2);
    engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_1, "web");
    engine.cluster.pod(API.namespace(), API.name(), TestEngine.NODE_2, "api");
    engine.writers();
    engine.converge();
  }

  private SpiffeId nodeEntryId(String node) {
    return engine.desiredState.nodeEntries().idFor(node);
  }

  /** An entry this operator created for a pod that no longer exists. */
  private Entry orphan() {
    return engine.spire.put(
        Entry.of(
                SpiffeId.parse("spiffe://example.org/ns/shop/sa/gone"),
                nodeEntryId(TestEngine.NODE_1),
                List.of(Selector.k8s("ns", "shop"), Selector.k8s("pod-name", "gone-0")))
            .withId(engine.ids.idFor(GONE)));
  }

  /** Entries of others on the same server, some of them near this cluster's entries. */
  private List<Entry> foreignEntries() {
    SpiffeId server = SpiffeId.server("example.org");
    return List.of(
        engine.spire.put(
            Entry.of(
                SpiffeId.parse("spiffe://example.org/ns/shop/sa/web"),
                nodeEntryId(TestEngine.NODE_1),
                List.of(Selector.k8s("ns", "shop"), Selector.k8s("sa", "web")))),
        engine.spire.put(
            Entry.of(
                SpiffeId.parse("spiffe://example.org/other/node-1"),
                server,
                List.of(new Selector("k8s_psat", "cluster:demo")))),
        engine.spire.put(
            Entry.of(
                SpiffeId.parse("spiffe://example.org/ns/shop/sa/web"),
                SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/other/node/node-1"),
                List.of(Selector.k8s("ns", "shop"), Selector.k8s("pod-name", "web-0")))),
        engine.spire.put(
            Entry.of(
                    SpiffeId.parse("spiffe://example.org/ns/shop/sa/x"),
                    nodeEntryId(TestEngine.NODE_1),
                    List.of(Selector.k8s("ns", "shop"), Selector.k8s("sa", "x")))
                .withId("spire-k8s-registrar.other.pod.0123456789abcdef0123456789abcdef")));
  }

  /**
   * Runs a pass on another thread whose listing is held once both node entries' children are being
   * listed: it has read the server, and is still reading.
   */
  private CompletableFuture<PassReport> passHeldBeforeItsLastListing() {
    hold = ListingHold.onceNodeEntriesListed(engine.spire, 2);
    CompletableFuture<PassReport> pass = CompletableFuture.supplyAsync(engine.pass::run);
    await("the listing is held").atMost(Duration.ofSeconds(20)).until(hold::isHolding);
    return pass;
  }

  @Test
  void theFirstPassOpensTheQueue() {
    engine.pass.run();
    assertThat(engine.queue.isOpen()).isTrue();
  }

  @Test
  void theFirstPassQueuesEverySubjectThatLacksItsEntry() {
    engine.cluster.node(TestEngine.NODE_1);
    engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_1, "web");
    assertThat(engine.pass.run().queued()).isEqualTo(2);
  }

  @Test
  void anIdlePassQueuesNothing() {
    converged();
    assertThat(engine.pass.run().queued()).isZero();
  }

  @Test
  void anIdlePassWritesNothing() {
    converged();
    engine.spire.resetCalls();
    engine.converge();
    assertThat(engine.spire.writeCalls()).isEmpty();
  }

  @Test
  void anEntryDeletedBehindTheOperatorsBackIsQueuedAgain() {
    converged();
    engine.spire.remove(engine.ids.idFor(WEB));
    assertThat(engine.pass.run().queued()).isEqualTo(1);
  }

  @Test
  void anEntryDeletedBehindTheOperatorsBackIsWrittenAgain() {
    converged();
    engine.spire.remove(engine.ids.idFor(WEB));
    engine.converge();
    assertThat(engine.markedEntryOf(WEB)).isPresent();
  }

  @Test
  void anOrphanIsQueued() {
    converged();
    orphan();
    assertThat(engine.pass.run().queued()).isEqualTo(1);
  }

  @Test
  void anOrphanIsDeleted() {
    converged();
    Entry orphan = orphan();
    engine.converge();
    assertThat(engine.spire.entry(orphan.id())).isEmpty();
  }

  @Test
  void foreignEntriesAreNeverQueued() {
    converged();
    foreignEntries();
    assertThat(engine.pass.run().queued()).isZero();
  }

  @Test
  void foreignEntriesAreLeftAsTheyAre() {
    List<Entry> foreign = foreignEntries();
    converged();
    engine.converge();
    assertThat(engine.spire.entries()).containsAll(foreign);
  }

  @Test
  void aFailedListingLeavesTheIndexAsItWas() {
    converged();
    List<Entry> before = engine.owned.all();
    engine.spire.remove(engine.ids.idFor(WEB));
    engine.spire.failNext("ListEntries", 1, Status.Code.UNAVAILABLE);
    assertThatThrownBy(engine.pass::run).isInstanceOf(SpireException.class);
    assertThat(engine.owned.all()).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void aFailedListingQueuesNothing() {
    converged();
    engine.cluster.removePod(WEB);
    engine.spire.failNext("ListEntries", 1, Status.Code.UNAVAILABLE);
    assertThatThrownBy(engine.pass::run).isInstanceOf(SpireException.class);
    assertThat(engine.queue.isIdle()).isTrue();
  }

  @Test
  void aFailedFirstListingLeavesTheQueueClosed() {
    engine.cluster.node(TestEngine.NODE_1);
    engine.spire.failNext("ListEntries", 1, Status.Code.UNAVAILABLE);
    assertThatThrownBy(engine.pass::run).isInstanceOf(SpireException.class);
    assertThat(engine.queue.isOpen()).isFalse();
  }

  @Test
  void subjectsWrittenWhileTheListingRanKeepTheIndexsView() {
    converged();
    CompletableFuture<PassReport> pass = passHeldBeforeItsLastListing();
    PodKey web1 = new PodKey("shop", "web-1");
    PodKey api1 = new PodKey("shop", "api-1");
    engine.cluster.pod(web1.namespace(), web1.name(), TestEngine.NODE_1, "web");
    engine.cluster.pod(api1.namespace(), api1.name(), TestEngine.NODE_2, "api");
    engine.queue.addAll(List.of(web1, api1));
    engine.awaitIdle();
    hold.release();
    pass.join();
    assertThat(List.of(engine.owned.get(web1), engine.owned.get(api1)))
        .allSatisfy(entries -> assertThat(entries).hasSize(1));
  }

  @Test
  void subjectsDeletedWhileTheListingRanAreNotGivenBackTheirEntries() {
    converged();
    CompletableFuture<PassReport> pass = passHeldBeforeItsLastListing();
    engine.cluster.removePod(WEB);
    engine.cluster.removePod(API);
    engine.queue.addAll(List.of(WEB, API));
    engine.awaitIdle();
    hold.release();
    pass.join();
    assertThat(List.of(engine.owned.get(WEB), engine.owned.get(API)))
        .allSatisfy(entries -> assertThat(entries).isEmpty());
  }

  @Test
  void aPassBesideWritesQueuesNothingForWhatTheyWrote() {
    converged();
    CompletableFuture<PassReport> pass = passHeldBeforeItsLastListing();
    PodKey web1 = new PodKey("shop", "web-1");
    PodKey api1 = new PodKey("shop", "api-1");
    engine.cluster.pod(web1.namespace(), web1.name(), TestEngine.NODE_1, "web");
    engine.cluster.pod(api1.namespace(), api1.name(), TestEngine.NODE_2, "api");
    engine.queue.addAll(List.of(web1, api1));
    engine.awaitIdle();
    hold.release();
    assertThat(pass.join().queued()).isZero();
  }

  @Test
  void theFirstPassHandsWhatItFoundToTheWritersWhileItStillDecidesTheRest() {
    engine.cluster.node(TestEngine.NODE_1);
    for (int i = 0; i < 2 * FullPass.QUEUE_CHUNK; i++) {
      engine.cluster.pod("shop", "web-" + i, TestEngine.NODE_1, "web");
    }
    // Decided after every pod (nodes, then pods, then SpiffeIDs): its diagnostic waits for an
    // entry on the server, which only a worker can have written, and only if the pass handed
    // subjects over before reaching it.
    var invalid = engine.spiffeId("shop", "invalid", "web", TestEngine.NODE_1);
    invalid.getSpec().setSpiffeId("not a SPIFFE ID");
    engine.cluster.spiffeId(invalid);
    List<Boolean> writtenMeanwhile = new java.util.concurrent.CopyOnWriteArrayList<>();
    FullPass pass =
        new FullPass(
            engine.settings,
            engine.cluster,
            engine.desiredState,
            engine.ownership,
            engine.owned,
            engine.queue,
            engine.client,
            engine.agents,
            engine.overlap,
            d -> {
              if (d.about().equals(new SpiffeIdKey("shop", "invalid"))) {
                writtenMeanwhile.add(anEntryWithin(Duration.ofSeconds(10)));
              }
            },
            engine.events);
    engine.writers();

    pass.run();

    assertThat(writtenMeanwhile).isNotEmpty().containsOnly(true);
  }

  private boolean anEntryWithin(Duration limit) {
    try {
      await().atMost(limit).until(() -> !engine.spire.entries().isEmpty());
      return true;
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return false;
    }
  }

  @Test
  void aPassOverAServerHoldingLittleElseReadsItWholeAPageAtATime() {
    converged();

    assertThat(engine.pass.run().listCalls()).isEqualTo(1);
  }

  @Test
  void aPassBesideManyOthersEntriesReadsOnlyTheServersAndItsNodeEntriesChildren() {
    converged();
    SpiffeId elsewhere = SpiffeId.parse("spiffe://example.org/elsewhere/agent");
    for (int i = 0; i < FullPass.WHOLE_SERVER_SLACK + 100; i++) {
      engine.spire.put(
          Entry.of(
              SpiffeId.parse("spiffe://example.org/elsewhere/w" + i),
              elsewhere,
              List.of(Selector.k8s("pod-uid", "u" + i))));
    }
    engine.pass.run();

    assertThat(engine.pass.run().listCalls()).isEqualTo(1 + 2);
  }

  /**
   * Node entries of another cluster under the server, more than the budget for reading this
   * cluster's share of a server whole: the server is shared, and read by parent.
   */
  private List<String> anotherClustersNodeEntries() {
    SpiffeId server = SpiffeId.server("example.org");
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < FullPass.WHOLE_SERVER_SLACK + 100; i++) {
      ids.add(
          engine
              .spire
              .put(
                  Entry.of(
                      SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/other/node/n" + i),
                      server,
                      List.of(
                          new Selector("k8s_psat", "cluster:other"),
                          new Selector("k8s_psat", "agent_node_name:n" + i))))
              .id());
    }
    return ids;
  }

  /** Converged beside another cluster's node entries, and past the pass that finds it shared. */
  private List<String> convergedOnASharedServer() {
    converged();
    List<String> others = anotherClustersNodeEntries();
    engine.converge();
    engine.spire.resetCalls();
    return others;
  }

  @Test
  void aPassOnASharedServerReadsNoneOfAnotherClustersNodeEntries() {
    List<String> others = convergedOnASharedServer();

    engine.pass.run();

    assertThat(engine.spire.listedEntryIds()).doesNotContainAnyElementsOf(others);
  }

  @Test
  void aPassOnASharedServerStillReadsEveryEntryItOwns() {
    convergedOnASharedServer();

    engine.pass.run();

    assertThat(engine.spire.listedEntryIds())
        .containsAll(engine.owned.all().stream().map(Entry::id).toList());
  }

  @Test
  void aPassOnASharedServerRestoresANodeEntryWhoseClusterSelectorWasRemoved() {
    convergedOnASharedServer();
    Entry node = engine.wanted(new NodeKey(TestEngine.NODE_1));
    engine.spire.put(
        Entry.of(
                node.spiffeId(),
                node.parentId(),
                List.of(new Selector("k8s_psat", "agent_node_name:" + TestEngine.NODE_1)))
            .withId(node.id()));

    engine.converge();

    assertThat(engine.spire.entry(node.id()).orElseThrow().selectors())
        .containsExactlyInAnyOrderElementsOf(node.selectors());
  }

  @Test
  void aPassOnASharedServerWritesAgainAnEntryUnderTheServerDeletedBehindItsBack() {
    engine.spiffeId("shop", "admin", "admin", SpiffeId.server("example.org"));
    convergedOnASharedServer();
    String id = engine.ids.idFor(new SpiffeIdKey("shop", "admin"));
    engine.spire.remove(id);

    engine.converge();

    assertThat(engine.spire.entry(id)).isPresent();
  }

  @Test
  void theFirstPassOnASharedServerDeletesAnOrphanUnderTheServer() {
    anotherClustersNodeEntries();
    Entry orphan =
        engine.spire.put(
            Entry.of(
                    SpiffeId.parse("spiffe://example.org/ns/shop/sa/gone"),
                    SpiffeId.server("example.org"),
                    List.of(Selector.k8s("ns", "shop"), Selector.k8s("sa", "gone")))
                .withId(engine.ids.idFor(new SpiffeIdKey("shop", "gone"))));
    engine.writers();

    engine.converge();

    assertThat(engine.spire.entry(orphan.id())).isEmpty();
  }
}
