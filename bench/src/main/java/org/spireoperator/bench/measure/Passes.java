package org.spireoperator.bench.measure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.spireoperator.bench.servers.CountingProxy.Timing;

/**
 * The periodic passes of a contender as the counting proxy sees them: its {@code ListEntries} calls
 * grouped into bursts (a gap of more than {@link #GAP_NANOS} between the end of one call and the
 * start of the next ends a burst). The same measure for every contender, whatever it reports
 * itself: a burst is one pass's reading of the server.
 *
 * @param bursts the complete bursts: not cut by the start or end of the observed window
 */
public record Passes(List<Burst> bursts) {

  /** Calls that follow each other within this gap belong to one pass. */
  static final long GAP_NANOS = 1_000_000_000L;

  /**
   * One pass's reads: how many calls, from the first call's start to the last one's end, how many
   * entries they answered with and how many of those the contender had not created.
   */
  public record Burst(int calls, long startNanos, long endNanos, long entries, long notOwn) {
    public double millis() {
      return (endNanos - startNanos) / 1e6;
    }
  }

  public Passes {
    bursts = List.copyOf(bursts);
  }

  /**
   * Groups the calls observed between {@code windowStart} and {@code windowEnd}; bursts that begin
   * within a gap of the window's start or end within a gap of its end are left out (they may be
   * cut).
   */
  public static Passes of(List<Timing> calls, long windowStart, long windowEnd) {
    List<Timing> sorted = new ArrayList<>(calls);
    sorted.sort(Comparator.comparingLong(Timing::startNanos));
    List<Burst> out = new ArrayList<>();
    int n = 0;
    long start = 0;
    long end = 0;
    long entries = 0;
    long notOwn = 0;
    for (Timing t : sorted) {
      if (n > 0 && t.startNanos() - end > GAP_NANOS) {
        out.add(new Burst(n, start, end, entries, notOwn));
        n = 0;
      }
      if (n == 0) {
        start = t.startNanos();
        end = t.endNanos();
        entries = 0;
        notOwn = 0;
      }
      n++;
      end = Math.max(end, t.endNanos());
      entries += t.entries();
      notOwn += t.notOwn();
    }
    if (n > 0) {
      out.add(new Burst(n, start, end, entries, notOwn));
    }
    return new Passes(
        out.stream()
            .filter(b -> b.startNanos() - windowStart > GAP_NANOS)
            .filter(b -> windowEnd - b.endNanos() > GAP_NANOS)
            .toList());
  }

  /** Median calls per pass, NaN without a complete pass. */
  public double medianCalls() {
    return Percentiles.of(bursts.stream().map(b -> (double) b.calls()).toList()).p50();
  }

  /** Median entries read per pass, NaN without a complete pass. */
  public double medianEntries() {
    return Percentiles.of(bursts.stream().map(b -> (double) b.entries()).toList()).p50();
  }

  /** Median entries per pass the contender had not created, NaN without a complete pass. */
  public double medianNotOwn() {
    return Percentiles.of(bursts.stream().map(b -> (double) b.notOwn()).toList()).p50();
  }

  /** Median time per pass's reads (first call's start to last call's end), in ms. */
  public double medianMillis() {
    return Percentiles.of(bursts.stream().map(Burst::millis).toList()).p50();
  }
}
