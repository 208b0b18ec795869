package org.spireoperator.spire.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.spireoperator.spire.testserver.ProtoFixtures.code;
import static org.spireoperator.spire.testserver.ProtoFixtures.created;
import static org.spireoperator.spire.testserver.ProtoFixtures.entry;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import spire.api.server.entry.v1.BatchDeleteEntryRequest;
import spire.api.server.entry.v1.EntryGrpc;
import spire.api.server.entry.v1.GetAuthorizedEntriesRequest;
import spire.api.server.entry.v1.GetEntryRequest;
import spire.api.types.Entry;

class EntryLookupAndDeletionTest {

  private final SpireTestServer spire = SpireTestServer.start("example.org");
  private final EntryGrpc.EntryBlockingStub entries = EntryGrpc.newBlockingStub(spire.channel());

  @AfterEach
  void close() {
    spire.close();
  }

  @Test
  void getEntryAnswersTheStoredEntry() {
    Entry e = created(entries, entry("/web", "/node", "k8s:ns:a"));

    assertThat(entries.getEntry(GetEntryRequest.newBuilder().setId(e.getId()).build()))
        .isEqualTo(e);
  }

  @Test
  void getEntryOfAnUnknownIdFailsWithNotFound() {
    var failure =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> entries.getEntry(GetEntryRequest.newBuilder().setId("unknown").build()));

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void getEntryWithoutIdFailsWithInvalidArgument() {
    var failure =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> entries.getEntry(GetEntryRequest.getDefaultInstance()));

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void deleteAnswersPerIdInRequestOrderWithNotFoundForUnknownIds() {
    Entry e = created(entries, entry("/web", "/node", "k8s:ns:a"));

    var results =
        entries
            .batchDeleteEntry(
                BatchDeleteEntryRequest.newBuilder()
                    .addIds("unknown")
                    .addIds(e.getId())
                    .addIds("")
                    .addIds(e.getId())
                    .build())
            .getResultsList();

    assertThat(results)
        .extracting(r -> code(r.getStatus()))
        .containsExactly(
            Status.Code.NOT_FOUND,
            Status.Code.OK,
            Status.Code.INVALID_ARGUMENT,
            Status.Code.NOT_FOUND);
    assertThat(results)
        .extracting(r -> r.getId())
        .containsExactly("unknown", e.getId(), "", e.getId());
    assertThat(spire.entries()).isEmpty();
  }

  @Test
  void getAuthorizedEntriesIsDeniedToACallerOnTheAdminSocket() {
    var failure =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> entries.getAuthorizedEntries(GetAuthorizedEntriesRequest.getDefaultInstance()));

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(failure.getStatus().getDescription())
        .isEqualTo(
            "authorization denied for method /spire.api.server.entry.v1.Entry/GetAuthorizedEntries");
  }
}
