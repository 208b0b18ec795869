package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireException;
import org.spireoperator.spire.testserver.SpireTestServer;

/**
 * The reads of a full pass: the children of the node entries are listed a few at a time, and the
 * result neither depends on which listing ends first nor survives a failed one.
 */
class ParallelOwnedListingTest {

  private static final SpiffeId SERVER = SpiffeId.server("example.org");
  private static final int NODES = 12;

  private SpireTestServer server;
  private final List<Entry> nodeEntries = new ArrayList<>();
  private final List<Entry> expected = new ArrayList<>();

  @BeforeEach
  void seed() {
    server = SpireTestServer.start("example.org");
    for (int n = 0; n < NODES; n++) {
      SpiffeId node = SpiffeId.of("example.org", "k8s/node/node-" + n);
      nodeEntries.add(
          server.put(Entry.of(node, SERVER, List.of(Selector.parse("k8s_psat:node:" + n)))));
    }
    expected.addAll(nodeEntries);
    for (int n = 0; n < NODES; n++) {
      for (int p = 0; p < 3; p++) {
        SpiffeId pod = SpiffeId.of("example.org", "ns/a/sa/pod-" + n + "-" + p);
        expected.add(
            server.put(
                Entry.of(
                    pod,
                    nodeEntries.get(n).spiffeId(),
                    List.of(Selector.parse("k8s:pod-uid:" + n + "-" + p)))));
      }
    }
    // interleaved with the others on the server: children of node 0 created last
    SpiffeId late = SpiffeId.of("example.org", "ns/a/sa/late");
    expected.add(
        NODES + 3,
        server.put(
            Entry.of(
                late, nodeEntries.get(0).spiffeId(), List.of(Selector.parse("k8s:pod-uid:l")))));
  }

  @AfterEach
  void close() {
    server.close();
  }

  private OwnedListing.Read read() {
    return new OwnedListing(server.client()).read(SERVER, e -> true, List.of(), null);
  }

  @Test
  void entriesComeInTheParentsOrderWhicheverListingEndsLast() {
    CountDownLatch everyListingCalled = new CountDownLatch(1);
    AtomicBoolean holding = new AtomicBoolean();
    server.onEvery(
        "ListEntries",
        () -> {
          int calls = server.calls("ListEntries").size();
          if (calls == 1 + NODES) {
            everyListingCalled.countDown();
          } else if (calls >= 2 && holding.compareAndSet(false, true)) {
            // one children listing ends only after every other listing was called
            try {
              everyListingCalled.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });

    assertThat(read().entries()).containsExactlyElementsOf(expected);
  }

  @Test
  void aFailedChildListingFailsTheWholeRead() {
    server.onNext("ListEntries", () -> server.failNext("ListEntries", 1, Status.Code.INTERNAL));

    SpireException e = catchThrowableOfType(SpireException.class, this::read);

    assertThat(e.code()).isEqualTo(Status.Code.INTERNAL);
  }

  @Test
  void aReadCountsOneListingForTheServerAndOneForEachNode() {
    assertThat(read().calls()).isEqualTo(1 + NODES);
  }
}
