package org.spireoperator.bench.scenarios;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.bench.measure.Clock;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireClient;

/**
 * Entries that belong to someone else, preloaded for the scale run: node entries of other clusters (children of the
 * server, like ours, under {@code spire-k8s-registrar/<other cluster>/node/}), pod entries under those nodes (the
 * very selectors our pods would have, in namespace {@code bench} too), and entries under agents of another attestor.
 */
final class ForeignEntries {

  private static final Logger LOG = LoggerFactory.getLogger(ForeignEntries.class);
  private static final int CLUSTERS = 20;
  private static final int NODES_PER_CLUSTER = 250;
  private static final int BATCH = 500;
  private static final int STREAMS = 2;

  private ForeignEntries() {
  }

  /** Creates {@code total} foreign entries straight into the server; returns their IDs. */
  static Set<String> preload(SpireClient spire, String td, int total) {
    int nodes = Math.min(total / 20, CLUSTERS * NODES_PER_CLUSTER);
    List<Entry> all = new ArrayList<>(total);
    for (int i = 0; i < nodes; i++) {
      String cluster = "other-" + (i % CLUSTERS);
      String node = "fnode-" + i;
      all.add(Entry.of(foreignNode(td, cluster, node), SpiffeId.server(td), List.of(
          new Selector("k8s_psat", "cluster:" + cluster), new Selector("k8s_psat", "agent_node_name:" + node))));
    }
    for (int i = 0; all.size() < total; i++) {
      String cluster = "other-" + (i % CLUSTERS);
      if (i % 10 == 9) {
        all.add(Entry.of(SpiffeId.of(td, "legacy/app-" + i), SpiffeId.of(td, "spire/agent/join_token/t-" + (i % 997)),
            List.of(new Selector("unix", "uid:" + (1000 + i % 5000)), new Selector("unix", "gid:" + i))));
      } else {
        String node = "fnode-" + (nodes == 0 ? 0 : i % nodes);
        all.add(Entry.of(SpiffeId.of(td, "ns/bench/sa/sa-" + (i % 10)), foreignNode(td, cluster, node), List.of(
            Selector.k8s("ns", "bench"), Selector.k8s("pod-name", "pod-" + i))));
      }
    }
    long t0 = Clock.now();
    Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(STREAMS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int s = 0; s < STREAMS; s++) {
        futures.add(pool.submit(() -> {
          for (int from = next.getAndAdd(BATCH); from < all.size(); from = next.getAndAdd(BATCH)) {
            for (EntryOutcome o : spire.createEntries(all.subList(from, Math.min(all.size(), from + BATCH)))) {
              if (o.entry() != null) {
                ids.add(o.entry().id());
              }
            }
            if (from % 50_000 < BATCH) {
              LOG.atInfo().addKeyValue("done", from).addKeyValue("of", all.size())
                  .addKeyValue("s", String.format("%.0f", Clock.secondsSince(t0))).log("preloading foreign entries");
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("preloading foreign entries failed: " + e.getMessage(), e);
    } finally {
      pool.shutdownNow();
    }
    LOG.atInfo().addKeyValue("entries", ids.size()).addKeyValue("s", String.format("%.0f", Clock.secondsSince(t0)))
        .log("foreign entries preloaded");
    return new HashSet<>(ids);
  }

  private static SpiffeId foreignNode(String td, String cluster, String node) {
    return SpiffeId.of(td, "spire-k8s-registrar/" + cluster + "/node/" + node);
  }
}
