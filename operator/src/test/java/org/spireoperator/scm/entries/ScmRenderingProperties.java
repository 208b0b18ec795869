package org.spireoperator.scm.entries;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;

/**
 * Over random ClusterSPIFFEIDs (random templates, selectors, options; many of them invalid) and
 * pods: rendering never throws, bad templates and selectors fail one object or pod, and the
 * counters add up.
 */
class ScmRenderingProperties {

  private static final List<String> TEMPLATE_PIECES =
      List.of(
          "spiffe://example.org/",
          "spiffe://other.org/",
          "ns/",
          "{{ .PodMeta.Namespace }}",
          "{{ .PodMeta.Name }}",
          "{{ .PodSpec.ServiceAccountName }}",
          "{{ .PodMeta.Labels.app }}",
          "{{ index .PodMeta.Labels \"app\" }}",
          "{{ .NodeMeta.Name }}",
          "{{ .Bad }}",
          "{{",
          "}}",
          "/",
          "-",
          "{{ printf \"%s-%d\" .PodMeta.Name 3 }}",
          "{{ len .PodMeta.Labels }}",
          "{{ if }}");

  @Provide
  Arbitrary<String> templates() {
    return Arbitraries.of(TEMPLATE_PIECES)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<LabelSelector> selectors() {
    Arbitrary<LabelSelectorRequirement> requirement =
        Combinators.combine(
                Arbitraries.of("app", "team", "bad key", ""),
                Arbitraries.of("In", "NotIn", "Exists", "DoesNotExist", "in"),
                Arbitraries.of("web", "api", "shop", "-x").list().ofMaxSize(2))
            .as(LabelSelectorRequirement::new);
    return Combinators.combine(
            requirement.list().ofMaxSize(2),
            Arbitraries.maps(Arbitraries.of("app", "team"), Arbitraries.of("web", "shop", "bank"))
                .ofMaxSize(1))
        .as(LabelSelector::new)
        .injectNull(0.4);
  }

  @Provide
  Arbitrary<ClusterSPIFFEID> clusterSpiffeIds() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 1000),
            templates(),
            templates().list().ofMaxSize(2),
            Arbitraries.of(
                    "k8s:sa:{{ .PodSpec.ServiceAccountName }}", "{{ .PodMeta.Name }}", "unix:uid:1")
                .list()
                .ofMaxSize(2),
            selectors(),
            selectors(),
            Arbitraries.of(true, false),
            Arbitraries.of(null, "1h", "bad"))
        .as(
            (second, spiffeId, dns, workload, nsSel, podSel, fallback, ttl) ->
                ScmFixtures.clusterSpiffeId(
                    "c" + second + "-" + Math.abs(spiffeId.hashCode() % 1000),
                    second,
                    s -> {
                      s.setSpiffeIDTemplate(spiffeId);
                      s.setDnsNameTemplates(dns);
                      s.setWorkloadSelectorTemplates(workload);
                      s.setNamespaceSelector(nsSel);
                      s.setPodSelector(podSel);
                      s.setFallback(fallback);
                      s.setTtl(ttl);
                    }));
  }

  @Provide
  Arbitrary<List<ClusterSPIFFEID>> clusterSpiffeIdLists() {
    return clusterSpiffeIds().list().ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<ScmPod>> pods() {
    return Combinators.combine(
            Arbitraries.of("shop", "bank", "absent"),
            Arbitraries.strings().withCharRange('a', 'f').ofMinLength(1).ofMaxLength(4),
            Arbitraries.of("web", "api", ""),
            Arbitraries.of("node-1", "node-2", "", "gone"))
        .as(
            (ns, name, app, node) ->
                ScmFixtures.pod(ns, name, app.isEmpty() ? Map.of() : Map.of("app", app), node))
        .list()
        .ofMaxSize(6)
        .uniqueElements(p -> p.namespace() + "/" + p.name());
  }

  @Property(tries = 300)
  @Label("rendering never throws and its counters add up")
  void renderingIsTotalAndConsistent(
      @ForAll("clusterSpiffeIdLists") List<ClusterSPIFFEID> ids,
      @ForAll("pods") List<ScmPod> pods) {
    List<ClusterSPIFFEID> unique = new ArrayList<>();
    Set<String> names = new HashSet<>();
    ids.stream().filter(c -> names.add(c.getMetadata().getName())).forEach(unique::add);

    ScmRendering r =
        ScmRendering.compute(
            ScmFixtures.inputs(
                unique,
                List.of(),
                List.of(
                    ScmFixtures.namespace("shop", Map.of("team", "shop")),
                    ScmFixtures.namespace("bank", Map.of("team", "bank"))),
                pods));

    int declared = 0;
    for (ClusterSpiffeIdReport report : r.clusterSpiffeIds().values()) {
      if (!report.specIsValid()) {
        assertThat(StatusCounters.stats(report, 0))
            .isEqualTo(new org.spireoperator.scm.crd.ClusterSPIFFEIDStats());
        continue;
      }
      assertThat(report.entriesToSet() + report.entriesMasked() + report.renderFailures().size())
          .isLessThanOrEqualTo(report.podsSelected());
      declared += report.entriesToSet();
    }
    assertThat(r.entriesToSet()).hasSize(declared);
    assertThat(r.entriesToSet().stream().map(d -> d.entry().similarityKey()).distinct().count())
        .isEqualTo(r.entriesToSet().size());
    for (DeclaredEntry d : r.entriesToSet()) {
      assertThat(d.entry().selectors())
          .contains(Selector.k8s("pod-uid", "uid-" + d.pod().replace('/', '-')));
      assertThat(d.entry().spiffeId().trustDomain()).isEqualTo("example.org");
    }
  }

  @Property(tries = 200)
  @Label("a ClusterSPIFFEID that only uses the pod's name gives each selected pod its own entry")
  void eachPodItsOwnEntry(@ForAll("pods") List<ScmPod> pods) {
    ScmRendering r =
        ScmRendering.compute(
            ScmFixtures.inputs(
                List.of(
                    ScmFixtures.clusterSpiffeId(
                        "named",
                        0,
                        s ->
                            s.setSpiffeIDTemplate(
                                "spiffe://example.org/{{ .PodMeta.Namespace }}/{{ .PodMeta.Name }}"))),
                List.of(),
                List.of(
                    ScmFixtures.namespace("shop", Map.of()),
                    ScmFixtures.namespace("bank", Map.of())),
                pods));

    long placed =
        pods.stream()
            .filter(p -> !p.namespace().equals("absent"))
            .filter(p -> p.nodeName().equals("node-1") || p.nodeName().equals("node-2"))
            .count();
    assertThat(r.entriesToSet().stream().map(DeclaredEntry::entry).map(Entry::spiffeId).distinct())
        .hasSize((int) placed);
  }

  @Provide
  Arbitrary<org.spireoperator.scm.crd.ClusterStaticEntrySpec> staticSpecs() {
    Arbitrary<String> ids =
        Arbitraries.of(
            "spiffe://example.org/a",
            "spiffe://Example.org/a",
            "example.org/a",
            "spiffe://a/b/",
            null,
            "");
    Arbitrary<List<String>> selectors =
        Arbitraries.of("unix:uid:1", "k8s", ":x", "k8s:", "a:b:c", "")
            .list()
            .ofMaxSize(3)
            .injectNull(0.1);
    Arbitrary<String> ttls = Arbitraries.of("1h", "bad", "", "-1s", "9999999h").injectNull(0.5);
    Arbitrary<List<String>> trustDomains =
        Arbitraries.of("a.org", "A.org", "spiffe://b.org", "").list().ofMaxSize(2).injectNull(0.3);
    return Combinators.combine(ids, ids, selectors, ttls, ttls, trustDomains)
        .as(
            (spiffeId, parentId, sel, ttl, jwtTtl, tds) -> {
              var spec = new org.spireoperator.scm.crd.ClusterStaticEntrySpec();
              spec.setSpiffeID(spiffeId);
              spec.setParentID(parentId);
              spec.setSelectors(sel);
              spec.setX509SVIDTTL(ttl);
              spec.setJwtSVIDTTL(jwtTtl);
              spec.setFederatesWith(tds);
              return spec;
            });
  }

  @Property(tries = 500)
  @Label("any ClusterStaticEntry spec renders to an entry or a failure, never an exception")
  void staticEntriesAreTotal(
      @ForAll("staticSpecs") org.spireoperator.scm.crd.ClusterStaticEntrySpec spec) {
    assertThat(StaticEntryRenderer.render(spec)).isNotNull();
  }
}
