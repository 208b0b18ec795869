package org.spireoperator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spireoperator.crd.Specs.selector;
import static org.spireoperator.crd.Specs.spec;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

class SpiffeIDEntriesTest {

  private static Entry valid(SpiffeIDSpec spec) {
    EntryMapping mapping = SpiffeIDEntries.toEntry(spec);
    assertThat(mapping.problems()).isEmpty();
    return mapping.entryIfValid().orElseThrow();
  }

  private static List<String> problems(SpiffeIDSpec spec) {
    EntryMapping mapping = SpiffeIDEntries.toEntry(spec);
    assertThat(mapping.isValid()).as("valid: %s", spec).isFalse();
    return mapping.problems().stream().map(SpecProblem::toString).toList();
  }

  @Test
  void aMinimalSpecBecomesAnEntryWithDefaults() {
    Entry entry = valid(spec());

    assertThat(entry.id()).isNull();
    assertThat(entry.spiffeId()).isEqualTo(SpiffeId.parse(Specs.WORKLOAD_ID));
    assertThat(entry.parentId()).isEqualTo(SpiffeId.parse(Specs.NODE_ID));
    assertThat(entry.selectors()).containsExactly(Selector.k8s("sa", "web"));
    assertThat(entry.dnsNames()).isEmpty();
    assertThat(entry.federatesWith()).isEmpty();
    assertThat(entry.x509SvidTtl()).isZero();
    assertThat(entry.jwtSvidTtl()).isZero();
    assertThat(entry.hint()).isEmpty();
    assertThat(entry.admin()).isFalse();
    assertThat(entry.downstream()).isFalse();
    assertThat(entry.storeSvid()).isFalse();
  }

  @Test
  void everyOptionalFieldIsCarriedIntoTheEntry() {
    Entry entry =
        valid(
            spec(
                s -> {
                  s.setDnsNames(List.of("web.shop.svc", "*.web.example.com"));
                  s.setFederatesWith(List.of("partner.example"));
                  s.setDownstream(true);
                  s.setTtl(3600);
                  s.setJwtTtl(300);
                  s.setHint("blue");
                  s.setAdmin(true);
                  s.setStoreSvid(true);
                }));

    assertThat(entry.dnsNames()).containsExactly("web.shop.svc", "*.web.example.com");
    assertThat(entry.federatesWith()).containsExactly("partner.example");
    assertThat(entry.downstream()).isTrue();
    assertThat(entry.x509SvidTtl()).isEqualTo(3600);
    assertThat(entry.jwtSvidTtl()).isEqualTo(300);
    assertThat(entry.hint()).isEqualTo("blue");
    assertThat(entry.admin()).isTrue();
    assertThat(entry.storeSvid()).isTrue();
  }

  @Test
  void dnsNamesKeepTheirOrderBecauseTheFirstIsTheCommonName() {
    assertThat(valid(spec(s -> s.setDnsNames(List.of("b.example", "a.example")))).dnsNames())
        .containsExactly("b.example", "a.example");
  }

  @Test
  void federatedTrustDomainsMayBeWrittenAsSpiffeUrisAndAreNormalizedToNames() {
    assertThat(
            valid(
                    spec(
                        s ->
                            s.setFederatesWith(
                                List.of("spiffe://partner.example", "other.example"))))
                .federatesWith())
        .containsExactly("other.example", "partner.example");
  }

  @Test
  void aMissingSpecIsReported() {
    assertThat(problems(null)).containsExactly("spec: is required");
  }

  @Test
  void aMissingSpiffeIdIsReported() {
    assertThat(problems(spec(s -> s.setSpiffeId(null))))
        .containsExactly("spec.spiffeId: is required");
  }

  @Test
  void aMissingParentIdIsReported() {
    assertThat(problems(spec(s -> s.setParentId(""))))
        .containsExactly("spec.parentId: is required");
  }

  @Test
  void aParentIdWithAnInvalidTrustDomainIsReportedWithTheReason() {
    assertThat(problems(spec(s -> s.setParentId("spiffe://Bad/node"))))
        .singleElement()
        .asString()
        .startsWith("spec.parentId: invalid SPIFFE ID \"spiffe://Bad/node\": trust domain \"Bad\"");
  }

  @Test
  void aSpiffeIdWithoutSchemeIsReported() {
    assertThat(problems(spec(s -> s.setSpiffeId("example.org/web"))))
        .containsExactly(
            "spec.spiffeId: invalid SPIFFE ID \"example.org/web\": must start with \"spiffe://\"");
  }

  @Test
  void aSpiffeIdWithABadPathSegmentIsReported() {
    assertThat(problems(spec(s -> s.setSpiffeId("spiffe://example.org/a/../b"))))
        .singleElement()
        .asString()
        .startsWith("spec.spiffeId: invalid SPIFFE ID")
        .contains("\"..\"");
  }

  @Test
  void aSpiffeIdWithoutPathIsReported() {
    assertThat(problems(spec(s -> s.setSpiffeId("spiffe://example.org"))))
        .singleElement()
        .asString()
        .startsWith("spec.spiffeId: SPIFFE ID \"spiffe://example.org\" has no path");
  }

  @Test
  void aSpiffeIdUnderTheReservedSpirePathIsReported() {
    assertThat(problems(spec(s -> s.setSpiffeId("spiffe://example.org/spire/agent/x"))))
        .singleElement()
        .asString()
        .startsWith("spec.spiffeId:")
        .contains("reserves");
  }

