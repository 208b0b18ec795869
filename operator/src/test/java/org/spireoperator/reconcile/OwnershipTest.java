package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.EntryIds;
import org.spireoperator.registration.NodeEntries;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.OrphanKey;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.testing.OperatorFixture;

class OwnershipTest {

  private static final PodKey WEB = new PodKey("shop", "web-0");
  private static final SpiffeIdKey SID = new SpiffeIdKey("shop", "sid");
  private static final SpiffeId SERVER = SpiffeId.parse("spiffe://example.org/spire/server");
  private static final SpiffeId NODE_1 =
      SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/demo/node/node-1");
  private static final SpiffeId AGENT =
      SpiffeId.parse("spiffe://example.org/spire/agent/k8s_psat/demo/0b1c7d7e");
  private static final SpiffeId WEB_ID = SpiffeId.parse("spiffe://example.org/ns/shop/sa/web");

  private final EntryIds ids = OperatorFixture.ids();
  private final NodeEntries nodeEntries = new NodeEntries(OperatorFixture.defaults());
  private final Ownership ownership = new Ownership(ids, nodeEntries, nodeEntries::isClusterAgent);

  private static Entry podShaped(SpiffeId parent, Selector... extra) {
    List<Selector> selectors =
        new ArrayList<>(List.of(Selector.k8s("ns", "shop"), Selector.k8s("pod-name", "web-0")));
    selectors.addAll(List.of(extra));
    return Entry.of(WEB_ID, parent, selectors).withId("0f3c-upstream");
  }

  private static Entry nodeShaped(SpiffeId id) {
    return Entry.of(
            id,
            SERVER,
            List.of(
                new Selector("k8s_psat", "cluster:demo"),
                new Selector("k8s_psat", "agent_node_name:node-1")))
        .withId("0f3c-node");
  }

  private Optional<Subject> ownerOf(Entry entry) {
    return ownership.ownerOf(entry, id -> id.equals(ids.idFor(WEB)) ? WEB : null);
  }

  @Test
  void aMarkedEntryBelongsToTheLiveSubjectWithItsId() {
    assertThat(ownerOf(podShaped(NODE_1).withId(ids.idFor(WEB)))).contains(WEB);
  }

  @Test
  void aMarkedEntryWhoseObjectIsGoneIsAnOrphan() {
    String id = ids.idFor(new PodKey("shop", "gone-0"));
    assertThat(ownerOf(podShaped(NODE_1).withId(id))).contains(new OrphanKey(id));
  }

  @Test
  void aMarkedEntryBelongsToItsSubjectWhateverItsShape() {
    Entry odd =
        Entry.of(WEB_ID, SERVER, List.of(new Selector("unix", "uid:0"))).withId(ids.idFor(WEB));
    assertThat(ownerOf(odd)).contains(WEB);
  }

  @Test
  void anUpstreamNodeEntryBelongsToItsNode() {
    assertThat(ownerOf(nodeShaped(NODE_1))).contains(new NodeKey("node-1"));
  }

  @Test
  void anUpstreamPodEntryUnderANodeEntryBelongsToItsPod() {
    assertThat(ownerOf(podShaped(NODE_1))).contains(WEB);
  }

  @Test
  void anUpstreamPodEntryWithAPodUidSelectorBelongsToItsPod() {
    assertThat(ownerOf(podShaped(NODE_1, Selector.k8s("pod-uid", "1234")))).contains(WEB);
  }

  @Test
  void anUpstreamPodEntryUnderAnAgentOfThisClusterBelongsToItsPod() {
    assertThat(ownerOf(podShaped(AGENT))).contains(WEB);
  }

  @Test
  void aPodShapedEntryUnderAnotherClustersNodeIsForeign() {
    assertThat(
            ownerOf(
                podShaped(
                    SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/other/node/node-1"))))
        .isEmpty();
  }

  @Test
  void aPodEntryWithFurtherSelectorsIsForeign() {
    assertThat(ownerOf(podShaped(NODE_1, Selector.k8s("sa", "web")))).isEmpty();
  }

  @Test
  void aNodeShapedEntryBelowANodeEntryIsForeign() {
    assertThat(ownerOf(nodeShaped(NODE_1.child("extra")))).isEmpty();
  }

  @Test
  void anEntryMarkedByAnotherClusterIsForeign() {
    String theirs = EntryIds.forCluster("spire-k8s-registrar", "other").idFor(WEB);
    Entry entry =
        Entry.of(WEB_ID, NODE_1, List.of(Selector.k8s("ns", "shop"), Selector.k8s("sa", "web")))
            .withId(theirs);
    assertThat(ownerOf(entry)).isEmpty();
  }

  @Test
  void aSubjectMayAdoptItsOwnMarkedEntry() {
    assertThat(ownership.mayAdopt(WEB, podShaped(NODE_1).withId(ids.idFor(WEB)))).isTrue();
  }

  @Test
  void aSubjectMayNotAdoptAnotherSubjectsMarkedEntry() {
    Entry apis = podShaped(NODE_1).withId(ids.idFor(new PodKey("shop", "api-0")));
    assertThat(ownership.mayAdopt(WEB, apis)).isFalse();
  }

  @Test
  void aPodMayAdoptTheUpstreamEntryOfItsShape() {
    assertThat(ownership.mayAdopt(WEB, podShaped(NODE_1))).isTrue();
  }

  @Test
  void aPodMayNotAdoptTheUpstreamEntryOfAnotherPod() {
    assertThat(ownership.mayAdopt(new PodKey("shop", "api-0"), podShaped(NODE_1))).isFalse();
  }

  @Test
  void aSpiffeIdNeverAdoptsAnEntryItDidNotCreate() {
    assertThat(ownership.mayAdopt(SID, podShaped(NODE_1))).isFalse();
  }

  @Test
  void nodeEntriesAndAgentsOfThisClusterAreThePodParents() {
    assertThat(List.of(NODE_1, AGENT, SERVER))
        .filteredOn(ownership::isPodParent)
        .containsExactly(NODE_1, AGENT);
  }
}
