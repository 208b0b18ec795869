package org.spireoperator.spire.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spireoperator.spire.testserver.ProtoFixtures.code;
import static org.spireoperator.spire.testserver.ProtoFixtures.create;
import static org.spireoperator.spire.testserver.ProtoFixtures.created;
import static org.spireoperator.spire.testserver.ProtoFixtures.entry;
import static org.spireoperator.spire.testserver.ProtoFixtures.id;

import io.grpc.Status;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spire.api.server.entry.v1.BatchCreateEntryRequest;
import spire.api.server.entry.v1.EntryGrpc;
import spire.api.types.Entry;
import spire.api.types.EntryMask;
import spire.api.types.Selector;

class EntryCreationTest {

  private final SpireTestServer spire = SpireTestServer.start("example.org");
  private final EntryGrpc.EntryBlockingStub entries = EntryGrpc.newBlockingStub(spire.channel());

  @AfterEach
  void close() {
    spire.close();
  }

  @Test
  void aCreatedEntryGetsARandomUuidRevisionZeroAndItsCreationTimeInSeconds() {
    long before = Instant.now().getEpochSecond();

    Entry e = created(entries, entry("/web", "/node", "k8s:ns:default"));

    assertThat(UUID.fromString(e.getId())).isNotNull();
    assertThat(e.getRevisionNumber()).isZero();
    assertThat(e.getCreatedAt()).isBetween(before, Instant.now().getEpochSecond() + 1);
  }

  @Test
  void aBatchAnswersOneResultPerItemInRequestOrder() {
    var results =
        create(
            entries,
            entry("/a", "/node", "k8s:ns:a"),
            entry("/spire/b", "/node", "k8s:ns:b"),
            entry("/c", "/node", "k8s:ns:c"));

    assertThat(results)
        .extracting(r -> code(r.getStatus()))
        .containsExactly(Status.Code.OK, Status.Code.INVALID_ARGUMENT, Status.Code.OK);
    assertThat(results.get(0).getEntry().getSpiffeId().getPath()).isEqualTo("/a");
    assertThat(results.get(1).hasEntry()).isFalse();
    assertThat(results.get(2).getEntry().getSpiffeId().getPath()).isEqualTo("/c");
  }

  @Test
  void aSimilarEntryIsRefusedWithAlreadyExistsCarryingTheExistingEntry() {
    Entry first = created(entries, entry("/web", "/node", "k8s:ns:default", "k8s:sa:web"));

    var result =
        create(
                entries,
                entry(
                    "/web",
                    "/node",
                    List.of("k8s:sa:web", "k8s:ns:default"),
                    b -> b.addDnsNames("other.example.org").setHint("different")))
            .get(0);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(result.getStatus().getMessage()).isEqualTo("similar entry already exists");
    assertThat(result.getEntry()).isEqualTo(first);
    assertThat(spire.entries()).hasSize(1);
  }

  @Test
  void entriesDifferingInParentOrInOneSelectorAreNotSimilar() {
    created(entries, entry("/web", "/node", "k8s:ns:default", "k8s:sa:web"));

    var results =
        create(
            entries,
            entry("/web", "/other-node", "k8s:ns:default", "k8s:sa:web"),
            entry("/web", "/node", "k8s:ns:default"),
            entry("/web", "/node", "k8s:ns:default", "k8s:sa:web", "k8s:pod-name:x"));

    assertThat(results).extracting(r -> code(r.getStatus())).containsOnly(Status.Code.OK);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/spire", "/spire/x", ""})
  void aSpiffeIdInTheReservedNamespaceOrWithoutPathIsInvalid(String path) {
    var result = create(entries, entry(path, "/node", "k8s:ns:default")).get(0);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(result.getStatus().getMessage())
        .startsWith("failed to convert entry: invalid spiffe ID: ");
  }

  @Test
  void theParentMayBeInTheReservedNamespace() {
    var result =
        create(entries, entry("/web", "/spire/agent/k8s_psat/demo/node-1", "k8s:ns:default"))
            .get(0);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.OK);
  }

