package org.spireoperator.bench.scenarios;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.bench.contenders.Contender;
import org.spireoperator.bench.contenders.Launch;
import org.spireoperator.bench.contenders.RunningContender;
import org.spireoperator.bench.load.Layout;
import org.spireoperator.bench.load.NodeRef;
import org.spireoperator.bench.load.PodRef;
import org.spireoperator.bench.load.Workload;
import org.spireoperator.bench.measure.Clock;
import org.spireoperator.bench.measure.EntryCount;
import org.spireoperator.bench.measure.GcLog;
import org.spireoperator.bench.measure.Jcmd;
import org.spireoperator.bench.measure.Jfr;
import org.spireoperator.bench.measure.Passes;
import org.spireoperator.bench.measure.Percentiles;
import org.spireoperator.bench.measure.PodEntryLatency;
import org.spireoperator.bench.measure.ProcStats;
import org.spireoperator.bench.scenarios.ContenderRun.Idle;
import org.spireoperator.bench.scenarios.ContenderRun.Latency;
import org.spireoperator.bench.scenarios.ContenderRun.Live;
import org.spireoperator.bench.scenarios.ContenderRun.Memory;
import org.spireoperator.bench.scenarios.ContenderRun.Restart;
import org.spireoperator.bench.servers.CountingProxy;
import org.spireoperator.bench.servers.CountingProxy.Counts;
import org.spireoperator.bench.servers.Servers;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryFilter;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.testing.LogFiles;
import org.spireoperator.testing.Metrics;

/**
 * One contender at one size, on fresh servers:
 *
 * <ol>
 *   <li>live: contender running against empty SPIRE and an empty cluster; M nodes then N pods
 *       created as fast as the API server takes them (in the size's namespaces); time until SPIRE
 *       holds every entry;
 *   <li>latency: fresh nodes, then pods at a steady rate, each pod's create → entry time;
 *   <li>restart: contender stopped, the steady-rate pods and nodes deleted, SPIRE emptied,
 *       contender started with a short resync: time from process start until the N + M entries are
 *       back (the raw baseline's entries);
 *   <li>idle: nothing changes for a few periodic passes: writes must be 0, reads are counted, and
 *       each pass's reads are timed at the proxy;
 *   <li>memory: GC log, jcmd after a full GC, /proc.
 * </ol>
 *
 * {@link ScenarioSettings} leaves phases out (e.g. live and idle only) and adds foreign entries,
 * another datastore or a flight recording of the live phase.
 */
public final class ContenderScenario {

  private static final Logger LOG = LoggerFactory.getLogger(ContenderScenario.class);
  private static final int CREATE_CONCURRENCY = 16;

  private final ScenarioSettings settings;

  public ContenderScenario(ScenarioSettings settings) {
    this.settings = settings;
  }

  public ContenderRun run(Contender c, Size size) {
    var reason = c.unavailable();
    if (reason.isPresent()) {
      LOG.atWarn()
          .addKeyValue("contender", c.name())
          .addKeyValue("reason", reason.get())
          .log("not available");
      return ContenderRun.unavailable(c.name(), c.version(), size, reason.get());
    }
    LOG.atInfo()
        .addKeyValue("contender", c.name())
        .addKeyValue("size", size.label())
        .log("scenario starts");
    Path dir = settings.workRoot().resolve("runs").resolve(slug(c.name()) + "-" + size.pods());
    LogFiles.deleteRecursively(dir);
    Map<String, String> spireEnv = new HashMap<>(settings.spireEnv());
    if (settings.foreignEntries() > 0) {
      spireEnv.put("SPIRE_EVENTS_BASED_CACHE", "true");
    }
    try (Servers servers =
            Servers.startFresh(
                settings.repoRoot(),
                settings.workRoot().resolve("srv"),
                spireEnv,
                settings.datastore());
        Workload workload = new Workload(servers.kube().admin(), CREATE_CONCURRENCY)) {
      Set<String> foreign = Set.of();
      if (settings.foreignEntries() > 0) {
        Set<String>[] written = new Set[1];
        servers.restartSpireAfter(
            db ->
                written[0] =
                    ForeignEntries.writeInto(db, Servers.TRUST_DOMAIN, settings.foreignEntries()));
        foreign = written[0];
        long inServer = EntryCount.ofServer(servers.spire().client()).now();
        LOG.atInfo()
            .addKeyValue("written", foreign.size())
            .addKeyValue("inServer", inServer)
            .log("spire-server restarted on the preloaded datastore");
        if (inServer != foreign.size()) {
          throw new IllegalStateException(
              "spire-server holds "
                  + inServer
                  + " entries after the preload, not "
                  + foreign.size());
        }
      }
      return new Run(c, size, servers, workload, dir, foreign).execute();
    }
  }

