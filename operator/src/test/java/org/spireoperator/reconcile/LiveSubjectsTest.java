package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.OrphanKey;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodSink;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.testing.OperatorFixture;

class LiveSubjectsTest {

  private static final PodKey WEB = new PodKey("shop", "web-0");
  private static final SpiffeId CUSTOM_PARENT =
      SpiffeId.parse("spiffe://example.org/custom/parent");

  private final TestEngine engine = new TestEngine(OperatorFixture.defaults(), Clock.systemUTC());

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private LiveSubjects live(RegistrationSettings settings) {
    return LiveSubjects.of(
        settings,
        engine.cluster,
        engine.ids,
        engine.desiredState.nodeEntries(),
        engine.desiredState.scm());
  }

  private LiveSubjects live() {
    return live(engine.settings);
  }

  private SpiffeId nodeEntry(String node) {
    return engine.desiredState.nodeEntries().idFor(node);
  }

  @Test
  void everyNodePodAndSpiffeIdIsASubject() {
    engine.cluster.node(TestEngine.NODE_1);
    engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_1, "web");
    engine.spiffeId("shop", "sid", "web", TestEngine.NODE_1);
    assertThat(live().subjects())
        .containsExactlyInAnyOrder(
            new NodeKey(TestEngine.NODE_1), WEB, new SpiffeIdKey("shop", "sid"));
  }

  @Test
  void podsAreNoSubjectsWhenPodsGetNoEntries() {
    engine.cluster.node(TestEngine.NODE_1);
    engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_1, "web");
    assertThat(live(engine.settings.withPodSink(PodSink.NONE)).subjects())
        .containsExactly(new NodeKey(TestEngine.NODE_1));
  }

  @Test
  void theNodeEntriesOfNodesAndOfPodsNodesAreParents() {
    engine.cluster.node(TestEngine.NODE_1);
    engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_2, "web");
    assertThat(live().parents())
        .containsExactlyInAnyOrder(nodeEntry(TestEngine.NODE_1), nodeEntry(TestEngine.NODE_2));
  }

  @Test
  void theParentOfAPrivilegedSpiffeIdIsAParent() {
    engine.spiffeId("spire", "sid", "web", CUSTOM_PARENT);
    assertThat(live().parents()).contains(CUSTOM_PARENT);
  }

  @Test
  void theParentOfAConfinedSpiffeIdIsNoParent() {
    engine.spiffeId("shop", "sid", "web", CUSTOM_PARENT);
    assertThat(live().parents()).doesNotContain(CUSTOM_PARENT);
  }

  @Test
  void aSubjectIsFoundByItsMarkedEntryId() {
    engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_1, "web");
    assertThat(live().withEntryId(engine.ids.idFor(WEB))).isEqualTo(WEB);
  }

  @Test
  void classifyGroupsEntriesByOwnerAndDropsForeignOnes() {
    engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_1, "web");
    Entry mine = engine.wanted(WEB);
    String orphanId = engine.ids.idFor(new PodKey("shop", "gone-0"));
    Entry orphan = mine.withId(orphanId);
    Entry foreign =
        Entry.of(
                mine.spiffeId(),
                nodeEntry(TestEngine.NODE_1),
                List.of(Selector.k8s("ns", "shop"), Selector.k8s("sa", "web")))
            .withId("0f3c-foreign");
    assertThat(
            live()
                .classify(
                    List.of(mine, orphan, foreign),
                    engine.ownership,
                    s -> engine.desiredState.decide(s).desired(),
                    engine.desiredState::askedBy))
        .containsOnlyKeys(Set.of(WEB, new OrphanKey(orphanId)));
  }
}