  @Test
  void idsOutsideTheServersTrustDomainAreInvalid() {
    var results =
        create(
            entries,
            entry("/web", "/node", "k8s:ns:a").toBuilder()
                .setSpiffeId(id("other.org", "/web"))
                .build(),
            entry("/web", "/node", "k8s:ns:b").toBuilder()
                .setParentId(id("other.org", "/node"))
                .build());

    assertThat(results)
        .extracting(r -> code(r.getStatus()))
        .containsOnly(Status.Code.INVALID_ARGUMENT);
    assertThat(results.get(1).getStatus().getMessage())
        .contains("invalid parent ID")
        .contains("is not a member of trust domain \"example.org\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a//b", "/a/", "/a/./b", "/a/../b", "/a b", "no-slash", "/ä"})
  void malformedPathsAreInvalid(String path) {
    var result = create(entries, entry(path, "/node", "k8s:ns:default")).get(0);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void aTrustDomainWithUppercaseLettersIsInvalid() {
    var result =
        create(
                entries,
                entry("/web", "/node", "k8s:ns:a").toBuilder()
                    .setSpiffeId(id("Example.org", "/web"))
                    .build())
            .get(0);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void selectorsMustBeNonEmptyWithATypeWithoutColonAndAValue() {
    var results =
        create(
            entries,
            entry("/a", "/node"),
            entry(
                "/b", "/node", List.of(), b -> b.addSelectors(Selector.newBuilder().setValue("x"))),
            entry(
                "/c",
                "/node",
                List.of(),
                b -> b.addSelectors(Selector.newBuilder().setType("k8s:ns").setValue("x"))),
            entry(
                "/d",
                "/node",
                List.of(),
                b -> b.addSelectors(Selector.newBuilder().setType("k8s"))));

    assertThat(results)
        .extracting(r -> r.getStatus().getMessage())
        .containsExactly(
            "failed to convert entry: selector list is empty",
            "failed to convert entry: missing selector type",
            "failed to convert entry: selector type contains ':'",
            "failed to convert entry: missing selector value");
    assertThat(results)
        .extracting(r -> code(r.getStatus()))
        .containsOnly(Status.Code.INVALID_ARGUMENT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-web.example.org",
        "web-.example.org",
        "web.example.org.",
        "a.*.example.org",
        "*",
        "*.*.example.org",
        "",
        "  ",
        "web..example.org",
        ".web",
        "wéb.example.org",
        "ab--c.example.org",
        "xn--a.org",
        "a123456789012345678901234567890123456789012345678901234567890123.org"
      })
  void invalidDnsNamesAreRefused(String name) {
    var result =
        create(entries, entry("/web", "/node", List.of("k8s:ns:a"), b -> b.addDnsNames(name)))
            .get(0);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(result.getStatus().getMessage())
        .startsWith("failed to convert entry: invalid DNS name: ");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "web.example.org",
        "*.example.org",
        "web",
        "web-1.ns.svc.cluster.local",
        "10.0.0.1",
        "Web.Example.org",
        "under_score.example.org",
        "xn--bcher-kva.example"
      })
  void validDnsNamesAndAWildcardFirstLabelAreAccepted(String name) {
    var result =
        create(entries, entry("/web", "/node", List.of("k8s:ns:a"), b -> b.addDnsNames(name)))
            .get(0);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.OK);
    assertThat(result.getEntry().getDnsNamesList()).containsExactly(name);
  }

  @Test
  void aNegativeTtlIsInvalidArgumentSinceSpire111() {
    var result =
        create(entries, entry("/web", "/node", List.of("k8s:ns:a"), b -> b.setX509SvidTtl(-1)))
            .get(0);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(result.getStatus().getMessage()).contains("X509SvidTtl is not set");
  }

  @Test
  void aNegativeTtlIsInternalOnSpire110() {
    try (var old = SpireTestServer.start("example.org", ServerSemantics.V1_10)) {
      var result =
          create(
                  EntryGrpc.newBlockingStub(old.channel()),
                  entry("/web", "/node", List.of("k8s:ns:a"), b -> b.setJwtSvidTtl(-1)))
              .get(0);

      assertThat(code(result.getStatus())).isEqualTo(Status.Code.INTERNAL);
      assertThat(result.getStatus().getMessage())
          .isEqualTo(
              "failed to create entry: datastore-sql: invalid registration entry: JwtSvidTtl is not set");
    }
  }

