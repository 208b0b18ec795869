package org.spireoperator.bench.measure;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.spire.SpireClient;
import spire.api.server.entry.v1.CountEntriesRequest;
import spire.api.server.entry.v1.EntryGrpc;

/**
 * Waits for the SPIRE server to hold a number of entries, polling {@code CountEntries} (straight to the server, not
 * through the counting proxy) every 200 ms.
 *
 * <p>spire-server 1.10 counts by listing every matching entry in pages of 1,000, so with hundreds of thousands of
 * foreign entries an unfiltered count takes seconds of server CPU; {@link #scoped} counts only within filters instead
 * (the sum of one count per filter).
 */
public final class EntryCount {

  private static final Logger LOG = LoggerFactory.getLogger(EntryCount.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /**
   * @param reached   true if the count got to the target before the deadline
   * @param atNanos   {@link System#nanoTime()} of the poll that saw it (or of the last poll)
   * @param lastCount the count at that poll
   */
  public record Outcome(boolean reached, long atNanos, long lastCount) {
  }

  private final java.util.function.LongSupplier counter;

  public EntryCount(SpireClient spire) {
    this.counter = spire::countEntries;
  }

  private EntryCount(java.util.function.LongSupplier counter) {
    this.counter = counter;
  }

  /** Counts the entries matching any of {@code filters} (assumed disjoint), with raw calls on {@code channel}. */
  public static EntryCount scoped(io.grpc.Channel channel, List<CountEntriesRequest.Filter> filters) {
    EntryGrpc.EntryBlockingStub stub = EntryGrpc.newBlockingStub(channel);
    return new EntryCount(() -> {
      long n = 0;
      for (CountEntriesRequest.Filter f : filters) {
        n += stub.withDeadlineAfter(60, java.util.concurrent.TimeUnit.SECONDS)
            .countEntries(CountEntriesRequest.newBuilder().setFilter(f).build()).getCount();
      }
      return n;
    });
  }

  public long now() {
    return counter.getAsLong();
  }

  /** Polls until the server holds at least {@code target} entries, or {@code timeout} has passed. */
  public Outcome awaitAtLeast(long target, Duration timeout, String what) {
    long start = Clock.now();
    long deadline = start + timeout.toNanos();
    long lastLog = start;
    long count = -1;
    while (true) {
      long polled = Clock.now();
      count = counter.getAsLong();
      if (count >= target) {
        return new Outcome(true, polled, count);
      }
      if (polled > deadline) {
        LOG.atWarn().addKeyValue("what", what).addKeyValue("count", count).addKeyValue("target", target)
            .log("gave up waiting for entries");
        return new Outcome(false, polled, count);
      }
      if (polled - lastLog > 10_000_000_000L) {
        lastLog = polled;
        LOG.atInfo().addKeyValue("what", what).addKeyValue("count", count).addKeyValue("target", target)
            .addKeyValue("s", String.format("%.0f", Clock.secondsSince(start))).log("waiting for entries");
      }
      Clock.sleep(POLL);
    }
  }
}
