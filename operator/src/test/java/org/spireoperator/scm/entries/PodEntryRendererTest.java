package org.spireoperator.scm.entries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spireoperator.scm.entries.ScmFixtures.SETTINGS;
import static org.spireoperator.scm.entries.ScmFixtures.clusterSpiffeId;
import static org.spireoperator.scm.entries.ScmFixtures.node;
import static org.spireoperator.scm.entries.ScmFixtures.pod;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.spireoperator.scm.Outcome;
import org.spireoperator.scm.crd.ClusterSPIFFEIDSpec;
import org.spireoperator.scm.template.GoTemplate;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/** A pod's entry is the one spire-controller-manager v0.6.4 renders. */
class PodEntryRendererTest {

  private static final ScmPod WEB = pod("shop", "web-0", Map.of("app", "web"));

  private static ClusterSpiffeIdRule rule(Consumer<ClusterSPIFFEIDSpec> spec) {
    return ClusterSpiffeIdRule.parse(clusterSpiffeId("c", 0, spec)).orElseThrow();
  }

  private static Outcome<Entry> render(ClusterSpiffeIdRule rule, ScmPod pod, Set<String> services) {
    return PodEntryRenderer.render(
        rule, SETTINGS, pod, node("node-1"), services, ParentRule.scmDefault());
  }

  private static Entry entry(Consumer<ClusterSPIFFEIDSpec> spec) {
    return render(rule(spec), WEB, Set.of()).orElseThrow();
  }

  @Test
  @DisplayName(
      "the per-service-account default: SPIFFE ID, k8s_psat agent parent, pod-uid selector")
  void theDefaultShape() {
    Entry e = entry(s -> {});

    assertThat(e)
        .isEqualTo(
            Entry.of(
                SpiffeId.parse("spiffe://example.org/ns/shop/sa/web-0-sa"),
                SpiffeId.parse("spiffe://example.org/spire/agent/k8s_psat/demo/uid-node-1"),
                List.of(Selector.k8s("pod-uid", "uid-shop-web-0"))));
  }

  @Test
  void theOptionsGoIntoTheEntry() {
    Entry e =
        entry(
            s -> {
              s.setTtl("1h");
              s.setJwtTtl("5m");
              s.setFederatesWith(List.of("partner.org", "spiffe://other.org"));
              s.setAdmin(true);
              s.setDownstream(true);
              s.setHint("web");
            });

    assertThat(
            List.of(
                e.x509SvidTtl(),
                e.jwtSvidTtl(),
                e.federatesWith(),
                e.admin(),
                e.downstream(),
                e.hint(),
                e.storeSvid()))
        .containsExactly(
            3600,
            300,
            new java.util.TreeSet<>(List.of("other.org", "partner.org")),
            true,
            true,
            "web",
            false);
  }

  @Test
  void workloadSelectorTemplatesAddSelectorsOfAnyType() {
    Entry e =
        entry(
            s ->
                s.setWorkloadSelectorTemplates(
                    List.of(
                        "k8s:container-image:{{ (index .PodSpec.Containers 0).Image }}",
                        "unix:uid:1000")));

    assertThat(e.selectors())
        .containsExactly(
            Selector.k8s("container-image", "registry.example/web-0:1"),
            Selector.k8s("pod-uid", "uid-shop-web-0"),
            new Selector("unix", "uid:1000"));
  }

  @Test
  @DisplayName("DNS names: templates in order without duplicates, then the Services' names sorted")
  void dnsNames() {
    ClusterSpiffeIdRule rule =
        rule(
            s -> {
              s.setDnsNameTemplates(
                  List.of("{{ .PodMeta.Name }}", "web", "{{ .PodMeta.Name }}", "api.shop.svc"));
              s.setAutoPopulateDNSNames(true);
            });

    assertThat(render(rule, WEB, Set.of("web", "api")).orElseThrow().dnsNames())
        .containsExactly(
            "web-0",
            "web",
            "api.shop.svc",
            "api",
            "api.shop",
            "api.shop.svc.cluster.local",
            "web.shop",
            "web.shop.svc",
            "web.shop.svc.cluster.local");
  }

