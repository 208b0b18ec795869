package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireClientSettings;
import org.spireoperator.spire.testserver.RecordedCall;
import org.spireoperator.spire.testserver.SpireTestServer;
import spire.api.server.entry.v1.BatchCreateEntryRequest;

class EntryWriterTest {

  private static final SpiffeId NODE_1 =
      SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/demo/node/node-1");

  private final SpireTestServer spire = SpireTestServer.start("example.org");
  private final EntryWriter writer =
      new EntryWriter(spire.client(SpireClientSettings.defaults()), 2);

  @AfterEach
  void tearDown() {
    spire.close();
  }

  private static Entry entry(int n) {
    return Entry.of(
            SpiffeId.parse("spiffe://example.org/ns/shop/sa/w" + n),
            NODE_1,
            List.of(Selector.k8s("ns", "shop"), Selector.k8s("pod-name", "w" + n)))
        .withId("entry-" + n);
  }

  private static List<Entry> entries(int from, int to) {
    return IntStream.range(from, to).mapToObj(EntryWriterTest::entry).toList();
  }

  private static EntryDiff creating(List<Entry> creates) {
    return new EntryDiff(creates, List.of(), List.of());
  }

  @Test
  void anEmptyDiffMakesNoCall() {
    writer.apply(EntryDiff.empty());
    assertThat(spire.calls()).isEmpty();
  }

  @Test
  void itemsAreSentInBatchesOfAtMostTheBatchSize() {
    writer.apply(creating(entries(0, 5)));
    assertThat(spire.calls("BatchCreateEntry"))
        .extracting(c -> c.request(BatchCreateEntryRequest.class).getEntriesCount())
        .containsExactly(2, 2, 1);
  }

  @Test
  void deletesGoFirstThenUpdatesThenCreates() {
    entries(0, 2).forEach(spire::put);
    writer.apply(
        new EntryDiff(
            List.of(entry(2)),
            List.of(entry(1).withDnsNames(List.of("w1.example"))),
            List.of(entry(0))));
    assertThat(spire.writeCalls())
        .extracting(RecordedCall::method)
        .containsExactly("BatchDeleteEntry", "BatchUpdateEntry", "BatchCreateEntry");
  }

  @Test
  void everyItemIsAnsweredInTheDiffsOrder() {
    List<Entry> creates = entries(0, 5);
    assertThat(writer.apply(creating(creates)).created())
        .extracting(EntryOutcome::requested)
        .containsExactlyElementsOf(creates);
  }

  @Test
  void aFailedCallBecomesItsCodeOnEachOfItsItems() {
    spire.failNext("BatchCreateEntry", 1, Status.Code.UNAVAILABLE);
    assertThat(writer.apply(creating(entries(0, 3))).created())
        .extracting(EntryOutcome::code)
        .containsExactly(Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE, Status.Code.OK);
  }

  @Test
  void aFailedCallDoesNotStopTheWritesAfterIt() {
    spire.put(entry(0));
    spire.failNext("BatchDeleteEntry", 1, Status.Code.UNAVAILABLE);
    writer.apply(new EntryDiff(List.of(entry(1)), List.of(), List.of(entry(0))));
    assertThat(spire.entry("entry-1")).isPresent();
  }

  @Test
  void aFailedCallIsNotRetriedHere() {
    spire.failNext("BatchCreateEntry", 1, Status.Code.UNAVAILABLE);
    writer.apply(creating(entries(0, 1)));
    assertThat(spire.calls("BatchCreateEntry")).hasSize(1);
  }

  @Test
  void anItemTheServerRefusesCarriesItsOwnCode() {
    spire.put(entry(0));
    assertThat(
            writer
                .apply(new EntryDiff(List.of(), List.of(entry(9)), List.of()))
                .updated()
                .get(0)
                .code())
        .isEqualTo(Status.Code.NOT_FOUND);
  }
}
