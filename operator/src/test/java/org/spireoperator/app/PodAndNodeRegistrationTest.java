package org.spireoperator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.PodIdentity;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.testing.OperatorFixture;

/**
 * The operator registers Nodes and Pods, as upstream's reconcile mode did, and keeps them in sync.
 */
class PodAndNodeRegistrationTest {

  private static final SpiffeId SERVER = SpiffeId.parse("spiffe://example.org/spire/server");
  private static final SpiffeId NODE_1 =
      SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/demo/node/node-1");

  private OperatorFixture f;

  @BeforeEach
  void setUp() {
    f = new OperatorFixture();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private void awaitLoaded() {
    await().atMost(Duration.ofSeconds(20)).until(f::loaded);
  }

  @Test
  void nodeGetsAnEntryParentedToTheServerSelectingItsAgent() {
    f.start(OperatorFixture.defaults());
    f.cluster().node("node-1");
    Entry node = f.awaitEntry(NODE_1.toString());
    assertThat(
            node.sameRegistration(
                Entry.of(
                    NODE_1,
                    SERVER,
                    List.of(
                        Selector.parse("k8s_psat:cluster:demo"),
                        Selector.parse("k8s_psat:agent_node_name:node-1")))))
        .as("node entry %s", node)
        .isTrue();
  }

  @Test
  void podGetsAnEntryParentedToItsNodesEntry() {
    f.start(OperatorFixture.defaults());
    f.cluster().node("node-1");
    f.cluster().namespace("shop");
    f.cluster().pod("shop", "web-0", "node-1", "web");
    Entry pod = f.awaitEntry("spiffe://example.org/ns/shop/sa/web");
    assertThat(
            pod.sameRegistration(
                Entry.of(
                    SpiffeId.parse("spiffe://example.org/ns/shop/sa/web"),
                    NODE_1,
                    List.of(Selector.parse("k8s:ns:shop"), Selector.parse("k8s:pod-name:web-0")))))
        .as("pod entry %s", pod)
        .isTrue();
  }

  @Test
  void deletedPodLosesItsEntry() {
    f.start(OperatorFixture.defaults());
    f.cluster().node("node-1");
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.awaitEntry("spiffe://example.org/ns/shop/sa/web");
    f.cluster().deletePod("shop", "web-0");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> f.entry("spiffe://example.org/ns/shop/sa/web").isEmpty());
  }

  @Test
  void deletedNodeLosesItsEntry() {
    f.start(OperatorFixture.defaults());
    f.cluster().node("node-1");
    f.awaitEntry(NODE_1.toString());
    f.cluster().deleteNode("node-1");
    await().atMost(Duration.ofSeconds(20)).until(() -> f.entry(NODE_1.toString()).isEmpty());
  }

  @Test
  void fullPassWithNothingChangedMakesNoWriteCall() {
    f.start(OperatorFixture.defaults());
    f.cluster().node("node-1");
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.awaitEntry("spiffe://example.org/ns/shop/sa/web");
    f.spire().resetCalls();
    f.fullPass();
    assertThat(f.spire().writeCalls()).isEmpty();
  }

  private List<String> listedParentsOfAFullPass() {
    f.spire().resetCalls();
    f.fullPass();
    return f.spire().calls("ListEntries").stream()
        .map(
            c ->
                c.request(spire.api.server.entry.v1.ListEntriesRequest.class)
                    .getFilter()
                    .getByParentId()
                    .getPath())
        .distinct()
        .sorted()
        .toList();
  }

  @Test
  void fullPassReadsAServerHoldingLittleElseWhole() {
    f.cluster().node("node-1");
    f.cluster().node("node-2");
    f.start(OperatorFixture.defaults());
    awaitLoaded();

    assertThat(listedParentsOfAFullPass()).containsExactly("");
  }

