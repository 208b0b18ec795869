package org.spireoperator.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.spireoperator.bench.scenarios.ContenderRun;
import org.spireoperator.bench.scenarios.RawBaseline;
import org.spireoperator.bench.scenarios.Size;

/** Markdown for the real-server runs: raw baseline, per-size tables, ratios and targets. */
public final class RealReport {

  public static final String OURS = "this operator";
  public static final String UPSTREAM = "k8s-workload-registrar";
  public static final String SCM = "spire-controller-manager";

  private final List<RawBaseline.Result> raw;
  private final List<ContenderRun> runs;
  private final List<Size> sizes;

  public RealReport(List<RawBaseline.Result> raw, List<ContenderRun> runs, List<Size> sizes) {
    this.raw = List.copyOf(raw);
    this.runs = List.copyOf(runs);
    this.sizes = List.copyOf(sizes);
  }

  public String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("### Raw baseline\n\n");
    b.append(
            "A plain `SpireClient` (the operator's own class) writes the same entries the operator writes "
                + "(M node entries, then N pod entries) with `BatchCreateEntry`, ")
        .append(RawBaseline.BATCH)
        .append(
            " entries per call, through the counting proxy, into an empty spire-server. "
                + "Each figure is the better of two runs on fresh servers, after a warm-up run; "
                + "\"1 stream\" is the baseline the ratios use.\n\n");
    Table t =
        new Table(
            "entries (M + N)",
            "streams",
            "time",
            "entries/s",
            "BatchCreateEntry calls",
            "failed items");
    for (RawBaseline.Result r : raw) {
      t.row(
          Fmt.count(r.nodes()) + " + " + Fmt.count(r.pods()),
          r.streams(),
          Fmt.s(r.seconds()),
          Fmt.num(r.entriesPerSecond(), 0),
          r.calls(),
          r.failed());
    }
    b.append(t.markdown()).append('\n');
    for (Size size : sizes) {
      b.append(sizeSection(size));
    }
    b.append(targets());
    return b.toString();
  }

  private List<ContenderRun> at(Size size) {
    return runs.stream().filter(r -> r.size().equals(size)).toList();
  }

  private Optional<RawBaseline.Result> rawAt(Size size, int streams) {
    return raw.stream()
        .filter(r -> r.pods() == size.pods() && r.nodes() == size.nodes() && r.streams() == streams)
        .findFirst();
  }

  private Optional<ContenderRun> run(String contender, Size size) {
    return runs.stream()
        .filter(r -> r.size().equals(size) && r.contender().equals(contender) && r.ran())
        .findFirst();
  }

  private String sizeSection(Size size) {
    StringBuilder b = new StringBuilder();
    double rawS = rawAt(size, 1).map(RawBaseline.Result::seconds).orElse(Double.NaN);
    b.append("### ").append(size.label()).append("\n\n");
    b.append(
            "Expected entries: N pod entries, plus M node entries for the contenders that write them. "
                + "Raw baseline (1 stream) for the same entries: ")
        .append(Fmt.s(rawS))
        .append(".\n\n");

    b.append(
        "**Converge** (live: contender running, objects created as fast as the API server takes them, clock "
            + "from the first create; restart: SPIRE emptied, every object present, clock from process start)\n\n");
    Table c =
        new Table(
            "contender",
            "version",
            "create objects",
            "live converge",
            "live ÷ raw",
            "restart converge",
            "restart ÷ raw",
            "RPCs (live)",
            "CPU s contender / spire / kube (live)",
            "check");
    for (ContenderRun r : at(size)) {
      if (!r.ran()) {
        c.row(
            r.contender(),
            r.version(),
            "not available: " + r.unavailable(),
            "",
            "",
            "",
            "",
            "",
            "",
            "");
        continue;
      }
      var live = r.live();
      var restart = r.restart();
      c.row(
          r.contender(),
          r.version(),
          live == null ? Fmt.NONE : Fmt.s(live.createSeconds()),
          live == null ? Fmt.NONE : converge(live.convergeSeconds(), live.count(), r.expected()),
          live == null ? Fmt.NONE : Fmt.ratio(live.convergeSeconds() / rawS),
          restart == null ? Fmt.NONE : converge(restart.seconds(), restart.count(), Long.MAX_VALUE),
          restart == null ? Fmt.NONE : Fmt.ratio(restart.seconds() / rawS),
          live == null ? Fmt.NONE : live.rpcs().describe(),
          live == null
              ? Fmt.NONE
              : Fmt.num(live.cpuContender(), 1)
                  + " / "
                  + Fmt.num(live.cpuSpire(), 1)
                  + " / "
                  + Fmt.num(live.cpuKube(), 1),
          (r.failure() == null ? "" : "FAILED: " + r.failure() + "; ") + r.check());
    }
    b.append(c.markdown()).append('\n');

    b.append(
        "**Pod-create → entry latency** at a steady rate (pods onto fresh nodes, half a second's worth per "
            + "node; from the start of the pod's create request to the successful `BatchCreateEntry` answer for its "
            + "entry passing the proxy)\n\n");
    Table l =
        new Table(
            "contender",
            "pods @ rate",
            "p50",
            "p90",
            "p99",
            "max",
            "missing",
            "RPCs per pod",
            "RPCs (phase)");
    for (ContenderRun r : at(size)) {
      if (r.latency() == null) {
        continue;
      }
      var lat = r.latency();
      l.row(
          r.contender(),
          lat.pods() + " @ " + Fmt.num(lat.rate(), 0) + "/s",
          Fmt.ms(lat.ms().p50()),
          Fmt.ms(lat.ms().p90()),
          Fmt.ms(lat.ms().p99()),
          Fmt.ms(lat.ms().max()),
          lat.missing(),
          Fmt.num((double) lat.rpcs().totalCalls() / lat.pods(), 2),
          lat.rpcs().describe());
    }
    b.append(l.isEmpty() ? "(no contender got that far)\n" : l.markdown()).append('\n');

    b.append("**Idle resync** (nothing changes; after the restart converged)\n\n");
    Table i =
        new Table(
            "contender",
            "periodic reconciliation",
            "window",
            "passes",
            "write RPCs",
            "ListEntries calls",
            "ListEntries time (proxy)",
            "mean pass",
            "all RPCs");
    for (ContenderRun r : at(size)) {
      if (r.idle() == null) {
        continue;
      }
      var idle = r.idle();
      i.row(
          r.contender(),
          idle.resync(),
          Fmt.s(idle.seconds()),
          idle.passes() < 0 ? Fmt.NONE : idle.passes(),
          idle.rpcs().writeCalls(),
          idle.rpcs().calls("ListEntries"),
          Fmt.ms(idle.rpcs().millis("ListEntries")),
          Double.isNaN(idle.passSeconds()) ? Fmt.NONE : Fmt.ms(idle.passSeconds() * 1000),
          idle.rpcs().describe());
    }
    b.append(i.isEmpty() ? "(no contender got that far)\n" : i.markdown()).append('\n');

    b.append(
        "**Memory** (heap: GC log over both processes, retained = in use after `jcmd GC.run`, measured at the "
            + "end with every pod present; RSS from /proc: VmHWM, VmRSS)\n\n");
    Table m =
        new Table(
            "contender",
            "heap peak",
            "max heap after GC",
            "retained heap",
            "RSS peak",
            "RSS at end");
    for (ContenderRun r : at(size)) {
      if (!r.ran()) {
        continue;
      }
      var mem = r.memory();
      m.row(
          r.contender(),
          Fmt.mib(mem.heapPeak()),
          Fmt.mib(mem.heapMaxAfter()),
          Fmt.mib(mem.heapRetained()),
          Fmt.mib(mem.rssPeak()),
          Fmt.mib(mem.rssEnd()));
    }
    b.append(m.isEmpty() ? "(none ran)\n" : m.markdown()).append('\n');
    return b.toString();
  }

  private static String converge(double seconds, long count, long expected) {
    if (!Double.isNaN(seconds)) {
      return Fmt.s(seconds);
    }
    return "not within the limit ("
        + Fmt.count(count)
        + (expected == Long.MAX_VALUE ? "" : " of " + Fmt.count(expected))
        + " entries)";
  }

  private String targets() {
    StringBuilder b = new StringBuilder("### Ratios and targets\n\n");
    Table t = new Table("target", "size", "figure", "met?");
    for (Size size : sizes) {
      double rawS = rawAt(size, 1).map(RawBaseline.Result::seconds).orElse(Double.NaN);
      Optional<ContenderRun> ours = run(OURS, size);
      double live =
          ours.map(ContenderRun::live).map(ContenderRun.Live::convergeSeconds).orElse(Double.NaN);
      double restart =
          ours.map(ContenderRun::restart).map(ContenderRun.Restart::seconds).orElse(Double.NaN);
      t.row(
          "converge ≤ 1.25 × raw baseline (live)",
          size.label(),
          Fmt.ratio(live / rawS) + " (" + Fmt.s(live) + " vs " + Fmt.s(rawS) + ")",
          met(live / rawS <= 1.25, live / rawS));
      t.row(
          "converge ≤ 1.25 × raw baseline (restart)",
          size.label(),
          Fmt.ratio(restart / rawS) + " (" + Fmt.s(restart) + " vs " + Fmt.s(rawS) + ")",
          met(restart / rawS <= 1.25, restart / rawS));
      for (String peer : List.of(SCM, UPSTREAM)) {
        double limit = peer.equals(SCM) ? 1.0 : 0.5;
        Optional<ContenderRun> p =
            runs.stream()
                .filter(r -> r.size().equals(size) && r.contender().equals(peer))
                .findFirst();
        String what =
            peer.equals(SCM)
                ? "ahead of " + SCM + " (ours ÷ peer < 1)"
                : "≥ 2× faster than " + UPSTREAM + " (ours ÷ peer ≤ 0.5)";
        if (p.isEmpty() || !p.get().ran()) {
          t.row(
              what,
              size.label(),
              "peer not available" + p.map(r -> ": " + r.unavailable()).orElse(""),
              "?");
          continue;
        }
        for (String phase : List.of("live", "restart")) {
          double oursS = phase.equals("live") ? live : restart;
          double peerS =
              phase.equals("live")
                  ? Optional.ofNullable(p.get().live())
                      .map(ContenderRun.Live::convergeSeconds)
                      .orElse(Double.NaN)
                  : Optional.ofNullable(p.get().restart())
                      .map(ContenderRun.Restart::seconds)
                      .orElse(Double.NaN);
          String figure;
          String ok;
          if (Double.isNaN(peerS) && !Double.isNaN(oursS)) {
            figure = "peer did not converge within the limit; ours " + Fmt.s(oursS);
            ok = "yes";
          } else {
            figure = Fmt.ratio(oursS / peerS) + " (" + Fmt.s(oursS) + " vs " + Fmt.s(peerS) + ")";
            double ratio = oursS / peerS;
            ok = met(limit == 1.0 ? ratio < 1 : ratio <= limit, ratio);
          }
          t.row(what + ", " + phase, size.label(), figure, ok);
        }
      }
      ours.map(ContenderRun::idle)
          .ifPresent(
              idle ->
                  t.row(
                      "0 write RPCs during idle resync",
                      size.label(),
                      idle.rpcs().writeCalls() + " writes over " + idle.passes() + " passes",
                      met(idle.rpcs().writeCalls() == 0, 0)));
      ours.map(ContenderRun::latency)
          .ifPresent(
              lat ->
                  t.row(
                      "p99 pod→entry ≤ 500 ms at " + Fmt.num(lat.rate(), 0) + " pods/s",
                      size.label(),
                      Fmt.ms(lat.ms().p99()),
                      met(lat.ms().p99() <= 500, lat.ms().p99())));
      if (size.pods() >= 10_000) {
        ours.map(ContenderRun::memory)
            .ifPresent(
                mem ->
                    t.row(
                        "retained heap ≤ 300 MiB at 10,000 pods",
                        size.label(),
                        Fmt.mib(mem.heapRetained()),
                        met(mem.heapRetained() <= 300, mem.heapRetained())));
      }
    }
    b.append(t.markdown()).append('\n');
    return b.toString();
  }

  private static String met(boolean ok, double value) {
    if (Double.isNaN(value)) {
      return "?";
    }
    return ok ? "yes" : "**no**";
  }

  /** One console line per run, for the log. */
  public static String summary(ContenderRun r) {
    if (!r.ran()) {
      return r.contender() + " @ " + r.size().label() + ": not available (" + r.unavailable() + ")";
    }
    List<String> parts = new ArrayList<>();
    if (r.live() != null) {
      parts.add("live " + Fmt.s(r.live().convergeSeconds()));
    }
    if (r.latency() != null) {
      parts.add(
          String.format(
              Locale.ROOT,
              "p50/p99 %s/%s",
              Fmt.ms(r.latency().ms().p50()),
              Fmt.ms(r.latency().ms().p99())));
    }
    if (r.restart() != null) {
      parts.add("restart " + Fmt.s(r.restart().seconds()));
    }
    if (r.idle() != null) {
      parts.add("idle writes " + r.idle().rpcs().writeCalls());
    }
    parts.add("retained " + Fmt.mib(r.memory().heapRetained()));
    return r.contender()
        + " @ "
        + r.size().label()
        + ": "
        + String.join(", ", parts)
        + (r.failure() == null ? "" : " FAILED " + r.failure());
  }
}
