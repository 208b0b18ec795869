package org.spireoperator.bench.scenarios;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.bench.load.Layout;
import org.spireoperator.bench.measure.Clock;
import org.spireoperator.bench.measure.ProcStats;
import org.spireoperator.bench.servers.CountingProxy;
import org.spireoperator.bench.servers.SpireServer;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.SpireAddress;
import org.spireoperator.spire.SpireCallObserver;
import org.spireoperator.spire.SpireChannels;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireClientSettings;

/**
 * The floor: a plain {@link SpireClient} writing the very entries a contender would write (its
 * {@link EntryShape}: M node entries if it has them, then N pod entries, in the same namespaces),
 * {@code BatchCreateEntry} with 50 entries per call, through the same counting proxy, into an empty
 * spire-server. No Kubernetes involved.
 */
public final class RawBaseline {

  private static final Logger LOG = LoggerFactory.getLogger(RawBaseline.class);
  public static final int BATCH = 50;

  /** One raw run. */
  public record Result(
      EntryShape shape,
      int pods,
      int nodes,
      int namespaces,
      int streams,
      int entries,
      double seconds,
      long calls,
      long failed,
      double spireCpuSeconds) {
    public double entriesPerSecond() {
      return entries / seconds;
    }
  }

  private RawBaseline() {}

  /**
   * Writes the entries of {@code shape} for {@code pods} pods laid out by {@code layout} on {@code
   * nodes} nodes, {@code streams} batches at a time.
   */
  public static Result run(
      SpireServer spire,
      CountingProxy proxy,
      String trustDomain,
      String cluster,
      EntryShape shape,
      int pods,
      int nodes,
      Layout layout,
      int streams)
      throws Exception {
    List<Entry> nodeEntries = shape.nodeEntries(trustDomain, cluster, nodes);
    List<Entry> podEntries = shape.podEntries(trustDomain, cluster, pods, nodes, layout);
    int entries = nodeEntries.size() + podEntries.size();
    try (SpireChannels.Connection c =
        SpireChannels.open(new SpireAddress.Unix(proxy.socket()), null, trustDomain)) {
      SpireClient client =
          new SpireClient(
              c.channel(),
              SpireClientSettings.defaults().withTimeout(Duration.ofSeconds(120)),
              SpireCallObserver.NONE);
      client.countEntries();
      var before = proxy.snapshot();
      double cpu0 = ProcStats.cpuSeconds(spire.pid()) + spire.datastoreCpuSeconds();
      long t0 = Clock.now();
      long failed = write(client, nodeEntries, streams) + write(client, podEntries, streams);
      double seconds = Clock.secondsSince(t0);
      double cpu = ProcStats.cpuSeconds(spire.pid()) + spire.datastoreCpuSeconds() - cpu0;
      var rpcs = proxy.snapshot().since(before);
      long stored = spire.client().countEntries();
      if (stored != entries) {
        throw new IllegalStateException(
            "raw baseline: the server holds " + stored + " entries, not " + entries);
      }
      Result r =
          new Result(
              shape,
              pods,
              nodes,
              layout.namespaces().size(),
              streams,
              entries,
              seconds,
              rpcs.calls("BatchCreateEntry"),
              failed,
              cpu);
      LOG.atInfo()
          .addKeyValue("shape", shape)
          .addKeyValue("entries", r.entries())
          .addKeyValue("streams", streams)
          .addKeyValue("s", String.format("%.2f", seconds))
          .log("raw baseline");
      return r;
    }
  }

  private static long write(SpireClient client, List<Entry> entries, int streams) throws Exception {
    List<List<Entry>> batches = new ArrayList<>();
    for (int from = 0; from < entries.size(); from += BATCH) {
      batches.add(entries.subList(from, Math.min(entries.size(), from + BATCH)));
    }
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(streams);
    try {
      List<Future<Long>> futures = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        futures.add(
            pool.submit(
                () -> {
                  long failed = 0;
                  for (int i = next.getAndIncrement();
                      i < batches.size();
                      i = next.getAndIncrement()) {
                    for (EntryOutcome o : client.createEntries(batches.get(i))) {
                      if (!o.succeeded()) {
                        failed++;
                      }
                    }
                  }
                  return failed;
                }));
      }
      long failed = 0;
      for (Future<Long> f : futures) {
        failed += f.get();
      }
      return failed;
    } finally {
      pool.shutdownNow();
    }
  }
}
