package org.spireoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.e2e.support.RealServers;
import org.spireoperator.e2e.support.RealServersExtension;
import org.spireoperator.e2e.support.SpireVersion;
import spire.api.server.entry.v1.BatchCreateEntryRequest;
import spire.api.server.entry.v1.BatchCreateEntryResponse;
import spire.api.server.entry.v1.BatchDeleteEntryRequest;
import spire.api.server.entry.v1.BatchUpdateEntryRequest;
import spire.api.server.entry.v1.EntryGrpc;
import spire.api.server.entry.v1.ListEntriesRequest;
import spire.api.types.Entry;
import spire.api.types.SPIFFEID;
import spire.api.types.Selector;

/**
 * Client-chosen entry IDs ({@code Entry.id} on {@code BatchCreateEntry}), as each SPIRE release of
 * the suite answers them, pinned per release (docs/SPIRE-VERSIONS.md): the rules are the
 * datastore's ({@code [-._0-9A-Za-z]}, at most 255 characters), checked before the similar-entry
 * lookup; SPIRE 1.10 reports every datastore failure of a create as {@code INTERNAL}, 1.15 maps
 * validation failures to {@code INVALID_ARGUMENT} and a taken ID to {@code ALREADY_EXISTS} without
 * an entry. A release with no pinned answer fails here until it is pinned.
 */
