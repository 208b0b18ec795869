package org.spireoperator.scm.entries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spireoperator.scm.entries.ScmFixtures.clusterSpiffeId;
import static org.spireoperator.scm.entries.ScmFixtures.inputs;
import static org.spireoperator.scm.entries.ScmFixtures.matchLabels;
import static org.spireoperator.scm.entries.ScmFixtures.namespace;
import static org.spireoperator.scm.entries.ScmFixtures.pod;
import static org.spireoperator.scm.entries.ScmFixtures.staticEntry;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.crd.ClusterSPIFFEIDStats;
import org.spireoperator.scm.crd.ClusterStaticEntry;
import org.spireoperator.scm.crd.ClusterStaticEntryStatus;

/** Which pods get which entries, and the counters, as spire-controller-manager v0.6.4 decides. */
class ScmRenderingTest {

  private static final List<ScmNamespace> NAMESPACES =
      List.of(
          namespace("shop", Map.of("team", "shop")),
          namespace("bank", Map.of("team", "bank")),
          namespace("kube-system", Map.of()));
  private static final ScmPod WEB = pod("shop", "web", Map.of("app", "web"));
  private static final ScmPod API = pod("shop", "api", Map.of("app", "api"));
  private static final ScmPod LEDGER = pod("bank", "ledger", Map.of("app", "ledger"));
  private static final ScmPod DNS = pod("kube-system", "coredns", Map.of("app", "dns"));
  private static final List<ScmPod> PODS = List.of(WEB, API, LEDGER, DNS);

  private static ScmRendering render(List<ClusterSPIFFEID> ids, List<ClusterStaticEntry> statics) {
    return ScmRendering.compute(inputs(ids, statics, NAMESPACES, PODS));
  }

  private static List<String> setFor(ScmRendering r, String declarer) {
    return r.entriesToSet().stream()
        .filter(d -> d.by().name().equals(declarer))
        .map(d -> d.pod() + " " + d.entry().spiffeId())
        .sorted()
        .toList();
  }

  private static ClusterSPIFFEIDStats stats(ScmRendering r, String name) {
    return StatusCounters.stats(r.clusterSpiffeIds().get(name), 0);
  }

  @Test
  @DisplayName("a ClusterSPIFFEID without selectors gives every pod of every namespace an entry")
  void selectsEverything() {
    ScmRendering r = render(List.of(clusterSpiffeId("all", 0, s -> {})), List.of());

    assertThat(setFor(r, "all"))
        .containsExactly(
            "bank/ledger spiffe://example.org/ns/bank/sa/ledger-sa",
            "kube-system/coredns spiffe://example.org/ns/kube-system/sa/coredns-sa",
            "shop/api spiffe://example.org/ns/shop/sa/api-sa",
            "shop/web spiffe://example.org/ns/shop/sa/web-sa");
    assertThat(stats(r, "all")).isEqualTo(new ClusterSPIFFEIDStats(3, 0, 4, 0, 0, 4, 0));
  }

  @Test
  void namespaceAndPodSelectorsBothApply() {
    ScmRendering r =
        render(
            List.of(
                clusterSpiffeId(
                    "shop-web",
                    0,
                    s -> {
                      s.setNamespaceSelector(matchLabels(Map.of("team", "shop")));
                      s.setPodSelector(matchLabels(Map.of("app", "web")));
                    })),
            List.of());

    assertThat(setFor(r, "shop-web"))
        .containsExactly("shop/web spiffe://example.org/ns/shop/sa/web-sa");
    assertThat(stats(r, "shop-web")).isEqualTo(new ClusterSPIFFEIDStats(1, 0, 1, 0, 0, 1, 0));
  }

