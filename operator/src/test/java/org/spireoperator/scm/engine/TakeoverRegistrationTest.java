package org.spireoperator.scm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.spireoperator.k8s.AgentPodSelector;
import org.spireoperator.k8s.SnapshotClusterView;
import org.spireoperator.reconcile.AgentDirectory;
import org.spireoperator.reconcile.DesiredState;
import org.spireoperator.reconcile.Ownership;
import org.spireoperator.reconcile.Plan;
import org.spireoperator.reconcile.Planner;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.crd.ClusterSPIFFEIDSpec;
import org.spireoperator.scm.entries.ClassRule;
import org.spireoperator.scm.entries.IgnoredNamespaces;
import org.spireoperator.scm.entries.ScmIntegration;
import org.spireoperator.scm.entries.ScmSettings;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.testing.OperatorFixture;
import spire.api.server.entry.v1.BatchCreateEntryRequest;
import spire.api.server.entry.v1.BatchDeleteEntryRequest;
import spire.api.server.entry.v1.BatchUpdateEntryRequest;

/**
 * Taking over from spire-controller-manager: the entries it wrote (ID prefix {@code demo.}) that a
 * ClusterSPIFFEID wants as they are stay with no write; those that differ are updated in place,
 * those nobody wants are deleted, and nothing else on the server is touched.
 */
class TakeoverRegistrationTest {

  private static final String TEMPLATE =
      "spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}";

  private OperatorFixture f;
  private String node1Uid;
  private Map<String, String> podUids;

