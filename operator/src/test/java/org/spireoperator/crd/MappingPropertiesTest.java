package org.spireoperator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.tenancy.SpiffeIdPath;
import org.spireoperator.tenancy.TenantConfinement;

/**
 * Properties of the spec → entry mapping and the tenant rules over arbitrary, mostly broken, input.
 */
class MappingPropertiesTest {

  private static final String SPEC_FIELD = "(spec|metadata)(\\..+)?";

  private static final TenantConfinement.Parents NODES =
      new TenantConfinement.Parents(Set.of(SpiffeId.parse(Specs.NODE_ID)), id -> false);

  private static SpiffeIdRules rules(boolean confine, Set<String> privileged) {
    return new SpiffeIdRules(
        new TenantConfinement(
            "example.org",
            confine,
            privileged,
            SpiffeIdPath.DEFAULT,
            Set.of(),
            Set.of(SpiffeId.server("example.org")),
            Set.of(),
            "cluster.local"),
        SpiffeId.parse("spiffe://example.org/spire-k8s-registrar"));
  }

  @Property(tries = 2000)
  void mappingNeverThrowsAndEveryProblemNamesASpecFieldWithAMessage(
      @ForAll("specs") SpiffeIDSpec spec) {
    EntryMapping mapping = SpiffeIDEntries.toEntry(spec);

    if (mapping instanceof EntryMapping.Invalid invalid) {
      assertThat(invalid.problems())
          .isNotEmpty()
          .allSatisfy(
              problem -> {
                assertThat(problem.field()).matches(SPEC_FIELD);
                assertThat(problem.message()).isNotBlank();
              });
    } else {
      assertThat(mapping.entryIfValid())
          .hasValueSatisfying(
              entry -> {
                assertThat(entry.selectors()).isNotEmpty();
                assertThat(entry.spiffeId().path()).isNotEmpty();
                assertThat(entry.x509SvidTtl()).isNotNegative();
                assertThat(entry.jwtSvidTtl()).isNotNegative();
              });
    }
  }

  @Property(tries = 2000)
  void tenantRulesNeverThrowAndExplainEveryRefusal(
      @ForAll("specs") SpiffeIDSpec spec,
      @ForAll("namespaces") String namespace,
      @ForAll boolean confine) {
    SpiffeIdRules rules = rules(confine, Set.of("spire"));

    Admission admission = rules.admit(namespace, spec, NODES);

    if (admission instanceof Admission.Allowed allowed) {
      assertThat(allowed.entry().spiffeId().trustDomain()).isEqualTo("example.org");
    } else if (admission instanceof Admission.Invalid invalid) {
      assertThat(invalid.problems())
          .allSatisfy(problem -> assertThat(problem.field()).matches(SPEC_FIELD));
    } else {
      assertThat(admission.message()).isNotBlank().containsAnyOf("spec.", "metadata.");
    }
  }

  @Property(tries = 500)
  void aConfinedAllowedWorkloadEntryAlwaysSelectsItsOwnNamespace(
      @ForAll("specs") SpiffeIDSpec spec, @ForAll("namespaces") String namespace) {
    SpiffeIdRules rules = rules(true, Set.of());

    if (rules.admit(namespace, spec, NODES) instanceof Admission.Allowed allowed) {
      assertThat(
              allowed.entry().selectors().stream()
                  .filter(s -> s.type().equals("k8s") && s.value().startsWith("ns:"))
                  .map(s -> s.value().substring(3)))
          .containsOnly(namespace);
    }
  }

  @Provide
  Arbitrary<String> namespaces() {
    return Arbitraries.oneOf(Arbitraries.of("shop", "spire", "default", ""), anyText())
        .injectNull(0.05);
  }

  @Provide
  Arbitrary<SpiffeIDSpec> specs() {
    return Builders.withBuilder(SpiffeIDSpec::new)
        .use(spiffeIds())
        .inSetter(SpiffeIDSpec::setSpiffeId)
        .use(spiffeIds())
        .inSetter(SpiffeIDSpec::setParentId)
        .use(selectors().injectNull(0.05))
        .inSetter(SpiffeIDSpec::setSelector)
        .use(texts(dnsLike()))
        .inSetter(SpiffeIDSpec::setDnsNames)
        .use(texts(trustDomainLike()))
        .inSetter(SpiffeIDSpec::setFederatesWith)
        .use(booleans())
        .inSetter(SpiffeIDSpec::setDownstream)
        .use(integers())
        .inSetter(SpiffeIDSpec::setTtl)
        .use(integers())
        .inSetter(SpiffeIDSpec::setJwtTtl)
        .use(Arbitraries.oneOf(anyText(), Arbitraries.strings().ofLength(1025)).injectNull(0.5))
        .inSetter(SpiffeIDSpec::setHint)
        .use(booleans())
        .inSetter(SpiffeIDSpec::setAdmin)
        .use(booleans())
        .inSetter(SpiffeIDSpec::setStoreSvid)
        .build();
  }