  @Test
  @DisplayName("ignored namespaces count as selected and ignored, and their pods get nothing")
  void ignoredNamespaces() {
    ScmRendering r =
        ScmRendering.compute(
            new ScmRendering.Inputs(
                new ScmSettings(
                    "example.org",
                    "demo",
                    "cluster.local",
                    ClassRule.classless(),
                    IgnoredNamespaces.of(IgnoredNamespaces.SCM_DEFAULT).orElseThrow()),
                ParentRule.scmDefault(),
                List.of(clusterSpiffeId("all", 0, s -> {})),
                List.of(),
                NAMESPACES,
                PODS,
                Map.of("node-1", ScmFixtures.node("node-1")),
                p -> java.util.Set.of()));

    assertThat(setFor(r, "all")).noneMatch(e -> e.startsWith("kube-system/"));
    assertThat(stats(r, "all")).isEqualTo(new ClusterSPIFFEIDStats(3, 1, 3, 0, 0, 3, 0));
  }

  @Nested
  class Fallback {

    private final ClusterSPIFFEID perSa = clusterSpiffeId("default", 0, s -> s.setFallback(true));
    private final ClusterSPIFFEID webOnly =
        clusterSpiffeId(
            "web",
            10,
            s -> {
              s.setPodSelector(matchLabels(Map.of("app", "web")));
              s.setSpiffeIDTemplate("spiffe://example.org/web/{{ .PodMeta.Name }}");
            });

    @Test
    @DisplayName("a fallback ClusterSPIFFEID skips pods another ClusterSPIFFEID gives an entry")
    void fallbackSkipsPodsWithAnEntry() {
      ScmRendering r = render(List.of(perSa, webOnly), List.of());

      assertThat(setFor(r, "web")).containsExactly("shop/web spiffe://example.org/web/web");
      assertThat(setFor(r, "default")).noneMatch(e -> e.startsWith("shop/web "));
    }

    @Test
    @DisplayName("skipped pods still count as selected by the fallback")
    void skippedPodsCountAsSelected() {
      ScmRendering r = render(List.of(webOnly, perSa), List.of());

      assertThat(stats(r, "default")).isEqualTo(new ClusterSPIFFEIDStats(3, 0, 4, 0, 0, 3, 0));
    }

    @Test
    void aFailedRenderingDoesNotStopTheFallback() {
      ClusterSPIFFEID broken =
          clusterSpiffeId(
              "broken",
              5,
              s -> {
                s.setPodSelector(matchLabels(Map.of("app", "web")));
                s.setSpiffeIDTemplate("spiffe://example.org/{{ .PodMeta.Labels.missing }}");
              });

      ScmRendering r = render(List.of(broken, perSa), List.of());

      assertThat(setFor(r, "default")).contains("shop/web spiffe://example.org/ns/shop/sa/web-sa");
      assertThat(stats(r, "broken").getPodEntryRenderFailures()).isEqualTo(1);
    }

    @Test
    void twoFallbacksBothApply() {
      ClusterSPIFFEID other =
          clusterSpiffeId(
              "other",
              1,
              s -> {
                s.setFallback(true);
                s.setSpiffeIDTemplate("spiffe://example.org/other/{{ .PodMeta.Name }}");
              });

      ScmRendering r = render(List.of(perSa, other), List.of());

      assertThat(List.of(setFor(r, "default").size(), setFor(r, "other").size()))
          .containsExactly(4, 4);
    }
  }

  @Nested
  class Masking {

    @Test
    @DisplayName(
        "the same entry from two ClusterSPIFFEIDs is set by the older, masked in the other")
    void olderWins() {
      ClusterSPIFFEID older = clusterSpiffeId("older", 0, s -> {});
      ClusterSPIFFEID newer = clusterSpiffeId("newer", 60, s -> s.setHint("newer"));

      ScmRendering r = render(List.of(newer, older), List.of());

      assertThat(List.of(setFor(r, "older").size(), setFor(r, "newer").size()))
          .containsExactly(4, 0);
      assertThat(
              List.of(
                  stats(r, "older").getEntriesToSet(),
                  stats(r, "newer").getEntriesToSet(),
                  stats(r, "newer").getEntriesMasked()))
          .containsExactly(4, 0, 4);
      assertThat(r.entriesToSet()).allMatch(d -> d.entry().hint().isEmpty());
    }

