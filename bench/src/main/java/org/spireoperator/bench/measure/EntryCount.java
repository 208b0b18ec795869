package org.spireoperator.bench.measure;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.bench.servers.CountingProxy;
import org.spireoperator.spire.SpireClient;

/**
 * Waits for the SPIRE server to hold a number of entries.
 *
 * <p>By default it counts what passed the counting proxy ({@link #throughProxy}): the entries the
 * server held when last {@link #rebase rebased} plus those the contender's {@code BatchCreateEntry}
 * answers created, minus those its {@code BatchDeleteEntry} answers deleted. That puts no load on
 * the server: spire-server (1.10 and 1.15 alike) answers {@code CountEntries} by listing every
 * matching entry in pages of 1,000, so polling it every 200 ms while a contender writes reads the
 * whole store five times a second beside the contender's writes, which the raw baseline (that polls
 * nothing) never pays. {@link #ofServer} polls {@code CountEntries} (straight to the server, not
 * through the proxy) every 200 ms, the method of the runs up to git e289562, kept to compare.
 */
public final class EntryCount {

  private static final Logger LOG = LoggerFactory.getLogger(EntryCount.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration POLL_PROXY = Duration.ofMillis(20);

  /**
   * @param reached true if the count got to the target before the deadline
   * @param atNanos {@link System#nanoTime()} of the poll that saw it (or of the last poll)
   * @param lastCount the count at that poll
   */
  public record Outcome(boolean reached, long atNanos, long lastCount) {}

  private final CountingProxy proxy;
  private final SpireClient spire;
  private final Duration poll;

  /** What the server held at the last {@link #rebase}, less what the proxy had counted then. */
  private long offset;

  private EntryCount(CountingProxy proxy, SpireClient spire, Duration poll) {
    this.proxy = proxy;
    this.spire = spire;
    this.poll = poll;
  }

  /** Polls {@code CountEntries} every 200 ms (each poll lists every entry at the server). */
  public static EntryCount ofServer(SpireClient spire) {
    return new EntryCount(null, spire, POLL);
  }

  /**
   * Counts {@code held} (what the server holds now, before the contender writes) plus what passes
   * {@code proxy} from now on ({@link CountingProxy#netCreatedEntries}): no load on the server.
   */
  public static EntryCount throughProxy(CountingProxy proxy, long held) {
    EntryCount c = new EntryCount(proxy, null, POLL_PROXY);
    c.rebase(held);
    return c;
  }

  /**
   * Says the server holds {@code held} entries now, after writes that did not pass the proxy (the
   * harness emptying SPIRE between phases); nothing for a count that asks the server.
   */
  public void rebase(long held) {
    if (proxy != null) {
      offset = held - proxy.netCreatedEntries();
    }
  }

  /** Whether this count asks the server (the earlier method) rather than the proxy. */
  public boolean asksServer() {
    return proxy == null;
  }

  public long now() {
    return proxy == null ? spire.countEntries() : offset + proxy.netCreatedEntries();
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
      count = now();
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
      Clock.sleep(poll);
    }
  }
}
