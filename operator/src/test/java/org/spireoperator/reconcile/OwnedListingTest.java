package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.spire.Agent;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.testserver.RecordedCall;
import spire.api.server.entry.v1.ListEntriesRequest;

class OwnedListingTest {

  private static final SpiffeId SERVER = SpiffeId.parse("spiffe://example.org/spire/server");
  private static final SpiffeId OTHER_PARENT = SpiffeId.parse("spiffe://example.org/custom/parent");

  private final TestEngine engine = new TestEngine();
  private final OwnedListing listing = new OwnedListing(engine.client);

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private OwnedListing.Read read(List<SpiffeId> parents) {
    return listing.read(
        SERVER, e -> engine.desiredState.nodeEntries().ownerOf(e).isPresent(), parents, null);
  }

  private Entry nodeEntryOnServer(String node) {
    engine.cluster.node(node);
    return engine.spire.put(engine.wanted(new NodeKey(node)));
  }

  private Entry childOf(SpiffeId parent, String name) {
    return engine.spire.put(
        Entry.of(
            SpiffeId.parse("spiffe://example.org/ns/shop/sa/" + name),
            parent,
            List.of(Selector.k8s("ns", "shop"), Selector.k8s("pod-name", name))));
  }

  private List<String> listedParents() {
    return engine.spire.calls("ListEntries").stream()
        .map(RecordedCall::request)
        .map(ListEntriesRequest.class::cast)
        .map(r -> r.getFilter().getByParentId().getPath())
        .toList();
  }

  @Test
  void itReadsTheServersChildrenThenTheChildrenOfTheNodeEntriesItFound() {
    Entry node = nodeEntryOnServer(TestEngine.NODE_1);
    Entry pod = childOf(node.spiffeId(), "web-0");
    assertThat(read(List.of()).entries()).containsExactlyInAnyOrder(node, pod);
  }

  @Test
  void itReadsTheChildrenOfTheParentsItIsGiven() {
    Entry child = childOf(OTHER_PARENT, "web-0");
    assertThat(read(List.of(OTHER_PARENT)).entries()).containsExactly(child);
  }

  @Test
  void itReadsEachParentOnce() {
    Entry node = nodeEntryOnServer(TestEngine.NODE_1);
    read(List.of(node.spiffeId(), SERVER, OTHER_PARENT));
    assertThat(listedParents())
        .containsExactlyInAnyOrder("/spire/server", node.spiffeId().path(), OTHER_PARENT.path());
  }

  @Test
  void itCountsTheParentsItListed() {
    nodeEntryOnServer(TestEngine.NODE_1);
    nodeEntryOnServer(TestEngine.NODE_2);
    assertThat(read(List.of(OTHER_PARENT)).calls()).isEqualTo(4);
  }

  @Test
  void itLeavesOutEntriesOfOtherParents() {
    childOf(OTHER_PARENT, "web-0");
    assertThat(read(List.of()).entries()).isEmpty();
  }

  @Test
  void agentsOrNoneIsEmptyWhenTheServerRefusesListAgents() {
    engine.spire.addAgent(
        new Agent(
            SpiffeId.parse("spiffe://example.org/spire/agent/k8s_psat/demo/0b1c7d7e"),
            "k8s_psat",
            new TreeSet<>(List.of(new Selector("k8s_psat", "cluster:demo"))),
            false,
            0,
            true));
    engine.spire.failNext("ListAgents", 1, Status.Code.PERMISSION_DENIED);
    assertThat(OwnedListing.agentsOrNone(engine.agents)).isEmpty();
  }

  /** A node entry with a pod under it, an entry under another parent, and others' entries. */
  private List<SpiffeId> serverWithOthersEntries() {
    Entry node = nodeEntryOnServer(TestEngine.NODE_1);
    childOf(node.spiffeId(), "web-0");
    childOf(OTHER_PARENT, "api-0");
    SpiffeId foreignParent = SpiffeId.parse("spiffe://example.org/elsewhere/agent");
    childOf(foreignParent, "db-0");
    childOf(foreignParent, "db-1");
    return List.of(OTHER_PARENT);
  }

  private OwnedListing.Read readWhole(OwnedListing l, List<SpiffeId> parents, int budget) {
    return l.read(
        SERVER,
        e -> engine.desiredState.nodeEntries().ownerOf(e).isPresent(),
        parents,
        budget,
        null);
  }

  @Test
  void aServerWithinTheBudgetIsReadWholeKeepingWhatTheListingsByParentRead() {
    List<SpiffeId> parents = serverWithOthersEntries();

    assertThat(readWhole(listing, parents, 100).entries())
        .containsExactlyElementsOf(read(parents).entries());
  }

  @Test
  void aServerWithinTheBudgetIsReadAPageAtATime() {
    List<SpiffeId> parents = serverWithOthersEntries();

    assertThat(readWhole(listing, parents, 100).calls()).isEqualTo(1);
  }

  @Test
  void aServerBeyondTheBudgetIsReadByParent() {
    List<SpiffeId> parents = serverWithOthersEntries();

    assertThat(readWhole(listing, parents, 2).entries())
        .containsExactlyElementsOf(read(parents).entries());
  }

  @Test
  void aServerOnceBeyondTheBudgetIsNeverListedWholeAgain() {
    List<SpiffeId> parents = serverWithOthersEntries();
    readWhole(listing, parents, 2);
    engine.spire.resetCalls();

    readWhole(listing, parents, 100);

    assertThat(listedParents()).doesNotContain("");
  }
}
