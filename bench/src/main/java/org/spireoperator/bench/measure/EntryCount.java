package org.spireoperator.bench.measure;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.bench.servers.CountingProxy;
import org.spireoperator.spire.SpireClient;

/**
 * Waits for the SPIRE server to hold a number of entries, polling {@code CountEntries} (straight to
 * the server, not through the counting proxy) every 200 ms.
 *
 * <p>spire-server 1.10 counts by listing every matching entry in pages of 1,000, so with hundreds
 * of thousands of foreign entries any count takes seconds of server CPU; {@link #throughProxy}
 * counts what the contender wrote instead.
 */
public final class EntryCount {

  private static final Logger LOG = LoggerFactory.getLogger(EntryCount.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /**
   * @param reached true if the count got to the target before the deadline
   * @param atNanos {@link System#nanoTime()} of the poll that saw it (or of the last poll)
   * @param lastCount the count at that poll
   */
  public record Outcome(boolean reached, long atNanos, long lastCount) {}

  private final java.util.function.LongSupplier counter;

  public EntryCount(SpireClient spire) {
    this.counter = spire::countEntries;
  }

  private EntryCount(java.util.function.LongSupplier counter) {
    this.counter = counter;
  }

  /**
   * Counts {@code base} plus what passed {@code proxy} ({@link CountingProxy#netCreatedEntries}):
   * no load on the server, for the scale run.
   */
  public static EntryCount throughProxy(CountingProxy proxy, long base) {
    return new EntryCount(() -> base + proxy.netCreatedEntries());
  }

  public long now() {
    return counter.getAsLong();
  }

  /**
   * Polls until the server holds at least {@code target} entries, or {@code timeout} has passed.
   */
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
        LOG.atWarn()
            .addKeyValue("what", what)
            .addKeyValue("count", count)
            .addKeyValue("target", target)
            .log("gave up waiting for entries");
        return new Outcome(false, polled, count);
      }
      if (polled - lastLog > 10_000_000_000L) {
        lastLog = polled;
        LOG.atInfo()
            .addKeyValue("what", what)
            .addKeyValue("count", count)
            .addKeyValue("target", target)
            .addKeyValue("s", String.format("%.0f", Clock.secondsSince(start)))
            .log("waiting for entries");
      }
      Clock.sleep(POLL);
    }
  }
}