    @Test
    void sameCreationSecondFallsBackToTheUid() {
      ClusterSPIFFEID a = clusterSpiffeId("a", 0, s -> {});
      ClusterSPIFFEID b = clusterSpiffeId("b", 0, s -> {});
      String winner = a.getMetadata().getUid().compareTo(b.getMetadata().getUid()) < 0 ? "a" : "b";

      ScmRendering r = render(List.of(a, b), List.of());

      assertThat(setFor(r, winner)).hasSize(4);
    }

    @Test
    void anObjectBeingDeletedLosesToOneThatIsNot() {
      ClusterSPIFFEID older = clusterSpiffeId("older", 0, s -> {});
      older.getMetadata().setDeletionTimestamp("2024-02-01T00:00:00Z");
      ClusterSPIFFEID newer = clusterSpiffeId("newer", 0, s -> {});
      newer.getMetadata().setUid("ffffffff-0000-0000-0000-000000000000");

      ScmRendering r = render(List.of(older, newer), List.of());

      assertThat(setFor(r, "newer")).hasSize(4);
    }

    @Test
    @DisplayName("different selectors are different entries: nothing is masked")
    void differentSelectorsDoNotMask() {
      ClusterSPIFFEID plain = clusterSpiffeId("plain", 0, s -> {});
      ClusterSPIFFEID withImage =
          clusterSpiffeId(
              "with-image",
              60,
              s ->
                  s.setWorkloadSelectorTemplates(
                      List.of("k8s:container-name:{{ (index .PodSpec.Containers 0).Name }}")));

      ScmRendering r = render(List.of(plain, withImage), List.of());

      assertThat(r.masked()).isEmpty();
      assertThat(r.entriesToSet()).hasSize(8);
    }

    @Test
    @DisplayName("a ClusterStaticEntry and a ClusterSPIFFEID mask each other by age")
    void staticAndClusterSpiffeIdMaskEachOther() {
      ClusterStaticEntry sameAsWeb =
          staticEntry(
              "static-web",
              0,
              s -> {
                s.setSpiffeID("spiffe://example.org/ns/shop/sa/web-sa");
                s.setParentID("spiffe://example.org/spire/agent/k8s_psat/demo/uid-node-1");
                s.setSelectors(List.of("k8s:pod-uid:uid-shop-web"));
              });
      ClusterSPIFFEID newer = clusterSpiffeId("all", 60, s -> {});

      ScmRendering r = render(List.of(newer), List.of(sameAsWeb));

      assertThat(setFor(r, "static-web")).hasSize(1);
      assertThat(stats(r, "all").getEntriesMasked()).isEqualTo(1);
      assertThat(r.staticEntries().get("static-web").masked()).isFalse();
    }

    @Test
    void aYoungerStaticEntryIsMasked() {
      ClusterStaticEntry first = staticEntry("first", 0, s -> staticSpec(s));
      ClusterStaticEntry second = staticEntry("second", 60, s -> staticSpec(s));

      ScmRendering r = render(List.of(), List.of(second, first));

      assertThat(
              List.of(
                  StatusCounters.staticStatus(r.staticEntries().get("first"), true),
                  StatusCounters.staticStatus(r.staticEntries().get("second"), false)))
          .containsExactly(
              new ClusterStaticEntryStatus(true, false, true),
              new ClusterStaticEntryStatus(true, true, false));
    }

    private static void staticSpec(org.spireoperator.scm.crd.ClusterStaticEntrySpec s) {
      s.setSpiffeID("spiffe://example.org/vm/db");
      s.setParentID("spiffe://example.org/spire/server");
      s.setSelectors(List.of("unix:uid:1000"));
    }
  }

  @Nested
  class Classes {