  private static String slug(String name) {
    return name.toLowerCase().replaceAll("[^a-z0-9]+", "-");
  }

  /** The state of one scenario run. */
  private final class Run {
    private final Contender c;
    private final Size size;
    private final Servers servers;
    private final Workload workload;
    private final Path dir;
    private final EntryCount count;
    private final long expected;

    /**
     * Entries counted by {@link #count} before the contender started (foreign ones in its scope).
     */
    private final long base;

    private final Set<String> foreign;
    private final Layout layout;
    private String profile;
    private List<NodeRef> latencyNodes = List.of();
    private List<PodRef> latencyPods = List.of();
    private boolean latencyPodsDeleted;
    private Live live;
    private Latency latency;
    private Restart restart;
    private Idle idle;
    private Memory memory = Memory.none();

    Run(Contender c, Size size, Servers servers, Workload workload, Path dir, Set<String> foreign) {
      this.foreign = foreign;
      this.c = c;
      this.size = size;
      this.servers = servers;
      this.workload = workload;
      this.dir = dir;
      this.expected = c.expectedEntries(size.pods(), size.nodes());
      this.layout = size.layout();
      this.base = foreign.size();
      // the scale run always counts at the proxy: a CountEntries over 500,000 entries takes seconds
      this.count =
          settings.countAtServer() && foreign.isEmpty()
              ? EntryCount.ofServer(servers.spire().client())
              : EntryCount.throughProxy(servers.proxy(), base);
      LOG.atInfo()
          .addKeyValue("method", count.asksServer() ? "CountEntries" : "proxy")
          .log("converge counted");
    }