  @Test
  void aParentUnderTheSpirePathIsFine() {
    assertThat(valid(spec(s -> s.setParentId("spiffe://example.org/spire/server"))).parentId())
        .isEqualTo(SpiffeId.server("example.org"));
  }

  @Test
  void aSpiffeIdLongerThanTheSpiffeLimitIsReportedWithoutEchoingItAll() {
    String id = "spiffe://example.org/" + "a".repeat(5000);
    assertThat(problems(spec(s -> s.setSpiffeId(id))))
        .singleElement()
        .asString()
        .startsWith("spec.spiffeId: is longer than 2048 characters")
        .hasSizeLessThan(300);
  }

  @Test
  void parentAndSpiffeIdInDifferentTrustDomainsAreReported() {
    assertThat(problems(spec(s -> s.setParentId("spiffe://other.org/node"))))
        .containsExactly(
            "spec.parentId: trust domain \"other.org\" differs from the trust domain of "
                + "spec.spiffeId, \"example.org\"");
  }

  @Test
  void aMissingSelectorIsReported() {
    assertThat(problems(spec(s -> s.setSelector(null))))
        .containsExactly("spec.selector: is required");
  }

  @Test
  void aSelectorWithNothingSetIsReported() {
    assertThat(problems(spec(s -> s.setSelector(new SpiffeIDSelector()))))
        .singleElement()
        .asString()
        .startsWith("spec.selector: at least one selector is required");
  }

  @Test
  void anArbitraryItemWithoutNameAndValueIsReportedWithItsIndex() {
    assertThat(
            problems(
                spec(
                    s ->
                        s.setSelector(
                            selector(
                                sel -> sel.setArbitrary(List.of("sa:web", "ns:shop", "foo")))))))
        .singleElement()
        .asString()
        .startsWith("spec.selector.arbitrary[2]: \"foo\" is not \"name:value\"");
  }

  @Test
  void anArbitraryItemWithAnEmptyValueIsReported() {
    assertThat(
            problems(spec(s -> s.setSelector(selector(sel -> sel.setArbitrary(List.of("sa:")))))))
        .singleElement()
        .asString()
        .startsWith("spec.selector.arbitrary[0]: \"sa:\" is not \"name:value\"");
  }

  @Test
  void aNullArbitraryItemIsReported() {
    assertThat(
            problems(
                spec(
                    s ->
                        s.setSelector(
                            selector(sel -> sel.setArbitrary(Arrays.asList("sa:web", null)))))))
        .containsExactly("spec.selector.arbitrary[1]: must not be null");
  }

  @Test
  void aPodLabelWithoutNameIsReported() {
    assertThat(
            problems(spec(s -> s.setSelector(selector(sel -> sel.setPodLabel(Map.of("", "x")))))))
        .containsExactly("spec.selector.podLabel: a label name must not be empty");
  }

  @Test
  void aPodLabelWithANullValueIsReported() {
    Map<String, String> labels = new HashMap<>();
    labels.put("app", null);
    assertThat(problems(spec(s -> s.setSelector(selector(sel -> sel.setPodLabel(labels))))))
        .singleElement()
        .asString()
        .startsWith("spec.selector.podLabel: label \"app\" has no value");
  }

  @Test
  void anInvalidDnsNameIsReportedWithItsIndexAndReason() {
    assertThat(problems(spec(s -> s.setDnsNames(List.of("ok.example", "under_score.example")))))
        .containsExactly(
            "spec.dnsNames[1]: \"under_score.example\" is not a valid DNS name: label \"under_score\" "
                + "may contain only letters, digits and '-'");
  }

  @Test
  void aWildcardOutsideTheLeftmostLabelIsReported() {
    assertThat(problems(spec(s -> s.setDnsNames(List.of("web.*.example")))))
        .singleElement()
        .asString()
        .startsWith("spec.dnsNames[0]: \"web.*.example\" is not a valid DNS name: '*'");
  }

  @Test
  void aNullDnsNameIsReported() {
    assertThat(problems(spec(s -> s.setDnsNames(Arrays.asList((String) null)))))
        .containsExactly("spec.dnsNames[0]: must not be null");
  }

  @Test
  void anInvalidFederatedTrustDomainIsReported() {
    assertThat(problems(spec(s -> s.setFederatesWith(List.of("Partner.Example")))))
        .singleElement()
        .asString()
        .startsWith("spec.federatesWith[0]: \"Partner.Example\" is not a trust domain");
  }

  @Test
  void aNegativeTtlIsReported() {
    assertThat(problems(spec(s -> s.setTtl(-5))))
        .containsExactly(
            "spec.ttl: must not be negative (got -5); use 0 or leave it out for the server default");
  }

  @Test
  void aNegativeJwtTtlIsReported() {
    assertThat(problems(spec(s -> s.setJwtTtl(-1))))
        .singleElement()
        .asString()
        .startsWith("spec.jwtTtl: must not be negative");
  }

  @Test
  void aHintLongerThanTheServerAcceptsIsReported() {
    assertThat(problems(spec(s -> s.setHint("h".repeat(1025)))))
        .singleElement()
        .asString()
        .startsWith("spec.hint: is 1025 bytes long");
  }

  @Test
  void everyProblemIsReportedAtOnceInFieldOrder() {
    assertThat(
            problems(
                spec(
                    s -> {
                      s.setSpiffeId("nope");
                      s.setParentId(null);
                      s.setSelector(null);
                      s.setTtl(-1);
                    })))
        .extracting(p -> p.substring(0, p.indexOf(':')))
        .containsExactly("spec.spiffeId", "spec.parentId", "spec.selector", "spec.ttl");
  }
}