    private final ClusterSPIFFEID classless = clusterSpiffeId("classless", 0, s -> {});
    private final ClusterSPIFFEID ours =
        clusterSpiffeId(
            "ours",
            0,
            s -> {
              s.setClassName("ours");
              s.setSpiffeIDTemplate("spiffe://example.org/ours/{{ .PodMeta.Name }}");
            });
    private final ClusterSPIFFEID theirs =
        clusterSpiffeId(
            "theirs",
            0,
            s -> {
              s.setClassName("theirs");
              s.setSpiffeIDTemplate("spiffe://example.org/theirs/{{ .PodMeta.Name }}");
            });

    private List<String> handled(ClassRule rule) {
      ScmRendering r =
          ScmRendering.compute(
              new ScmRendering.Inputs(
                  new ScmSettings("example.org", "demo", "", rule, IgnoredNamespaces.NONE),
                  ParentRule.scmDefault(),
                  List.of(classless, ours, theirs),
                  List.of(),
                  NAMESPACES,
                  PODS,
                  Map.of("node-1", ScmFixtures.node("node-1")),
                  null));
      return r.clusterSpiffeIds().keySet().stream().sorted().toList();
    }

    @Test
    void withoutAClassOnlyClasslessObjectsAreHandled() {
      assertThat(handled(new ClassRule("", true))).containsExactly("classless");
    }

    @Test
    void withAClassOnlyThatClassIsHandled() {
      assertThat(handled(new ClassRule("ours", false))).containsExactly("ours");
    }

    @Test
    void watchClasslessAddsTheClasslessObjects() {
      assertThat(handled(new ClassRule("ours", true))).containsExactly("classless", "ours");
    }
  }

  @Test
  @DisplayName("an invalid spec reports zero counters and its problem, and declares nothing")
  void invalidSpec() {
    ClusterSPIFFEID bad =
        clusterSpiffeId(
            "bad",
            0,
            s ->
                s.setPodSelector(
                    new io.fabric8.kubernetes.api.model.LabelSelector(
                        List.of(new LabelSelectorRequirement("app", "in", List.of("web"))), null)));

    ScmRendering r = render(List.of(bad), List.of());

    assertThat(r.entriesToSet()).isEmpty();
    assertThat(stats(r, "bad")).isEqualTo(new ClusterSPIFFEIDStats());
    assertThat(r.clusterSpiffeIds().get("bad").specProblem())
        .startsWith("podSelector: matchExpressions[0]: \"in\" is not a label selector operator");
  }

  @Test
  @DisplayName("pods on an unknown node or not scheduled count as render failures")
  void unknownNodes() {
    ScmRendering r =
        ScmRendering.compute(
            inputs(
                List.of(clusterSpiffeId("all", 0, s -> {})),
                List.of(),
                NAMESPACES,
                List.of(
                    WEB,
                    pod("shop", "pending", Map.of(), ""),
                    pod("shop", "lost", Map.of(), "gone"))));

    assertThat(r.clusterSpiffeIds().get("all").renderFailures())
        .extracting(ClusterSpiffeIdReport.RenderFailure::pod)
        .containsExactly("shop/pending", "shop/lost");
    assertThat(stats(r, "all")).isEqualTo(new ClusterSPIFFEIDStats(3, 0, 3, 2, 0, 1, 0));
  }

  @Test
  void entryFailuresComeFromWriting() {
    ScmRendering r = render(List.of(clusterSpiffeId("all", 0, s -> {})), List.of());

    assertThat(StatusCounters.stats(r.clusterSpiffeIds().get("all"), 2).getEntryFailures())
        .isEqualTo(2);
  }

  @Test
  void aStaticEntryThatDoesNotRenderIsNeitherMaskedNorSet() {
    ScmRendering r =
        render(List.of(), List.of(staticEntry("bad", 0, s -> s.setSpiffeID("not-an-id"))));

    assertThat(StatusCounters.staticStatus(r.staticEntries().get("bad"), true))
        .isEqualTo(new ClusterStaticEntryStatus(false, false, false));
  }
}