  @BeforeEach
  void setUp() throws Exception {
    f = new OperatorFixture();
    f.cluster()
        .crds(
            List.of(
                "clusterspiffeids.spire.spiffe.io-v1.yml",
                "clusterstaticentries.spire.spiffe.io-v1.yml",
                "clusterfederatedtrustdomains.spire.spiffe.io-v1.yml"));
    f.cluster().namespace("shop");
    node1Uid = f.cluster().node("node-1").getMetadata().getUid();
    podUids = new LinkedHashMap<>();
    for (String[] pod :
        List.of(
            new String[] {"web-0", "web"},
            new String[] {"web-1", "web"},
            new String[] {"api-0", "api"},
            new String[] {"db-0", "db"})) {
      podUids.put(pod[0], f.cluster().pod("shop", pod[0], "node-1", pod[1]).getMetadata().getUid());
    }
    ClusterSPIFFEID c = new ClusterSPIFFEID();
    c.setMetadata(new ObjectMetaBuilder().withName("default").build());
    ClusterSPIFFEIDSpec spec = new ClusterSPIFFEIDSpec();
    spec.setSpiffeIDTemplate(TEMPLATE);
    c.setSpec(spec);
    f.cluster().client().resource(c).create();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static RegistrationSettings settings(String takeOverPrefix) {
    return OperatorFixture.defaults()
        .withScm(
            new ScmIntegration(
                true,
                new ScmSettings(
                    "example.org",
                    "demo",
                    "cluster.local",
                    ClassRule.classless(),
                    IgnoredNamespaces.of(List.of("kube-system")).orElseThrow()),
                ScmIntegration.Parent.AGENT_BY_NODE_UID,
                ScmIntegration.RegistrarPods.OFF,
                takeOverPrefix,
                true));
  }

  private SpiffeId agent(String nodeUid) {
    return SpiffeId.parse("spiffe://example.org/spire/agent/k8s_psat/demo/" + nodeUid);
  }

  private Entry scmEntry(String id, String sa, SpiffeId parent, String podUid) {
    return Entry.of(
            SpiffeId.parse("spiffe://example.org/ns/shop/sa/" + sa),
            parent,
            List.of(Selector.k8s("pod-uid", podUid)))
        .withId(id);
  }

  /**
   * What spire-controller-manager left: web-0's entry as we want it, web-1's with another hint,
   * api-0's with another selector besides its pod UID, one of a pod that is gone; db-0 has none.
   * Plus a foreign entry, unprefixed, of web-0's shape under another parent.
   */
  private Map<String, Entry> seed() {
    Map<String, Entry> seeded = new LinkedHashMap<>();
    for (Entry e :
        List.of(
            scmEntry("demo.1-web-0", "web", agent(node1Uid), podUids.get("web-0")),
            scmEntry("demo.2-web-1", "web", agent(node1Uid), podUids.get("web-1")).withHint("old"),
            withSelector(
                scmEntry("demo.3-api-0", "api", agent(node1Uid), podUids.get("api-0")),
                Selector.k8s("ns", "shop")),
            scmEntry("demo.4-gone", "gone", agent(node1Uid), "uid-of-a-gone-pod"),
            scmEntry("7a1b-foreign", "web", agent("legacy"), podUids.get("web-0")),
            upstreamRegistrarPodEntry())) {
      seeded.put(e.id(), f.spire().put(e));
    }
    return seeded;
  }

  /** An entry upstream's k8s-workload-registrar wrote for web-0, under its node entry. */
  private static Entry upstreamRegistrarPodEntry() {
    return Entry.of(
            SpiffeId.parse("spiffe://example.org/ns/shop/sa/web"),
            SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/demo/node/node-1"),
            List.of(Selector.k8s("ns", "shop"), Selector.k8s("pod-name", "web-0")))
        .withId("9c2d-registrar");
  }

  private static Entry withSelector(Entry e, Selector extra) {
    List<Selector> selectors = new java.util.ArrayList<>(e.selectors());
    selectors.add(extra);
    return Entry.of(e.spiffeId(), e.parentId(), selectors).withId(e.id());
  }

  /** Entries written by the calls of one batch method, item by item. */
  private int written(Class<?> type) {
    int n = 0;
    for (var call : f.spire().writeCalls()) {
      if (!type.isInstance(call.request())) {
        continue;
      }
      if (call.request() instanceof BatchCreateEntryRequest r) {
        n += r.getEntriesCount();
      } else if (call.request() instanceof BatchUpdateEntryRequest r) {
        n += r.getEntriesCount();
      } else if (call.request() instanceof BatchDeleteEntryRequest r) {
        n += r.getIdsCount();
      }
    }
    return n;
  }

  @Test
  @DisplayName("only what differs is written: one create, two updates in place, one delete")
  void onlyWhatDiffersIsWritten() {
    seed();
    f.start(settings("demo."));
    f.awaitIdle();

    assertThat(
            List.of(
                written(BatchCreateEntryRequest.class),
                written(BatchUpdateEntryRequest.class),
                written(BatchDeleteEntryRequest.class)))
        .containsExactly(1, 2, 1);
  }

  @Test
  @DisplayName("an entry that matches is kept as it was: same ID, same revision")
  void aMatchingEntryIsKeptAsItWas() {
    Entry web0 = seed().get("demo.1-web-0");
    f.start(settings("demo."));
    f.awaitIdle();

    assertThat(f.spire().entry("demo.1-web-0")).contains(web0);
  }

  @Test
  @DisplayName("afterwards the server holds exactly what the ClusterSPIFFEID wants, and the rest")
  void afterwardsTheServerHoldsWhatIsWanted() {
    Map<String, Entry> seeded = seed();
    f.start(settings("demo."));
    f.awaitIdle();

    assertThat(
            f.entries().stream()
                .map(
                    e ->
                        e.id().equals("7a1b-foreign") || e.id().equals("9c2d-registrar")
                            ? e
                            : key(e))
                .toList())
        .containsExactlyInAnyOrder(
            key(scmEntry("", "web", agent(node1Uid), podUids.get("web-0"))),
            key(scmEntry("", "web", agent(node1Uid), podUids.get("web-1"))),
            key(scmEntry("", "api", agent(node1Uid), podUids.get("api-0"))),
            key(scmEntry("", "db", agent(node1Uid), podUids.get("db-0"))),
            seeded.get("7a1b-foreign"),
            seeded.get("9c2d-registrar"));
  }

  @Test
  @DisplayName("a second pass writes nothing: the adopted entries are owned through the index")
  void aSecondPassWritesNothing() {
    seed();
    f.start(settings("demo."));
    f.awaitIdle();
    f.spire().resetCalls();
    f.fullPass();
    f.awaitIdle();

    assertThat(f.spire().writeCalls()).isEmpty();
  }

  @Test
  @DisplayName("parenting to node entries, the entries under the nodes' agents are read and moved")
  void withNodeEntryParentsTheEntriesAreMovedInPlace() {
    seed();
    RegistrationSettings nodeEntryParents =
        settings(null)
            .withScm(
                new ScmIntegration(
                    true,
                    settings(null).scm().settings(),
                    ScmIntegration.Parent.NODE_ENTRY,
                    ScmIntegration.RegistrarPods.OFF,
                    "demo.",
                    false));
    f.start(nodeEntryParents);
    f.awaitIdle();

    assertThat(
            List.of(
                written(BatchCreateEntryRequest.class),
                written(BatchUpdateEntryRequest.class),
                written(BatchDeleteEntryRequest.class)))
        .as(
            "creates (node-1's entry, db-0), updates in place (web-0, web-1, api-0), deletes (the"
                + " gone pod's; upstream registrar's web-0 entry, adopted by its shape outside"
                + " controller_manager mode, with registrar pod entries off)")
        .containsExactly(2, 3, 2);
  }

  @Test
  @DisplayName("with take-over off, spire-controller-manager's entries are left as they are")
  void withTakeoverOffNothingOfThemChanges() {
    Map<String, Entry> seeded = seed();
    f.start(settings(null));
    f.awaitIdle();

    assertThat(seeded.keySet().stream().map(id -> f.spire().entry(id).orElse(null)).toList())
        .containsExactlyElementsOf(seeded.values());
  }

  @Test
  @DisplayName("plan shows the adoption and the writes first, and writes nothing")
  void planShowsAdoptionsAndWrites() {
    seed();
    RegistrationSettings settings = settings("demo.");
    SnapshotClusterView view =
        SnapshotClusterView.read(
            f.cluster().client(),
            new AgentPodSelector("spire", Map.of("app", "spire-agent")),
            false,
            true,
            false);
    AgentDirectory agents = new AgentDirectory(settings, f.spireClient(), view);
    DesiredState desired =
        new DesiredState(
            settings,
            view,
            null,
            new org.spireoperator.crd.SpiffeIdRules(settings.tenant(), settings.operatorIdRoot()));
    Plan plan =
        new Planner(
                settings,
                view,
                f.spireClient(),
                desired,
                Ownership.of(settings, OperatorFixture.ids(), desired.nodeEntries(), view),
                agents)
            .plan();

    assertThat(
            List.of(
                plan.adoptions().stream().map(Entry::id).toList(),
                plan.diff().updates().stream().map(Entry::id).sorted().toList(),
                plan.diff().deletes().stream().map(Entry::id).toList(),
                List.of(plan.diff().creates().size()),
                List.of(f.spire().writeCalls().size())))
        .containsExactly(
            List.of("demo.1-web-0"),
            List.of("demo.2-web-1", "demo.3-api-0"),
            List.of("demo.4-gone"),
            List.of(1),
            List.of(0));
  }

  private static Entry key(Entry e) {
    return Entry.of(e.spiffeId(), e.parentId(), e.selectors())
        .withHint(e.hint())
        .withTtls(e.x509SvidTtl(), e.jwtSvidTtl());
  }
}
