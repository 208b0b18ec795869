package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Clock;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.Decision;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.Diagnostic;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.OrphanKey;
import org.spireoperator.registration.ParentMode;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.Agent;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.testing.OperatorFixture;

class DesiredStateTest {

  private static final PodKey WEB = new PodKey("shop", "web-0");
  private static final SpiffeId AGENT =
      SpiffeId.parse("spiffe://example.org/spire/agent/k8s_psat/demo/0b1c7d7e");

  private TestEngine engine = new TestEngine();

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private void agentParenting() {
    engine.close();
    engine =
        new TestEngine(
            OperatorFixture.unconfined().withParentMode(ParentMode.AGENT), Clock.systemUTC());
  }

  private void webOnNode1() {
    engine.cluster.node(TestEngine.NODE_1);
    engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_1, "web");
  }

  private void agentAttestedOnNode1() {
    engine.spire.addAgent(
        new Agent(
            AGENT,
            "k8s_psat",
            new TreeSet<>(
                List.of(
                    new Selector("k8s_psat", "cluster:demo"),
                    new Selector("k8s_psat", "agent_node_name:node-1"))),
            false,
            0,
            true));
    engine.agents.refresh();
  }

  private Desired decide(Subject subject) {
    return engine.desiredState.decide(subject).desired();
  }

  private static SpiffeId parentOf(Desired desired) {
    return ((Desired.Wanted) desired).entry().parentId();
  }

  @Test
  void aScheduledPodWantsAnEntryUnderItsNodesEntry() {
    webOnNode1();
    assertThat(parentOf(decide(WEB)))
        .isEqualTo(engine.desiredState.nodeEntries().idFor(TestEngine.NODE_1));
  }

  @Test
  void aPodThatIsGoneWantsNoEntry() {
    assertThat(decide(WEB)).isInstanceOf(Desired.Unwanted.class);
  }

  @Test
  void aNodeWantsItsNodeEntry() {
    engine.cluster.node(TestEngine.NODE_1);
    assertThat(((Desired.Wanted) decide(new NodeKey(TestEngine.NODE_1))).entry().spiffeId())
        .isEqualTo(engine.desiredState.nodeEntries().idFor(TestEngine.NODE_1));
  }

  @Test
  void aNodeThatIsGoneWantsNoEntry() {
    assertThat(decide(new NodeKey(TestEngine.NODE_1))).isInstanceOf(Desired.Unwanted.class);
  }

  @Test
  void anOrphanWantsNoEntry() {
    assertThat(decide(new OrphanKey(engine.ids.idFor(WEB)))).isInstanceOf(Desired.Unwanted.class);
  }

  @Test
  void aSpiffeIdWantsTheEntryItsSpecDescribes() {
    engine.cluster.node(TestEngine.NODE_1);
    engine.spiffeId("shop", "sid", "web", TestEngine.NODE_1);
    assertThat(((Desired.Wanted) decide(new SpiffeIdKey("shop", "sid"))).entry().spiffeId())
        .isEqualTo(SpiffeId.parse("spiffe://example.org/ns/shop/sa/web"));
  }

  @Test
  void aSpiffeIdBeingDeletedWantsNoEntry() {
    engine.cluster.node(TestEngine.NODE_1);
    engine
        .spiffeId("shop", "sid", "web", TestEngine.NODE_1)
        .getMetadata()
        .setDeletionTimestamp("2025-01-01T00:00:00Z");
    assertThat(decide(new SpiffeIdKey("shop", "sid"))).isInstanceOf(Desired.Unwanted.class);
  }

  @Test
  void withAgentParentingAPodIsParentedToTheAgentOnItsNode() {
    agentParenting();
    webOnNode1();
    agentAttestedOnNode1();
    assertThat(parentOf(decide(WEB))).isEqualTo(AGENT);
  }

  @Test
  void withAgentParentingAPodOnANodeWithoutAgentIsParentedToItsNodeEntry() {
    agentParenting();
    webOnNode1();
    assertThat(parentOf(decide(WEB)))
        .isEqualTo(engine.desiredState.nodeEntries().idFor(TestEngine.NODE_1));
  }

  @Test
  void withAgentParentingAPodOnANodeWithoutAgentSaysSoAboutTheNode() {
    agentParenting();
    webOnNode1();
    Decision decision = engine.desiredState.decide(WEB);
    assertThat(decision.diagnostics())
        .extracting(Diagnostic::about, Diagnostic::reason)
        .containsExactly(tuple(new NodeKey(TestEngine.NODE_1), "NoAgentIdentified"));
  }

  @Test
  void decidingCallsNoServer() {
    agentParenting();
    webOnNode1();
    agentAttestedOnNode1();
    engine.spire.resetCalls();
    engine.desiredState.decide(WEB);
    engine.desiredState.decide(new NodeKey(TestEngine.NODE_1));
    assertThat(engine.spire.calls()).isEmpty();
  }

  @Test
  void theParentsAConfinedEntryMayHaveAreThisClustersNodeEntries() {
    engine.cluster.node(TestEngine.NODE_1).node(TestEngine.NODE_2);
    assertThat(engine.desiredState.parents().nodeEntryIds())
        .containsExactlyInAnyOrder(
            engine.desiredState.nodeEntries().idFor(TestEngine.NODE_1),
            engine.desiredState.nodeEntries().idFor(TestEngine.NODE_2));
  }

  @Test
  void aPodsDecisionIsItsEntryShape() {
    webOnNode1();
    Entry entry = ((Desired.Wanted) decide(WEB)).entry();
    assertThat(entry.selectors())
        .containsExactly(Selector.k8s("ns", "shop"), Selector.k8s("pod-name", "web-0"));
  }
}
