package org.spireoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
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
import spire.api.server.entry.v1.BatchDeleteEntryRequest;
import spire.api.server.entry.v1.BatchUpdateEntryRequest;
import spire.api.server.entry.v1.EntryGrpc;
import spire.api.types.Entry;
import spire.api.types.SPIFFEID;
import spire.api.types.Selector;

/**
 * Per-item error answers of the Entry API that differ between the SPIRE releases of the suite,
 * pinned per release with the message (docs/SPIRE-VERSIONS.md): SPIRE 1.10 reports every datastore
 * failure of a create or update as {@code INTERNAL}; 1.15 passes the datastore's code on. The
 * operator's contract (SpireClientContract) accepts either; this pins which one each gives.
 */
@Tag("contract")
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealSpireErrorAnswersContractTest {

  private static final Logger LOG =
      LoggerFactory.getLogger(RealSpireErrorAnswersContractTest.class);

  private final RealServers servers;
  private EntryGrpc.EntryBlockingStub entries;
  private String run;
  private String createdId;

  RealSpireErrorAnswersContractTest(RealServers servers) {
    this.servers = servers;
  }

  /** A status code and the message it came with. */
  record Answer(Status.Code code, String message) {}

  @BeforeEach
  void choosePrefix() {
    entries = EntryGrpc.newBlockingStub(servers.spire().channel());
    run = "err-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void deleteWhatTheTestCreated() {
    if (createdId != null) {
      entries.batchDeleteEntry(BatchDeleteEntryRequest.newBuilder().addIds(createdId).build());
      createdId = null;
    }
  }

  @Test
  @DisplayName("updating an entry ID the server does not have")
  void updatingAnUnknownEntry() {
    var status =
        entries
            .batchUpdateEntry(
                BatchUpdateEntryRequest.newBuilder()
                    .addEntries(entry("gone").toBuilder().setId(UUID.randomUUID().toString()))
                    .build())
            .getResults(0)
            .getStatus();

    assertThat(answer("update of an unknown ID", status.getCode(), status.getMessage()))
        .isEqualTo(
            pinned(
                Map.of(
                    SpireVersion.K8S_SAT,
                    new Answer(
                        Status.Code.INTERNAL,
                        "failed to update entry: datastore-sql: record not found"),
                    SpireVersion.NEWEST,
                    new Answer(Status.Code.NOT_FOUND, "failed to update entry"))));
  }

  @Test
  @DisplayName("creating an entry with a negative X509-SVID TTL")
  void creatingAnEntryWithANegativeTtl() {
    var result =
        entries
            .batchCreateEntry(
                BatchCreateEntryRequest.newBuilder()
                    .addEntries(entry("ttl").toBuilder().setX509SvidTtl(-1))
                    .build())
            .getResults(0);
    if (result.hasEntry()) {
      createdId = result.getEntry().getId();
    }

    assertThat(
            answer(
                "create with x509_svid_ttl -1",
                result.getStatus().getCode(),
                result.getStatus().getMessage()))
        .isEqualTo(
            pinned(
                Map.of(
                    SpireVersion.K8S_SAT,
                    new Answer(
                        Status.Code.INTERNAL,
                        "failed to create entry: datastore-sql: invalid registration entry:"
                            + " X509SvidTtl is not set"),
                    SpireVersion.NEWEST,
                    new Answer(
                        Status.Code.INVALID_ARGUMENT,
                        "failed to create entry: datastore-validation: invalid registration entry:"
                            + " X509SvidTtl is not set"))));
  }

  private Answer answer(String what, int code, String message) {
    Answer a = new Answer(Status.fromCodeValue(code).getCode(), message);
    LOG.atInfo()
        .addKeyValue("spire", servers.spire().version())
        .addKeyValue("code", a.code())
        .addKeyValue("message", a.message())
        .log(what);
    return a;
  }

  /** The answer pinned for the running release; fails for a release nobody pinned yet. */
  private Answer pinned(Map<SpireVersion, Answer> answers) {
    SpireVersion v = servers.spire().version();
    assertThat(answers).as("answers pinned for SPIRE %s", v).containsKey(v);
    return answers.get(v);
  }

  private Entry entry(String name) {
    String td = servers.spire().trustDomain();
    return Entry.newBuilder()
        .setSpiffeId(SPIFFEID.newBuilder().setTrustDomain(td).setPath("/" + run + "/" + name))
        .setParentId(SPIFFEID.newBuilder().setTrustDomain(td).setPath("/" + run + "/node"))
        .addSelectors(Selector.newBuilder().setType("contract").setValue(run + "-" + name))
        .build();
  }
}