  private Arbitrary<SpiffeIDSelector> selectors() {
    return Builders.withBuilder(SpiffeIDSelector::new)
        .use(selectorValue())
        .inSetter(SpiffeIDSelector::setCluster)
        .use(selectorValue())
        .inSetter(SpiffeIDSelector::setAgentNodeUid)
        .use(labels())
        .inSetter(SpiffeIDSelector::setPodLabel)
        .use(selectorValue())
        .inSetter(SpiffeIDSelector::setPodName)
        .use(selectorValue())
        .inSetter(SpiffeIDSelector::setPodUid)
        .use(Arbitraries.oneOf(Arbitraries.of("shop", "bank"), selectorValue()))
        .inSetter(SpiffeIDSelector::setNamespace)
        .use(selectorValue())
        .inSetter(SpiffeIDSelector::setServiceAccount)
        .use(selectorValue())
        .inSetter(SpiffeIDSelector::setContainerImage)
        .use(selectorValue())
        .inSetter(SpiffeIDSelector::setContainerName)
        .use(selectorValue())
        .inSetter(SpiffeIDSelector::setNodeName)
        .use(
            texts(
                Arbitraries.oneOf(
                    Arbitraries.of("ns:shop", "ns:bank", "sa:web", "foo", ":x", "x:"), anyText())))
        .inSetter(SpiffeIDSelector::setArbitrary)
        .build();
  }

  private static Arbitrary<String> spiffeIds() {
    Arbitrary<String> trustDomain =
        Arbitraries.oneOf(
            Arbitraries.of("example.org", "other.org", "Bad", ""),
            Arbitraries.strings().withChars("abcXYZ.-_:/%").ofMaxLength(12));
    Arbitrary<String> path =
        Arbitraries.oneOf(
            Arbitraries.of(
                "",
                "/",
                "/web",
                "/ns/shop/sa/web",
                "/spire/server",
                "/spire",
                "/a/../b",
                "/a//b",
                "/a/",
                "/k8s-workload-registrar/demo/node/worker-1"),
            Arbitraries.strings().withChars("abAB09._-/ é%").ofMaxLength(30).map(p -> "/" + p));
    Arbitrary<String> wellFormed = trustDomain.flatMap(td -> path.map(p -> "spiffe://" + td + p));
    return Arbitraries.frequencyOf(
        Tuple.of(6, wellFormed),
        Tuple.of(
            1,
            Arbitraries.of(Specs.WORKLOAD_ID, Specs.NODE_ID, "spiffe://example.org/spire/server")),
        Tuple.of(2, anyText()),
        Tuple.of(
            1,
            Arbitraries.strings()
                .withChars("ab/")
                .ofMinLength(2040)
                .ofMaxLength(2100)
                .map(p -> "spiffe://example.org/" + p)),
        Tuple.of(1, Arbitraries.just(null)));
  }

  private static Arbitrary<String> selectorValue() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(null)),
        Tuple.of(1, Arbitraries.just("")),
        Tuple.of(
            3,
            Arbitraries.strings()
                .alpha()
                .numeric()
                .withChars("-.:")
                .ofMinLength(1)
                .ofMaxLength(12)),
        Tuple.of(2, anyText()));
  }

  private static Arbitrary<Map<String, String>> labels() {
    return Arbitraries.maps(anyText(), anyText().injectNull(0.1)).ofMaxSize(4).injectNull(0.6);
  }

  private static Arbitrary<String> dnsLike() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "web.shop.svc", "*.example.org", "web.*.org", "a..b", "-a", "x--y", "bücher.de", ""),
        Arbitraries.strings().withChars("abz09-.*_").ofMaxLength(70),
        anyText());
  }

  private static Arbitrary<String> trustDomainLike() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "partner.example", "spiffe://partner.example", "spiffe://", "Upper.Case", ""),
        anyText());
  }

  /** Lists of mostly small size, sometimes huge, sometimes holding nulls, sometimes null. */
  private static Arbitrary<List<String>> texts(Arbitrary<String> element) {
    Arbitrary<String> withNulls = element.injectNull(0.05);
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.just((List<String>) null)),
        Tuple.of(6, withNulls.list().ofMaxSize(5)),
        Tuple.of(1, withNulls.list().ofMinSize(1000).ofMaxSize(3000)));
  }

  private static Arbitrary<Boolean> booleans() {
    return Arbitraries.of(true, false).injectNull(0.4);
  }

  private static Arbitrary<Integer> integers() {
    return Arbitraries.oneOf(
            Arbitraries.integers(),
            Arbitraries.of(0, -1, 3600, Integer.MAX_VALUE, Integer.MIN_VALUE))
        .injectNull(0.5);
  }

  /**
   * Any text at all: every unicode code unit (lone surrogates included), control characters, empty.
   */
  private static Arbitrary<String> anyText() {
    return Arbitraries.strings().all().ofMaxLength(40);
  }
}