  @Test
  void fullPassBesideManyOthersEntriesListsOnlyTheServersChildrenAndEachNodesChildren() {
    SpiffeId elsewhere = SpiffeId.parse("spiffe://example.org/elsewhere/agent");
    for (int i = 0; i < 1_100; i++) {
      f.spire()
          .put(
              Entry.of(
                  SpiffeId.parse("spiffe://example.org/elsewhere/w" + i),
                  elsewhere,
                  List.of(Selector.parse("k8s:pod-uid:u" + i))));
    }
    f.cluster().node("node-1");
    f.cluster().node("node-2");
    f.start(OperatorFixture.defaults());
    awaitLoaded();

    assertThat(listedParentsOfAFullPass())
        .containsExactly(
            "/spire-k8s-registrar/demo/node/node-1",
            "/spire-k8s-registrar/demo/node/node-2",
            "/spire/server");
  }

  @Test
  void entriesWrittenByUpstreamAreAdoptedWithoutWrites() {
    f.cluster().node("node-1");
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.spire()
        .put(
            Entry.of(
                NODE_1,
                SERVER,
                List.of(
                    Selector.parse("k8s_psat:agent_node_name:node-1"),
                    Selector.parse("k8s_psat:cluster:demo"))));
    f.spire()
        .put(
            Entry.of(
                SpiffeId.parse("spiffe://example.org/ns/shop/sa/web"),
                NODE_1,
                List.of(Selector.parse("k8s:ns:shop"), Selector.parse("k8s:pod-name:web-0"))));
    f.spire().resetCalls();
    f.start(OperatorFixture.defaults());
    awaitLoaded();
    f.fullPass();
    assertThat(f.spire().writeCalls()).isEmpty();
  }

  @Test
  void foreignEntriesAreLeftExactlyAsTheyWere() {
    List<Entry> foreign =
        List.of(
            Entry.of(
                SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/prod/node/node-1"),
                SERVER,
                List.of(
                    Selector.parse("k8s_psat:cluster:prod"),
                    Selector.parse("k8s_psat:agent_node_name:node-1"))),
            Entry.of(
                SpiffeId.parse("spiffe://example.org/ns/shop/sa/web"),
                SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/prod/node/node-1"),
                List.of(Selector.parse("k8s:ns:shop"), Selector.parse("k8s:pod-name:gone"))),
            Entry.of(
                SpiffeId.parse("spiffe://example.org/custom"),
                NODE_1,
                List.of(Selector.parse("k8s:ns:shop"), Selector.parse("k8s:pod-label:app:x"))),
            Entry.of(
                SpiffeId.parse("spiffe://example.org/db"),
                SpiffeId.parse("spiffe://example.org/other-parent"),
                List.of(Selector.parse("unix:uid:1000"))));
    List<Entry> seeded = foreign.stream().map(e -> f.spire().put(e)).toList();
    f.cluster().node("node-1");
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(OperatorFixture.defaults());
    f.awaitEntry("spiffe://example.org/ns/shop/sa/web");
    f.fullPass();
    assertThat(f.entries()).containsAll(seeded);
  }