    ContenderRun execute() {
      workload.createNamespaces(layout.namespaces());
      workload.warmUp(500);
      String failure = null;
      try {
        failure = livePhases();
        // A steady-rate pod the latency probe missed is a failed measurement, not a failed
        // contender: the restart is still measured and both are reported.
        if (live != null && live.converged() && settings.restart()) {
          failure = joined(failure, restartPhases());
        }
      } catch (Exception e) {
        LOG.atError().setCause(e).addKeyValue("contender", c.name()).log("scenario failed");
        failure = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      String check = check();
      LOG.atInfo()
          .addKeyValue("contender", c.name())
          .addKeyValue("size", size.label())
          .addKeyValue("check", check)
          .log("scenario done");
      return new ContenderRun(
          c.name(),
          c.version(),
          size,
          null,
          failure,
          expected,
          live,
          latency,
          restart,
          idle,
          memory,
          check,
          profile);
    }

    private static String joined(String first, String second) {
      if (first == null) {
        return second;
      }
      return second == null ? first : first + "; " + second;
    }

    private Launch launch(Duration resync, String label) {
      return new Launch(
          dir,
          servers.kube().contenderKubeconfig(),
          servers.proxy().socket(),
          Servers.TRUST_DOMAIN,
          Servers.CLUSTER,
          resync,
          label);
    }

    /** Live, latency and (without a restart) idle phases with the first process. */
    private String livePhases() throws Exception {
      try (RunningContender r = c.start(launch(settings.resyncOfLiveProcess(), "live"))) {
        r.awaitReady(Duration.ofMinutes(2 + settings.foreignEntries() / 100_000));
        live = live(r);
        if (!live.converged()) {
          memory = memory.merge(memory(r));
          return "did not converge: " + live.count() + " of " + expected + " entries";
        }
        if (settings.latency()) {
          latency = latency();
        }
        if (settings.idle() && !settings.restart() && (latency == null || latency.missing() == 0)) {
          idle = idle(r, settings.resyncOfIdleProcess());
        }
        memory = memory.merge(memory(r));
        return latency != null && latency.missing() > 0
            ? latency.missing() + " steady-rate pods never got an entry"
            : null;
      }
    }

    private Live live(RunningContender r) {
      Counts before = servers.proxy().snapshot();
      double[] cpu0 = cpu(r);
      boolean recording = settings.jfrDir() != null && r.isJvm();
      if (recording) {
        Jfr.start(r.pid());
      }
      long t0 = Clock.now();
      List<NodeRef> nodes = workload.createNodes("node", size.nodes());
      workload.createPods("pod", size.pods(), nodes, layout::namespaceOf);
      double created = Clock.secondsSince(t0);
      LOG.atInfo()
          .addKeyValue("contender", c.name())
          .addKeyValue("s", String.format("%.1f", created))
          .log("nodes and pods created");
      var outcome = count.awaitAtLeast(base + expected, convergeTimeout(), c.name() + " live");
      Counts rpcs = servers.proxy().snapshot().since(before);
      double[] cpu1 = cpu(r);
      if (recording) {
        Path file = settings.jfrDir().resolve(slug(c.name()) + "-" + size.pods() + "-live.jfr");
        Jfr.stop(r.pid(), file);
        profile = file.toString();
        LOG.atInfo().addKeyValue("file", file).log("flight recording of the live phase");
      }
      double seconds = outcome.reached() ? Clock.seconds(t0, outcome.atNanos()) : Double.NaN;
      LOG.atInfo()
          .addKeyValue("contender", c.name())
          .addKeyValue("s", String.format("%.1f", seconds))
          .addKeyValue("rpcs", rpcs.describe())
          .log("live converge");
      return new Live(
          created,
          seconds,
          outcome.lastCount(),
          rpcs,
          cpu1[0] - cpu0[0],
          cpu1[1] - cpu0[1],
          cpu1[2] - cpu0[2]);
    }

    private Latency latency() {
      List<NodeRef> nodes = workload.createNodes("lat", size.latencyNodes());
      latencyNodes = nodes;
      long target = base + expected + (c.writesNodeEntries() ? nodes.size() : 0);
      count.awaitAtLeast(target, Duration.ofMinutes(2), c.name() + " latency nodes");
      Clock.sleep(Duration.ofSeconds(2));
      Counts before = servers.proxy().snapshot();
      int perNode = size.latencyPodsPerNode();
      try (PodEntryLatency probe = new PodEntryLatency(servers.proxy())) {
        latencyPods =
            workload.createAtRate(
                "lat",
                size.latencyPods(),
                size.ratePerSecond(),
                layout::steadyNamespaceOf,
                i -> nodes.get((i / perNode) % nodes.size()).name(),
                (pod, node, t) -> probe.announce(pod, t),
                probe::created);
        int missing = probe.awaitAll(Duration.ofSeconds(60));
        Counts rpcs = servers.proxy().snapshot().since(before);
        Percentiles p = Percentiles.of(probe.latenciesMs());
        LOG.atInfo()
            .addKeyValue("contender", c.name())
            .addKeyValue("p50", String.format("%.0f", p.p50()))
            .addKeyValue("p99", String.format("%.0f", p.p99()))
            .addKeyValue("missing", missing)
            .log("steady-rate latency");
        return new Latency(size.latencyPods(), size.ratePerSecond(), p, missing, rpcs);
      }
    }

    /**
     * Restart and idle phases with a second process, after the steady-rate pods and nodes are gone
     * again (so the restart writes the same N + M entries as the raw baseline); returns a failure
     * or null.
     */
    private String restartPhases() throws Exception {
      workload.delete(latencyPods, latencyNodes);
      latencyPodsDeleted = true;
      deleteAllEntriesExcept(servers.spire().client(), foreign);
      count.rebase(foreign.size());
      Counts before = servers.proxy().snapshot();
      servers.proxy().watchFirstCreate();
      double[] servers0 = serversCpu();
      long t0 = Clock.now();
      try (RunningContender r = c.start(launch(settings.resyncOfRestartProcess(), "restart"))) {
        long started = ProcStats.startNanos(r.pid(), t0);
        var outcome = count.awaitAtLeast(base + expected, convergeTimeout(), c.name() + " restart");
        Counts rpcs = servers.proxy().snapshot().since(before);
        double seconds = outcome.reached() ? Clock.seconds(started, outcome.atNanos()) : Double.NaN;
        double firstCreate =
            servers.proxy().firstCreateNanos().stream()
                .mapToDouble(at -> Clock.seconds(started, at))
                .findFirst()
                .orElse(Double.NaN);
        double cpuContender = ProcStats.cpuSeconds(r.pid());
        double[] servers1 = serversCpu();
        restart =
            new Restart(
                seconds,
                outcome.lastCount(),
                rpcs,
                cpuContender,
                servers1[0] - servers0[0],
                servers1[1] - servers0[1],
                firstCreate);
        LOG.atInfo()
            .addKeyValue("contender", c.name())
            .addKeyValue("s", String.format("%.1f", seconds))
            .addKeyValue("firstCreateS", String.format("%.1f", firstCreate))
            .addKeyValue("cpuContender", String.format("%.1f", restart.cpuContender()))
            .addKeyValue("cpuSpire", String.format("%.1f", restart.cpuSpire()))
            .addKeyValue("cpuKube", String.format("%.1f", restart.cpuKube()))
            .addKeyValue("rpcs", rpcs.describe())
            .log("restart converge");
        if (!outcome.reached()) {
          memory = memory.merge(memory(r));
          return "did not converge after restart: "
              + outcome.lastCount()
              + " of "
              + expected
              + " entries";
        }
        if (settings.idle()) {
          idle = idle(r, settings.idleResync());
        }
        memory = memory.merge(memory(r));
        return null;
      }
    }

    private Idle idle(RunningContender r, Duration resync) {
      if (r.metrics().isPresent()) {
        Duration timeout = resync.multipliedBy(4).plus(convergeTimeout());
        double atConvergence = r.metrics().map(Metrics::fullPasses).orElse(0.0);
        awaitMetric(r, m -> m.fullPasses() >= atConvergence + 1, timeout);
        Metrics m1 = r.metrics().orElseThrow();
        servers.proxy().recordTimings("ListEntries");
        servers.proxy().takeTimings();
        Counts before = servers.proxy().snapshot();
        long t0 = Clock.now();
        awaitMetric(r, m -> m.fullPasses() >= m1.fullPasses() + 3, timeout.multipliedBy(2));
        Metrics m2 = r.metrics().orElseThrow();
        Counts rpcs = servers.proxy().snapshot().since(before);
        // every pass in the window has ended (the metric counts finished passes)
        Passes passes = Passes.of(servers.proxy().takeTimings(), t0, Long.MAX_VALUE);
        servers.proxy().recordTimings(null);
        int n = (int) (m2.fullPasses() - m1.fullPasses());
        double passSeconds = (m2.fullPassSeconds() - m1.fullPassSeconds()) / n;
        double ownWrites = 0;
        for (String w : List.of("BatchCreateEntry", "BatchUpdateEntry", "BatchDeleteEntry")) {
          ownWrites += m2.rpcCalls(w) - m1.rpcCalls(w);
        }
        if (ownWrites != rpcs.writeCalls()) {
          LOG.atWarn()
              .addKeyValue("metrics", ownWrites)
              .addKeyValue("proxy", rpcs.writeCalls())
              .log("operator metrics and proxy disagree on idle writes");
        }
        return log(
            new Idle(c.resyncNote(resync), Clock.secondsSince(t0), n, rpcs, passSeconds, passes));
      }
      // no pass counter: watch until 3 complete passes were seen at the proxy (at least the
      // contender's idle window, at most 6 minutes: a pass over a big server takes long)
      Clock.sleep(Duration.ofSeconds(5));
      servers.proxy().recordTimings("ListEntries");
      servers.proxy().takeTimings();
      Counts before = servers.proxy().snapshot();
      long t0 = Clock.now();
      long minEnd = t0 + c.idleWindow().toNanos();
      long maxEnd = t0 + Duration.ofMinutes(6).toNanos();
      List<CountingProxy.Timing> seen = new ArrayList<>();
      Passes passes;
      while (true) {
        Clock.sleep(Duration.ofSeconds(1));
        seen.addAll(servers.proxy().takeTimings());
        long now = Clock.now();
        passes = Passes.of(seen, t0, now);
        if ((now >= minEnd && passes.bursts().size() >= 3) || now >= maxEnd) {
          break;
        }
      }
      Counts rpcs = servers.proxy().snapshot().since(before);
      servers.proxy().recordTimings(null);
      return log(
          new Idle(c.resyncNote(resync), Clock.secondsSince(t0), -1, rpcs, Double.NaN, passes));
    }

    private Idle log(Idle i) {
      LOG.atInfo()
          .addKeyValue("contender", c.name())
          .addKeyValue("s", String.format("%.1f", i.seconds()))
          .addKeyValue("passes", i.passes())
          .addKeyValue("readBursts", i.reads().bursts().size())
          .addKeyValue("callsPerPass", i.reads().medianCalls())
          .addKeyValue("readMsPerPass", String.format("%.0f", i.reads().medianMillis()))
          .addKeyValue("rpcs", i.rpcs().describe())
          .log("idle window");
      return i;
    }

    private void awaitMetric(
        RunningContender r, java.util.function.Predicate<Metrics> condition, Duration timeout) {
      long deadline = Clock.now() + timeout.toNanos();
      while (Clock.now() < deadline) {
        if (r.metrics().filter(condition).isPresent()) {
          return;
        }
        if (!r.isAlive()) {
          throw new IllegalStateException(c.name() + " exited; see " + r.log());
        }
        Clock.sleep(Duration.ofMillis(100));
      }
      throw new IllegalStateException(c.name() + ": metric condition not met within " + timeout);
    }

    private Memory memory(RunningContender r) {
      long pid = r.pid();
      double rssPeak = ProcStats.peakRssMiB(pid);
      double rss = ProcStats.rssMiB(pid);
      if (!r.isJvm()) {
        return new Memory(Double.NaN, Double.NaN, Double.NaN, rssPeak, rss);
      }
      double retained = Jcmd.retainedHeapMiB(pid);
      java.nio.file.Path histogram = r.log().resolveSibling("heap-histogram.txt");
      if (Jcmd.writeHistogram(pid, histogram)) {
        LOG.atInfo()
            .addKeyValue("contender", c.name())
            .addKeyValue("file", histogram)
            .log("live objects by class, after the retained-heap GC");
      }
      GcLog gc =
          r.gcLog().map(GcLog::read).orElse(new GcLog(0, Double.NaN, Double.NaN, Double.NaN, 0));
      LOG.atInfo()
          .addKeyValue("contender", c.name())
          .addKeyValue("heapPeak", String.format("%.0f", gc.peakBeforeMiB()))
          .addKeyValue("retained", String.format("%.0f", retained))
          .addKeyValue("rssPeak", String.format("%.0f", rssPeak))
          .addKeyValue("gcPauses", gc.pauses())
          .log("memory");
      return new Memory(gc.peakBeforeMiB(), gc.maxAfterMiB(), retained, rssPeak, rss);
    }

    private double[] cpu(RunningContender r) {
      double[] servers = serversCpu();
      return new double[] {ProcStats.cpuSeconds(r.pid()), servers[0], servers[1]};
    }

    /** CPU seconds so far of spire-server (with its datastore) and of kube-apiserver with etcd. */
    private double[] serversCpu() {
      return new double[] {
        ProcStats.cpuSeconds(servers.spire().pid()) + servers.spire().datastoreCpuSeconds(),
        ProcStats.cpuSeconds(servers.kube().apiserverPid())
            + ProcStats.cpuSeconds(servers.kube().etcdPid())
      };
    }

    private Duration convergeTimeout() {
      int foreignEntries = settings.foreignEntries();
      return Duration.ofSeconds(
          120 + size.pods() / (foreignEntries > 0 ? 20 : 40) + foreignEntries / 2000);
    }

    /** Lists every entry: each pod of the benchmark must have exactly one. */
    private String check() {
      try {
        List<Entry> all = servers.spire().client().listEntries(EntryFilter.all());
        Map<String, Integer> perPod = new HashMap<>();
        int others = 0;
        int foreignFound = 0;
        Set<String> uidSelected = new HashSet<>();
        for (Entry e : all) {
          String pod = null;
          for (Selector s : e.selectors()) {
            if (s.type().equals("k8s") && s.value().startsWith("pod-name:")) {
              pod = s.value().substring(9);
            } else if (s.type().equals("k8s") && s.value().startsWith("pod-uid:") && pod == null) {
              pod = "uid:" + s.value().substring(8);
              uidSelected.add(pod);
            }
          }
          if (foreign.contains(e.id())) {
            foreignFound++;
            continue;
          }
          if (pod == null) {
            others++;
          } else {
            perPod.merge(pod, 1, Integer::sum);
          }
        }
        long dup = perPod.values().stream().filter(n -> n > 1).count();
        int wantedPods =
            live == null ? 0 : size.pods() + (latencyPodsDeleted ? 0 : latencyPods.size());
        String text =
            perPod.size()
                + " pods with an entry ("
                + wantedPods
                + " wanted), "
                + dup
                + " with more than one, "
                + others
                + " other entries"
                + (foreign.isEmpty()
                    ? ""
                    : ", " + foreignFound + " of " + foreign.size() + " foreign entries present");
        boolean ok = perPod.size() == wantedPods && dup == 0 && foreignFound == foreign.size();
        return (ok ? "ok: " : "MISMATCH: ") + text;
      } catch (RuntimeException e) {
        return "not checked: " + e.getMessage();
      }
    }
  }

  static void deleteAllEntriesExcept(SpireClient spire, Set<String> keep) {
    List<Entry> all = spire.listEntries(EntryFilter.all());
    List<String> ids = new ArrayList<>(all.size());
    all.stream().filter(e -> !keep.contains(e.id())).forEach(e -> ids.add(e.id()));
    for (int from = 0; from < ids.size(); from += 500) {
      spire.deleteEntries(ids.subList(from, Math.min(ids.size(), from + 500)));
    }
    LOG.atInfo().addKeyValue("deleted", ids.size()).log("SPIRE emptied");
  }
}