  @Test
  void servicesAddNoDnsNamesWithoutAutoPopulate() {
    assertThat(render(rule(s -> {}), WEB, Set.of("web")).orElseThrow().dnsNames()).isEmpty();
  }

  @Test
  void withoutAClusterDomainServicesGetThreeNames() {
    assertThat(PodEntryRenderer.serviceDnsNames("shop", Set.of("web"), ""))
        .containsExactly("web", "web.shop", "web.shop.svc");
  }

  @Test
  void aLabelTemplateGivesTheLabelsValue() {
    Entry e =
        render(
                rule(
                    s ->
                        s.setSpiffeIDTemplate(
                            "spiffe://{{ .TrustDomain }}/{{ index .PodMeta.Labels \"app\" }}")),
                WEB,
                Set.of())
            .orElseThrow();

    assertThat(e.spiffeId()).hasToString("spiffe://example.org/web");
  }

  @Test
  void aSpiffeIdOutsideTheTrustDomainFails() {
    assertThat(
            render(rule(s -> s.setSpiffeIDTemplate("spiffe://other.org/x")), WEB, Set.of())
                .failure())
        .isEqualTo(
            "SPIFFE ID: \"spiffe://other.org/x\" is not in the trust domain \"example.org\"");
  }

  @Test
  void anInvalidRenderedSpiffeIdFails() {
    assertThat(
            render(
                    rule(
                        s ->
                            s.setSpiffeIDTemplate(
                                "spiffe://example.org/{{ .PodMeta.Labels.missing }}")),
                    WEB,
                    Set.of())
                .failure())
        .startsWith("SPIFFE ID: invalid SPIFFE ID \"spiffe://example.org/<no value>\"");
  }

  @Test
  void aRenderedSelectorWithoutColonFails() {
    assertThat(
            render(
                    rule(s -> s.setWorkloadSelectorTemplates(List.of("{{ .PodMeta.Name }}"))),
                    WEB,
                    Set.of())
                .failure())
        .isEqualTo("workload selector: \"web-0\" has no ':' between type and value");
  }

  @Test
  void anUnknownNodeFails() {
    assertThat(
            PodEntryRenderer.render(
                    rule(s -> {}), SETTINGS, WEB, null, Set.of(), ParentRule.scmDefault())
                .failure())
        .isEqualTo("the pod's node \"node-1\" is not known");
  }

  @Test
  void anUnscheduledPodFails() {
    ScmPod pending = pod("shop", "web-1", Map.of(), "");

    assertThat(
            PodEntryRenderer.render(
                    rule(s -> {}), SETTINGS, pending, null, Set.of(), ParentRule.scmDefault())
                .failure())
        .isEqualTo("the pod is not scheduled to a node yet");
  }

  @Test
  void aParentTemplateSeesTheNodeButNoPod() {
    ParentRule byName =
        ParentRule.template(
            GoTemplate.parse(
                    "parentIDTemplate", "spiffe://{{ .TrustDomain }}/node/{{ .NodeMeta.Name }}")
                .orElseThrow());
    ParentRule byPod =
        ParentRule.template(
            GoTemplate.parse("parentIDTemplate", "spiffe://{{ .TrustDomain }}/{{ .PodMeta.Name }}")
                .orElseThrow());

    assertThat(
            PodEntryRenderer.render(rule(s -> {}), SETTINGS, WEB, node("node-1"), Set.of(), byName)
                .map(Entry::parentId))
        .isEqualTo(Outcome.ok(SpiffeId.parse("spiffe://example.org/node/node-1")));
    assertThat(
            PodEntryRenderer.render(rule(s -> {}), SETTINGS, WEB, node("node-1"), Set.of(), byPod)
                .failure())
        .startsWith("parent ID: template \"parentIDTemplate\": executing");
  }

  @Test
  void theOperatorsOwnParentingPlugsIn() {
    ParentRule perNode =
        (n, data) -> Outcome.ok(SpiffeId.parse("spiffe://example.org/k8s/demo/node/" + n.name()));

    assertThat(
            PodEntryRenderer.render(rule(s -> {}), SETTINGS, WEB, node("node-1"), Set.of(), perNode)
                .orElseThrow()
                .parentId())
        .hasToString("spiffe://example.org/k8s/demo/node/node-1");
  }
}