@Tag("contract")
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealSpireEntryIdContractTest {

  private static final Logger LOG = LoggerFactory.getLogger(RealSpireEntryIdContractTest.class);

  private final RealServers servers;
  private EntryGrpc.EntryBlockingStub entries;
  private String run;
  private SPIFFEID parent;

  RealSpireEntryIdContractTest(RealServers servers) {
    this.servers = servers;
  }

  @BeforeEach
  void choosePrefix() {
    entries = EntryGrpc.newBlockingStub(servers.spire().channel());
    run = "eid-" + UUID.randomUUID().toString().substring(0, 8);
    parent = id(run + "/node");
  }

  @AfterEach
  void deleteWhatTheTestCreated() {
    List<String> ids = new ArrayList<>();
    for (Entry e :
        entries
            .listEntries(
                ListEntriesRequest.newBuilder()
                    .setFilter(ListEntriesRequest.Filter.newBuilder().setByParentId(parent))
                    .build())
            .getEntriesList()) {
      ids.add(e.getId());
    }
    if (!ids.isEmpty()) {
      entries.batchDeleteEntry(BatchDeleteEntryRequest.newBuilder().addAllIds(ids).build());
    }
  }

  // ------------------------------------------------------------------ accepted IDs

  @Test
  @DisplayName("an ID of letters, digits, '-', '.' and '_' is kept as the entry's ID")
  void anIdOfTheAllowedCharactersIsKept() {
    String id = run + "-AZaz09._-x";

    BatchCreateEntryResponse.Result result = create(entry("web", id));

    assertThat(answer(result)).isEqualTo(new Answer(Status.Code.OK, id));
    assertThat(stored(id)).isTrue();
  }

  @Test
  @DisplayName("an ID of 255 characters is kept")
  void anIdOf255CharactersIsKept() {
    String id = padded(255);

    assertThat(answer(create(entry("web", id)))).isEqualTo(new Answer(Status.Code.OK, id));
  }

  @Test
  @DisplayName("without an ID the server generates a UUID")
  void withoutAnIdTheServerGeneratesAUuid() {
    BatchCreateEntryResponse.Result result = create(entry("web", ""));

    assertThat(result.getStatus().getCode()).isZero();
    assertThat(result.getEntry().getId())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  }

  @Test
  @DisplayName("IDs differing only in case are two entries (sqlite)")
  void idsDifferingOnlyInCaseAreDistinct() {
    String lower = run + "-case";
    String upper = run + "-CASE";

    List<BatchCreateEntryResponse.Result> results =
        create(List.of(entry("a", lower), entry("b", upper)));

    assertThat(results)
        .extracting(RealSpireEntryIdContractTest::answer)
        .containsExactly(new Answer(Status.Code.OK, lower), new Answer(Status.Code.OK, upper));
  }

  // ------------------------------------------------------------------ refused IDs

  @Test
  @DisplayName("an ID of 256 characters is refused, nothing stored")
  void anIdOf256CharactersIsRefused() {
    String id = padded(256);

    BatchCreateEntryResponse.Result result = create(entry("web", id));

    assertThat(answer(result))
        .isEqualTo(
            pinned(
                Map.of(
                    SpireVersion.K8S_SAT, Status.Code.INTERNAL,
                    SpireVersion.NEWEST, Status.Code.INVALID_ARGUMENT),
                null));
    assertThat(result.getStatus().getMessage()).contains("entry ID too long");
    assertThat(byParent()).isEmpty();
  }

  @Test
  @DisplayName("an ID with any other character ('/', ':', ' ', '+', '~', 'ä') is refused")
  void anIdWithOtherCharactersIsRefused() {
    List<String> ids =
        List.of(run + "/x", run + ":x", run + " x", run + "+x", run + "~x", run + "-\u00e4");

    List<BatchCreateEntryResponse.Result> results =
        create(ids.stream().map(id -> entry("w" + ids.indexOf(id), id)).toList());

    Answer refused =
        pinned(
            Map.of(
                SpireVersion.K8S_SAT, Status.Code.INTERNAL,
                SpireVersion.NEWEST, Status.Code.INVALID_ARGUMENT),
            null);
    assertThat(results)
        .allSatisfy(
            r -> {
              assertThat(answer(r)).isEqualTo(refused);
              assertThat(r.getStatus().getMessage())
                  .contains("entry ID contains invalid characters");
            });
    assertThat(byParent()).isEmpty();
  }

  // ------------------------------------------------------------------ IDs already taken

  @Test
  @DisplayName(
      "an ID taken by a different entry is refused, without an entry; the other is untouched")
  void anIdTakenByADifferentEntryIsRefused() {
    String id = run + "-taken";
    Entry first = create(entry("web", id)).getEntry();

    BatchCreateEntryResponse.Result result = create(entry("api", id));

    assertThat(answer(result))
        .isEqualTo(
            pinned(
                Map.of(
                    SpireVersion.K8S_SAT, Status.Code.INTERNAL,
                    SpireVersion.NEWEST, Status.Code.ALREADY_EXISTS),
                null));
    assertThat(result.getStatus().getMessage()).containsIgnoringCase("unique");
    assertThat(byParent()).containsExactly(first);
  }

  @Test
  @DisplayName("an ID taken by a similar entry: ALREADY_EXISTS carrying that entry")
  void anIdTakenByASimilarEntryAnswersWithIt() {
    String id = run + "-similar";
    Entry first = create(entry("web", id)).getEntry();

    BatchCreateEntryResponse.Result result =
        create(entry("web", id).toBuilder().addDnsNames("other.example.org").build());

    assertThat(answer(result)).isEqualTo(new Answer(Status.Code.ALREADY_EXISTS, id));
    assertThat(result.getEntry()).isEqualTo(first);
    assertThat(byParent()).containsExactly(first);
  }

  @Test
  @DisplayName(
      "a new ID for an entry similar to one stored under another ID: ALREADY_EXISTS with the stored one")
  void aNewIdForASimilarEntryAnswersWithTheStoredOne() {
    Entry first = create(entry("web", run + "-first")).getEntry();

    BatchCreateEntryResponse.Result result = create(entry("web", run + "-second"));

    assertThat(answer(result)).isEqualTo(new Answer(Status.Code.ALREADY_EXISTS, run + "-first"));
    assertThat(byParent()).containsExactly(first);
  }

  @Test
  @DisplayName(
      "one ID twice in one batch: the first is created, the second refused like a taken ID")
  void oneIdTwiceInOneBatch() {
    String id = run + "-twice";

    List<BatchCreateEntryResponse.Result> results =
        create(List.of(entry("web", id), entry("api", id)));

    assertThat(results)
        .extracting(RealSpireEntryIdContractTest::answer)
        .containsExactly(
            new Answer(Status.Code.OK, id),
            pinned(
                Map.of(
                    SpireVersion.K8S_SAT, Status.Code.INTERNAL,
                    SpireVersion.NEWEST, Status.Code.ALREADY_EXISTS),
                null));
  }

  // ------------------------------------------------------------------ updates

  @Test
  @DisplayName(
      "an update may make an entry similar to another: both are kept (no similarity check)")
  void anUpdateDoesNotCheckSimilarity() {
    Entry web = create(entry("web", run + "-web")).getEntry();
    Entry api = create(entry("api", run + "-api")).getEntry();

    var result =
        entries
            .batchUpdateEntry(
                BatchUpdateEntryRequest.newBuilder()
                    .addEntries(
                        api.toBuilder()
                            .setSpiffeId(web.getSpiffeId())
                            .clearSelectors()
                            .addAllSelectors(web.getSelectorsList()))
                    .build())
            .getResults(0);

    LOG.atInfo()
        .addKeyValue("code", Status.fromCodeValue(result.getStatus().getCode()).getCode())
        .addKeyValue("message", result.getStatus().getMessage())
        .log("BatchUpdateEntry making an entry similar to another");
    assertThat(result.getStatus().getCode()).isZero();
    assertThat(byParent())
        .extracting(e -> e.getId() + " " + e.getSpiffeId().getPath() + " " + e.getSelectorsList())
        .containsExactlyInAnyOrder(
            web.getId() + " " + web.getSpiffeId().getPath() + " " + web.getSelectorsList(),
            api.getId() + " " + web.getSpiffeId().getPath() + " " + web.getSelectorsList());
  }

  // ------------------------------------------------------------------ helpers

  /** A create's outcome: its code and the ID of the entry it carries (null if none). */
  record Answer(Status.Code code, String entryId) {}

  private static Answer answer(BatchCreateEntryResponse.Result r) {
    return new Answer(
        Status.fromCodeValue(r.getStatus().getCode()).getCode(),
        r.hasEntry() ? r.getEntry().getId() : null);
  }

  /** The answer pinned for the running release; fails for a release nobody pinned yet. */
  private Answer pinned(Map<SpireVersion, Status.Code> codes, String entryId) {
    SpireVersion v = servers.spire().version();
    assertThat(codes).as("answers pinned for SPIRE %s", v).containsKey(v);
    return new Answer(codes.get(v), entryId);
  }

  private SPIFFEID id(String path) {
    return SPIFFEID
        .newBuilder()
        .setTrustDomain(servers.spire().trustDomain())
        .setPath("/" + path)
        .build();
  }

  /** An entry under this test's parent, selecting {@code contract:<run>-<name>}. */
  private Entry entry(String name, String entryId) {
    return Entry.newBuilder()
        .setId(entryId)
        .setSpiffeId(id(run + "/" + name))
        .setParentId(parent)
        .addSelectors(Selector.newBuilder().setType("contract").setValue(run + "-" + name))
        .build();
  }

  /** An ID of {@code length} allowed characters, unique to this test. */
  private String padded(int length) {
    StringBuilder b = new StringBuilder(run);
    while (b.length() < length) {
      b.append('x');
    }
    return b.substring(0, length);
  }

  private BatchCreateEntryResponse.Result create(Entry e) {
    return create(List.of(e)).get(0);
  }

  private List<BatchCreateEntryResponse.Result> create(List<Entry> batch) {
    List<BatchCreateEntryResponse.Result> results =
        entries
            .batchCreateEntry(BatchCreateEntryRequest.newBuilder().addAllEntries(batch).build())
            .getResultsList();
    for (int i = 0; i < results.size(); i++) {
      BatchCreateEntryResponse.Result r = results.get(i);
      LOG.atInfo()
          .addKeyValue("spire", servers.spire().version())
          .addKeyValue("requestedId", batch.get(i).getId())
          .addKeyValue("code", Status.fromCodeValue(r.getStatus().getCode()).getCode())
          .addKeyValue("message", r.getStatus().getMessage())
          .addKeyValue("entryId", r.hasEntry() ? r.getEntry().getId() : "-")
          .log("BatchCreateEntry answer");
    }
    return results;
  }

  private boolean stored(String entryId) {
    return byParent().stream().anyMatch(e -> e.getId().equals(entryId));
  }

  private List<Entry> byParent() {
    return entries
        .listEntries(
            ListEntriesRequest.newBuilder()
                .setFilter(ListEntriesRequest.Filter.newBuilder().setByParentId(parent))
                .build())
        .getEntriesList();
  }
}
