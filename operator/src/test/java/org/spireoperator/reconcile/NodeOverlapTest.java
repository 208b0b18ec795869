package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.Diagnostic;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.PodKey;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

class NodeOverlapTest {

  private static final List<Selector> SHARED =
      List.of(
          new Selector("k8s_sat", "cluster:demo"),
          new Selector("k8s_sat", "agent_ns:spire"),
          new Selector("k8s_sat", "agent_sa:spire-agent"));
  private static final List<Selector> OWN =
      List.of(
          new Selector("k8s_sat", "cluster:demo"),
          new Selector("k8s_sat", "agent_ns:spire"),
          new Selector("k8s_sat", "agent_sa:pool-b"));

  private final NodeOverlap overlap = new NodeOverlap();

  private static Desired wanted(String node, List<Selector> selectors) {
    return new Desired.Wanted(
        Entry.of(
            SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/demo/node/" + node),
            SpiffeId.parse("spiffe://example.org/spire/server"),
            selectors));
  }

  private List<Diagnostic> observe(String node, List<Selector> selectors) {
    return overlap.observe(new NodeKey(node), wanted(node, selectors));
  }

  @Test
  void aLoneNodeSaysNothing() {
    assertThat(observe("n1", SHARED)).isEmpty();
  }

  @Test
  void twoNodesWithEqualSelectorsAreBothTold() {
    observe("n1", SHARED);
    assertThat(observe("n2", SHARED))
        .extracting(Diagnostic::about)
        .containsExactlyInAnyOrder(new NodeKey("n1"), new NodeKey("n2"));
  }

  @Test
  void theMessageNamesTheGroupsNodesInOrder() {
    observe("n3", SHARED);
    observe("n1", SHARED);
    assertThat(observe("n2", SHARED))
        .extracting(Diagnostic::message)
        .allSatisfy(m -> assertThat(m).startsWith("node entries of [n1, n2, n3] share"));
  }

  @Test
  void theyAreToldWhyAndWhatToDo() {
    observe("n1", SHARED);
    assertThat(observe("n2", SHARED))
        .extracting(Diagnostic::reason)
        .containsOnly("IndistinguishableAgents");
  }

  @Test
  void aGroupIsToldAgainWhenItGrows() {
    observe("n1", SHARED);
    observe("n2", SHARED);
    assertThat(observe("n3", SHARED)).hasSize(3);
  }

  @Test
  void aNodeSeenAgainUnchangedSaysNothing() {
    observe("n1", SHARED);
    observe("n2", SHARED);
    assertThat(observe("n2", SHARED)).isEmpty();
  }

  @Test
  void nodesWithTheirOwnSelectorsAreNotCounted() {
    observe("n1", SHARED);
    observe("n2", OWN);
    assertThat(overlap.sharingNodes()).isZero();
  }

  @Test
  void sharingNodesCountsEveryNodeOfEveryGroup() {
    observe("n1", SHARED);
    observe("n2", SHARED);
    observe("n3", OWN);
    observe("n4", OWN);
    assertThat(overlap.sharingNodes()).isEqualTo(4);
  }

  @Test
  void aNodeThatGetsItsOwnSelectorsLeavesTheGroup() {
    observe("n1", SHARED);
    observe("n2", SHARED);
    observe("n2", OWN);
    assertThat(overlap.sharingNodes()).isZero();
  }

  @Test
  void aNodeThatWantsNoEntryLeavesTheGroup() {
    observe("n1", SHARED);
    observe("n2", SHARED);
    overlap.observe(new NodeKey("n2"), new Desired.Unwanted("node is gone"));
    assertThat(overlap.sharingNodes()).isZero();
  }

  @Test
  void podsAreNoConcernOfIt() {
    assertThat(overlap.observe(new PodKey("shop", "web-0"), wanted("n1", SHARED))).isEmpty();
  }
}
