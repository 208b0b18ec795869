package org.spireoperator.spire.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.spireoperator.spire.testserver.ProtoFixtures.create;
import static org.spireoperator.spire.testserver.ProtoFixtures.entry;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import spire.api.server.entry.v1.BatchCreateEntryRequest;
import spire.api.server.entry.v1.BatchDeleteEntryRequest;
import spire.api.server.entry.v1.CountEntriesRequest;
import spire.api.server.entry.v1.EntryGrpc;
import spire.api.server.entry.v1.ListEntriesRequest;

class FaultInjectionAndCallLogTest {

  private final SpireTestServer spire = SpireTestServer.start("example.org");
  private final EntryGrpc.EntryBlockingStub entries = EntryGrpc.newBlockingStub(spire.channel());

  @AfterEach
  void close() {
    spire.close();
  }

  private Status.Code countCode() {
    try {
      entries.countEntries(CountEntriesRequest.getDefaultInstance());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void failNextFailsExactlyTheNextNCalls() {
    spire.failNext(2, Status.Code.UNAVAILABLE);

    assertThat(countCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(countCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(countCode()).isEqualTo(Status.Code.OK);
  }

  @Test
  void failNextForOneMethodLeavesOtherMethodsAlone() {
    spire.failNext("BatchCreateEntry", 1, Status.Code.RESOURCE_EXHAUSTED);

    assertThat(countCode()).isEqualTo(Status.Code.OK);
    var failure =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> create(entries, entry("/web", "/node", "k8s:ns:a")));
    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(spire.entries()).isEmpty();
  }

  @Test
  void failedCallsAreRecordedToo() {
    spire.failNext(1, Status.Code.UNAVAILABLE);

    countCode();
    countCode();

    assertThat(spire.calls("CountEntries")).hasSize(2);
  }

  @Test
  void aLatencyLongerThanTheCallersDeadlineEndsInDeadlineExceeded() {
    spire.latency(Duration.ofSeconds(30));

    var failure =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                entries
                    .withDeadlineAfter(50, TimeUnit.MILLISECONDS)
                    .countEntries(CountEntriesRequest.getDefaultInstance()));

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void aCallCancelledDuringTheLatencyIsNeverHandled() {
    spire.latency(Duration.ofSeconds(30));

    catchThrowableOfType(
        StatusRuntimeException.class,
        () ->
            entries
                .withDeadlineAfter(50, TimeUnit.MILLISECONDS)
                .batchCreateEntry(
                    BatchCreateEntryRequest.newBuilder()
                        .addEntries(entry("/web", "/node", "k8s:ns:a"))
                        .build()));
    spire.clearFaults();

    assertThat(entries.countEntries(CountEntriesRequest.getDefaultInstance()).getCount()).isZero();
  }

  @Test
  void onNextRunsOnceBeforeTheCallIsHandled() {
    AtomicInteger runs = new AtomicInteger();
    spire.onNext(
        "CountEntries",
        () -> {
          runs.incrementAndGet();
          spire.put(
              Entry.of(
                  SpiffeId.parse("spiffe://example.org/x"),
                  SpiffeId.parse("spiffe://example.org/node"),
                  List.of(Selector.parse("k8s:ns:a"))));
        });

    long first = entries.countEntries(CountEntriesRequest.getDefaultInstance()).getCount();
    entries.countEntries(CountEntriesRequest.getDefaultInstance());

    assertThat(first).isEqualTo(1);
    assertThat(runs).hasValue(1);
  }

  @Test
  void theCallLogKeepsMethodRequestAndTimeInArrivalOrder() {
    entries.listEntries(ListEntriesRequest.newBuilder().setPageSize(7).build());
    entries.batchDeleteEntry(BatchDeleteEntryRequest.newBuilder().addIds("x").build());

    assertThat(spire.calls())
        .extracting(RecordedCall::method)
        .containsExactly("ListEntries", "BatchDeleteEntry");
    assertThat(spire.calls("ListEntries").get(0).request(ListEntriesRequest.class).getPageSize())
        .isEqualTo(7);
    assertThat(spire.calls().get(0).at()).isBeforeOrEqualTo(spire.calls().get(1).at());
  }

  @Test
  void writeCallsAreTheBatchCreateUpdateAndDeleteCalls() {
    countCode();
    create(entries, entry("/web", "/node", "k8s:ns:a"));
    entries.batchDeleteEntry(BatchDeleteEntryRequest.newBuilder().addIds("x").build());

    assertThat(spire.writeCalls())
        .extracting(RecordedCall::method)
        .containsExactly("BatchCreateEntry", "BatchDeleteEntry");
  }

  @Test
  void resetCallsEmptiesTheLog() {
    countCode();

    spire.resetCalls();

    assertThat(spire.calls()).isEmpty();
  }

  @Test
  void aStoppedServerIsUnavailableAndServesItsEntriesAgainAfterRestart() {
    create(entries, entry("/web", "/node", "k8s:ns:a"));

    spire.stop();
    assertThat(countCode()).isEqualTo(Status.Code.UNAVAILABLE);
    spire.restart();

    await().atMost(Duration.ofSeconds(10)).until(() -> countCode() == Status.Code.OK);
    assertThat(entries.countEntries(CountEntriesRequest.getDefaultInstance()).getCount())
        .isEqualTo(1);
  }

  @Test
  void droppingTheConnectionFailsCallsInFlightAndServesNewOnes() throws Exception {
    spire.latency(Duration.ofSeconds(30));
    var inFlight =
        EntryGrpc.newFutureStub(spire.channel())
            .countEntries(CountEntriesRequest.getDefaultInstance());
    await().until(() -> spire.calls("CountEntries").size() == 1);

    spire.dropConnection();
    spire.clearFaults();

    var failure =
        catchThrowableOfType(ExecutionException.class, () -> inFlight.get(10, TimeUnit.SECONDS));
    assertThat(Status.fromThrowable(failure).getCode())
        .isIn(Status.Code.UNAVAILABLE, Status.Code.CANCELLED);
    await().atMost(Duration.ofSeconds(10)).until(() -> countCode() == Status.Code.OK);
  }
}