  @Test
  void entriesOfPodsDeletedWhileDownAreCollectedAtStart() {
    f.cluster().node("node-1");
    Entry stale =
        f.spire()
            .put(
                Entry.of(
                    SpiffeId.parse("spiffe://example.org/ns/shop/sa/old"),
                    NODE_1,
                    List.of(Selector.parse("k8s:ns:shop"), Selector.parse("k8s:pod-name:old-0"))));
    f.start(OperatorFixture.defaults());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> f.entries().stream().noneMatch(e -> e.id().equals(stale.id())));
  }

  @Test
  void duplicateEntriesOfAPodCollapseToTheLowestId() {
    f.cluster().node("node-1");
    f.cluster().pod("shop", "web-0", "node-1", "web");
    Entry wanted =
        Entry.of(
            SpiffeId.parse("spiffe://example.org/ns/shop/sa/web"),
            NODE_1,
            List.of(Selector.parse("k8s:ns:shop"), Selector.parse("k8s:pod-name:web-0")));
    f.spire().put(wanted.withId("00000000-0000-0000-0000-00000000000a"));
    f.spire()
        .put(
            wanted
                .withDnsNames(List.of("dup.example"))
                .withId("00000000-0000-0000-0000-00000000000b"));
    f.start(OperatorFixture.defaults());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                f.entries().stream()
                    .filter(e -> e.spiffeId().equals(wanted.spiffeId()))
                    .map(Entry::id)
                    .toList(),
            ids -> ids.equals(List.of("00000000-0000-0000-0000-00000000000a")));
  }

  @Test
  void spireOutageDeletesNothingAndConvergesAfterwards() {
    f.cluster().node("node-1");
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(OperatorFixture.defaults());
    Entry before = f.awaitEntry("spiffe://example.org/ns/shop/sa/web");
    f.spire().failNext(6, io.grpc.Status.Code.UNAVAILABLE);
    f.cluster().pod("shop", "api-0", "node-1", "api");
    f.awaitEntry("spiffe://example.org/ns/shop/sa/api");
    assertThat(f.entries()).contains(before);
  }

  @Test
  void disabledNamespacesGetNoEntry() {
    f.cluster().node("node-1");
    f.cluster().pod("kube-system", "coredns-0", "node-1", "coredns");
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(OperatorFixture.defaults());
    f.awaitEntry("spiffe://example.org/ns/shop/sa/web");
    assertThat(f.entry("spiffe://example.org/ns/kube-system/sa/coredns")).isEmpty();
  }

  @Test
  void invalidLabelValueGivesNoEntryButAWarningEventOnThePod() {
    f.cluster().node("node-1");
    f.cluster()
        .pod("shop", "web-0", "node-1", "web", Map.of(), Map.of("spiffe.io/spiffe-id", "a//b"));
    f.start(
        OperatorFixture.defaults().withIdentity(new PodIdentity.Annotation("spiffe.io/spiffe-id")));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                f.cluster().client().v1().events().inNamespace("shop").list().getItems().stream()
                    .map(Event::getReason)
                    .toList(),
            r -> r.contains("InvalidIdentity"));
  }

  @Test
  void invalidPodDoesNotHoldUpOtherPods() {
    f.cluster().node("node-1");
    f.cluster()
        .pod("shop", "bad-0", "node-1", "web", Map.of(), Map.of("spiffe.io/spiffe-id", "a//b"));
    f.cluster()
        .pod(
            "shop",
            "good-0",
            "node-1",
            "web",
            Map.of(),
            Map.of("spiffe.io/spiffe-id", "ns/shop/good"));
    f.start(
        OperatorFixture.defaults().withIdentity(new PodIdentity.Annotation("spiffe.io/spiffe-id")));
    f.awaitEntry("spiffe://example.org/ns/shop/good");
  }

  @Test
  void federatesWithAnnotationIsRegistered() {
    f.spire().addFederatedBundle("partner.org");
    f.cluster().node("node-1");
    f.cluster()
        .pod(
            "shop",
            "web-0",
            "node-1",
            "web",
            Map.of(),
            Map.of("spiffe.io/federatesWith", "partner.org"));
    f.start(OperatorFixture.defaults());
    assertThat(f.awaitEntry("spiffe://example.org/ns/shop/sa/web").federatesWith())
        .containsExactly("partner.org");
  }

  @Test
  void podUidSelectorIsAddedWhenConfigured() {
    f.cluster().node("node-1");
    var pod = f.cluster().pod("shop", "web-0", "node-1", "web");
    f.start(OperatorFixture.defaults().withPodUidSelector(true));
    assertThat(f.awaitEntry("spiffe://example.org/ns/shop/sa/web").selectors())
        .contains(Selector.parse("k8s:pod-uid:" + pod.getMetadata().getUid()));
  }

  @Test
  void labelChangeUpdatesTheEntryInPlace() {
    f.cluster().node("node-1");
    f.cluster().pod("shop", "web-0", "node-1", "web", Map.of("spiffe-id", "v1"), Map.of());
    f.start(OperatorFixture.unconfined().withIdentity(new PodIdentity.Label("spiffe-id")));
    Entry v1 = f.awaitEntry("spiffe://example.org/v1");
    f.cluster()
        .client()
        .pods()
        .inNamespace("shop")
        .withName("web-0")
        .edit(
            p -> {
              p.getMetadata().getLabels().put("spiffe-id", "v2");
              return p;
            });
    Entry v2 = f.awaitEntry("spiffe://example.org/v2");
    assertThat(v2.id()).isEqualTo(v1.id());
  }
}