  @Test
  void aTtlOfZeroMeansTheServerDefaultAndIsAccepted() {
    var result =
        create(entries, entry("/web", "/node", List.of("k8s:ns:a"), b -> b.setX509SvidTtl(0)))
            .get(0);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.OK);
  }

  @Test
  void federatingWithATrustDomainWithoutBundleFailsTheItemWithInternal() {
    var result =
        create(
                entries,
                entry("/web", "/node", List.of("k8s:ns:a"), b -> b.addFederatesWith("other.org")))
            .get(0);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.INTERNAL);
    assertThat(result.getStatus().getMessage())
        .isEqualTo(
            "failed to create entry: unable to find federated bundle \"spiffe://other.org\"");
    assertThat(spire.entries()).isEmpty();
  }

  @Test
  void federatingWithATrustDomainThatHasABundleIsStoredByName() {
    spire.addFederatedBundle("other.org");

    Entry e =
        created(
            entries,
            entry(
                "/web",
                "/node",
                List.of("k8s:ns:a"),
                b -> b.addFederatesWith("spiffe://other.org").addFederatesWith("example.org")));

    assertThat(e.getFederatesWithList()).containsExactly("other.org", "example.org");
  }

  @Test
  void serversBefore115DropAdditionalAttributes() {
    try (var old = SpireTestServer.start("example.org", ServerSemantics.V1_11)) {
      Entry e =
          created(
              EntryGrpc.newBlockingStub(old.channel()),
              entry(
                  "/web",
                  "/node",
                  List.of("k8s:ns:a"),
                  b ->
                      b.setAdditionalAttributes(
                          Entry.AdditionalAttributes.newBuilder().setJwtSvidIncludeJti(true))));

      assertThat(e.hasAdditionalAttributes()).isFalse();
    }
  }

  @Test
  void aCustomEntryIdIsKept() {
    Entry e =
        created(entries, entry("/web", "/node", List.of("k8s:ns:a"), b -> b.setId("my-entry.1")));

    assertThat(e.getId()).isEqualTo("my-entry.1");
  }

  @Test
  void aCustomEntryIdThatIsTakenFailsWithAlreadyExistsWithoutEntry() {
    created(entries, entry("/web", "/node", List.of("k8s:ns:a"), b -> b.setId("taken")));

    var result =
        create(entries, entry("/other", "/node", List.of("k8s:ns:b"), b -> b.setId("taken")))
            .get(0);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(result.hasEntry()).isFalse();
  }

  @Test
  void duplicateDnsNamesInOneEntryViolateTheDatastoresUniqueIndex() {
    var result =
        create(
                entries,
                entry(
                    "/web",
                    "/node",
                    List.of("k8s:ns:a"),
                    b -> b.addDnsNames("web.example.org").addDnsNames("web.example.org")))
            .get(0);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(result.getStatus().getMessage()).contains("UNIQUE constraint failed: dns_names");
  }

  @Test
  void storeSvidNeedsSelectorsOfOneType() {
    var result =
        create(
                entries,
                entry(
                    "/web", "/node", List.of("k8s:ns:a", "unix:uid:0"), b -> b.setStoreSvid(true)))
            .get(0);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void aHintLongerThan1024CharactersIsInvalid() {
    var result =
        create(
                entries,
                entry("/web", "/node", List.of("k8s:ns:a"), b -> b.setHint("h".repeat(1025))))
            .get(0);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void theOutputMaskLimitsTheReturnedFieldsButNotWhatIsStored() {
    var response =
        entries.batchCreateEntry(
            BatchCreateEntryRequest.newBuilder()
                .addEntries(entry("/web", "/node", List.of("k8s:ns:a"), b -> b.setHint("h")))
                .setOutputMask(EntryMask.newBuilder().setSpiffeId(true))
                .build());

    Entry returned = response.getResults(0).getEntry();
    assertThat(returned.getId()).isNotEmpty();
    assertThat(returned.getSpiffeId().getPath()).isEqualTo("/web");
    assertThat(returned.hasParentId()).isFalse();
    assertThat(returned.getSelectorsList()).isEmpty();
    assertThat(returned.getHint()).isEmpty();
    assertThat(spire.entry(returned.getId()).orElseThrow().hint()).isEqualTo("h");
  }
}
