package org.spireoperator.spire.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spireoperator.spire.testserver.ProtoFixtures.code;
import static org.spireoperator.spire.testserver.ProtoFixtures.created;
import static org.spireoperator.spire.testserver.ProtoFixtures.entry;
import static org.spireoperator.spire.testserver.ProtoFixtures.id;
import static org.spireoperator.spire.testserver.ProtoFixtures.selectors;

import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import spire.api.server.entry.v1.BatchUpdateEntryRequest;
import spire.api.server.entry.v1.BatchUpdateEntryResponse;
import spire.api.server.entry.v1.EntryGrpc;
import spire.api.types.Entry;
import spire.api.types.EntryMask;

class EntryUpdateTest {

  private final SpireTestServer spire = SpireTestServer.start("example.org");
  private final EntryGrpc.EntryBlockingStub entries = EntryGrpc.newBlockingStub(spire.channel());

  @AfterEach
  void close() {
    spire.close();
  }

  private Entry existing() {
    return created(
        entries,
        entry(
            "/web",
            "/node",
            List.of("k8s:ns:a"),
            b ->
                b.setHint("keep-me")
                    .addDnsNames("web.example.org")
                    .setX509SvidTtl(600)
                    .setAdmin(true)));
  }

  private BatchUpdateEntryResponse.Result update(Entry e, EntryMask mask) {
    var request = BatchUpdateEntryRequest.newBuilder().addEntries(e);
    if (mask != null) {
      request.setInputMask(mask);
    }
    return entries.batchUpdateEntry(request.build()).getResults(0);
  }

  @Test
  void withoutInputMaskEveryFieldIsReplaced() {
    Entry old = existing();

    var result =
        update(entry("/web2", "/node", "k8s:ns:b").toBuilder().setId(old.getId()).build(), null);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.OK);
    Entry e = result.getEntry();
    assertThat(e.getSpiffeId().getPath()).isEqualTo("/web2");
    assertThat(e.getSelectorsList()).isEqualTo(selectors("k8s:ns:b"));
    assertThat(e.getHint()).isEmpty();
    assertThat(e.getDnsNamesList()).isEmpty();
    assertThat(e.getX509SvidTtl()).isZero();
    assertThat(e.getAdmin()).isFalse();
  }

  @Test
  void withInputMaskOnlyTheMaskedFieldsChange() {
    Entry old = existing();

    var result =
        update(
            Entry.newBuilder()
                .setId(old.getId())
                .addDnsNames("new.example.org")
                .setHint("ignored")
                .build(),
            EntryMask.newBuilder().setDnsNames(true).build());

    Entry e = result.getEntry();
    assertThat(e.getDnsNamesList()).containsExactly("new.example.org");
    assertThat(e.toBuilder().clearDnsNames().clearRevisionNumber().build())
        .isEqualTo(old.toBuilder().clearDnsNames().clearRevisionNumber().build());
  }

  @Test
  void fieldsOutsideTheInputMaskAreNotValidated() {
    Entry old = existing();

    var result =
        update(
            Entry.newBuilder()
                .setId(old.getId())
                .setSpiffeId(id("other.org", "/x"))
                .setHint("h")
                .build(),
            EntryMask.newBuilder().setHint(true).build());

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.OK);
    assertThat(result.getEntry().getSpiffeId().getPath()).isEqualTo("/web");
  }

  @Test
  void maskedFieldsAreValidatedLikeOnCreate() {
    Entry old = existing();

    var result =
        update(
            Entry.newBuilder().setId(old.getId()).setSpiffeId(id("/spire/x")).build(),
            EntryMask.newBuilder().setSpiffeId(true).build());

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void everyUpdateAddsOneToTheRevisionAndKeepsCreatedAt() {
    Entry old = existing();
    EntryMask hint = EntryMask.newBuilder().setHint(true).build();

    update(old.toBuilder().setHint("one").build(), hint);
    Entry e = update(old.toBuilder().setHint("one").build(), hint).getEntry();

    assertThat(e.getRevisionNumber()).isEqualTo(2);
    assertThat(e.getCreatedAt()).isEqualTo(old.getCreatedAt());
  }

  @Test
  void theRevisionInTheRequestIsIgnored() {
    Entry old = existing();

    Entry e = update(old.toBuilder().setRevisionNumber(41).build(), null).getEntry();

    assertThat(e.getRevisionNumber()).isEqualTo(1);
  }

  @Test
  void anUnknownIdIsNotFoundSinceSpire111() {
    var result =
        update(entry("/web", "/node", "k8s:ns:a").toBuilder().setId("no-such-id").build(), null);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(result.hasEntry()).isFalse();
  }

  @Test
  void anUnknownIdIsInternalOnSpire110() {
    try (var old = SpireTestServer.start("example.org", ServerSemantics.V1_10)) {
      var result =
          EntryGrpc.newBlockingStub(old.channel())
              .batchUpdateEntry(
                  BatchUpdateEntryRequest.newBuilder()
                      .addEntries(
                          entry("/web", "/node", "k8s:ns:a").toBuilder().setId("no-such-id"))
                      .build())
              .getResults(0);

      assertThat(code(result.getStatus())).isEqualTo(Status.Code.INTERNAL);
      assertThat(result.getStatus().getMessage())
          .isEqualTo("failed to update entry: datastore-sql: record not found");
    }
  }

  @Test
  void anUpdateMayMakeTwoEntriesSimilar() {
    Entry a = created(entries, entry("/web", "/node", "k8s:ns:a"));
    created(entries, entry("/web", "/node", "k8s:ns:b"));

    var result =
        update(a.toBuilder().clearSelectors().addAllSelectors(selectors("k8s:ns:b")).build(), null);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.OK);
    assertThat(spire.entries()).hasSize(2);
  }

  @Test
  void federatingWithAnUnknownTrustDomainFailsWithInternalAndChangesNothing() {
    Entry old = existing();

    var result =
        update(old.toBuilder().setHint("changed").addFederatesWith("other.org").build(), null);

    assertThat(code(result.getStatus())).isEqualTo(Status.Code.INTERNAL);
    assertThat(spire.entry(old.getId()).orElseThrow().hint()).isEqualTo("keep-me");
  }

  @Test
  void aBatchAnswersPerItemInRequestOrder() {
    Entry a = existing();

    var results =
        entries
            .batchUpdateEntry(
                BatchUpdateEntryRequest.newBuilder()
                    .setInputMask(EntryMask.newBuilder().setHint(true))
                    .addEntries(Entry.newBuilder().setId("unknown"))
                    .addEntries(Entry.newBuilder().setId(a.getId()).setHint("x"))
                    .build())
            .getResultsList();

    assertThat(results)
        .extracting(r -> code(r.getStatus()))
        .containsExactly(Status.Code.NOT_FOUND, Status.Code.OK);
  }

  @Test
  void additionalAttributesOutsideTheInputMaskAreKept() {
    Entry old =
        created(
            entries,
            entry(
                "/web",
                "/node",
                List.of("k8s:ns:a"),
                b ->
                    b.setAdditionalAttributes(
                        Entry.AdditionalAttributes.newBuilder().setDisableX509SvidPrefetch(true))));

    Entry e =
        update(
                Entry.newBuilder().setId(old.getId()).setHint("h").build(),
                EntryMask.newBuilder().setHint(true).build())
            .getEntry();

    assertThat(e.getAdditionalAttributes().getDisableX509SvidPrefetch()).isTrue();
  }
}
