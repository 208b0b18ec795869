package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.PodKey;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

class PlannerTest {

  private static final PodKey WEB = new PodKey("shop", "web-0");

  private final TestEngine engine = new TestEngine();
  private final Planner planner = engine.planner();

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private void nodeAndPod() {
    engine.cluster.node(TestEngine.NODE_1);
    engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_1, "web");
  }

  private void converged() {
    nodeAndPod();
    engine.writers();
    engine.converge();
  }

  @Test
  void planListsTheEntriesAPassWouldCreate() {
    nodeAndPod();
    assertThat(planner.plan().diff().creates())
        .containsExactlyInAnyOrder(
            engine.wanted(new NodeKey(TestEngine.NODE_1)), engine.wanted(WEB));
  }

  @Test
  void planListsAnOrphanAsADelete() {
    converged();
    Entry orphan =
        engine.spire.put(
            Entry.of(
                    SpiffeId.parse("spiffe://example.org/ns/shop/sa/gone"),
                    engine.desiredState.nodeEntries().idFor(TestEngine.NODE_1),
                    List.of(Selector.k8s("ns", "shop"), Selector.k8s("pod-name", "gone-0")))
                .withId(engine.ids.idFor(new PodKey("shop", "gone-0"))));
    assertThat(planner.plan().diff().deletes()).containsExactly(orphan);
  }

  @Test
  void planIsEmptyForAConvergedCluster() {
    converged();
    assertThat(planner.plan().diff().isEmpty()).isTrue();
  }

  @Test
  void planNeverWrites() {
    nodeAndPod();
    engine.spire.put(engine.wanted(WEB).withDnsNames(List.of("stale.example")));
    planner.plan();
    assertThat(engine.spire.writeCalls()).isEmpty();
  }

  @Test
  void explainShowsThePodsEntry() {
    converged();
    assertThat(planner.explain(WEB).current())
        .containsExactlyElementsOf(engine.markedEntryOf(WEB).stream().toList());
  }

  @Test
  void explainNeverWrites() {
    nodeAndPod();
    planner.explain(WEB);
    assertThat(engine.spire.writeCalls()).isEmpty();
  }
}
