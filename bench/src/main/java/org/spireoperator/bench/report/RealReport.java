package org.spireoperator.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.spireoperator.bench.scenarios.ContenderRun;
import org.spireoperator.bench.scenarios.EntryShape;
import org.spireoperator.bench.scenarios.RawBaseline;
import org.spireoperator.bench.scenarios.Size;

/**
 * Markdown for the real-server runs: the raw baseline of every entry shape, per-size tables, each
 * contender's ratio to the raw baseline of its own shape and to each other, and the targets.
 */
public final class RealReport {

  public static final String OURS_UPSTREAM = "this operator (upstream shape)";
  public static final String OURS_POD_UID = "this operator (pod_uid shape)";
  public static final String UPSTREAM = "k8s-workload-registrar";
  public static final String SCM = "spire-controller-manager";

  /** The target ratio to the raw baseline of the same entries (issue 12). */
  private static final double RAW_TARGET = 1.15;

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
    if (!raw.isEmpty()) {
      b.append(rawSection());
    }
    for (Size size : sizes) {
      b.append(sizeSection(size));
    }
    b.append(targets());
    return b.toString();
  }

  private String rawSection() {
    StringBuilder b = new StringBuilder("### Raw baseline, per entry shape\n\n");
    b.append(
            "A plain `SpireClient` (the operator's own class) writes the very entries a contender ")
        .append(
            "writes (same SPIFFE IDs, parents, selectors, namespaces and style of entry ID; node ")
        .append("and pod UIDs random) with `BatchCreateEntry`, ")
        .append(RawBaseline.BATCH)
        .append(
            " entries per call (node entries first), through the counting proxy, into an empty ")
        .append("spire-server. Each figure is the better of two runs on fresh servers, after a ")
        .append("warm-up run. The shapes: ");
    List<String> shapes = new ArrayList<>();
    for (EntryShape s : EntryShape.values()) {
      shapes.add("**" + s.name() + "**: " + s.description() + " (" + users(s) + ")");
    }
    b.append(String.join("; ", shapes)).append(".\n\n");
    Table t =
        new Table(
            "shape",
            "entries (M + N)",
            "streams",
            "time",
            "entries/s",
            "BatchCreateEntry calls",
            "spire CPU s",
            "failed items");
    for (RawBaseline.Result r : raw) {
      t.row(
          r.shape().name(),
          (r.shape().nodeEntries() ? Fmt.count(r.nodes()) : "0")
              + " + "
              + Fmt.count(r.pods())
              + (r.namespaces() > 1 ? " in " + r.namespaces() + " namespaces" : ""),
          r.streams(),
          Fmt.s(r.seconds()),
          Fmt.num(r.entriesPerSecond(), 0),
          r.calls(),
          Fmt.num(r.spireCpuSeconds(), 1),
          r.failed());
    }
    return b.append(t.markdown()).append('\n').toString();
  }

  private static String users(EntryShape s) {
    return switch (s) {
      case UPSTREAM -> OURS_UPSTREAM + ", " + UPSTREAM + " (server-chosen IDs)";
      case POD_UID_UNDER_NODE -> OURS_POD_UID;
      case POD_UID_UNDER_AGENT -> SCM;
    };
  }

  private List<ContenderRun> at(Size size) {
    return runs.stream().filter(r -> r.size().equals(size)).toList();
  }

  private double rawSeconds(Size size, EntryShape shape) {
    return raw.stream()
        .filter(
            r ->
                r.pods() == size.pods()
                    && r.nodes() == size.nodes()
                    && r.namespaces() == size.namespaces()
                    && r.streams() == 1
                    && r.shape() == shape)
        .map(RawBaseline.Result::seconds)
        .findFirst()
        .orElse(Double.NaN);
  }

  private Optional<ContenderRun> run(String contender, Size size) {
    return runs.stream()
        .filter(r -> r.size().equals(size) && r.contender().equals(contender) && r.ran())
        .findFirst();
  }

  private static EntryShape shapeOf(String contender) {
    return switch (contender) {
      case OURS_POD_UID -> EntryShape.POD_UID_UNDER_NODE;
      case SCM -> EntryShape.POD_UID_UNDER_AGENT;
      default -> EntryShape.UPSTREAM;
    };
  }

  /** CPU seconds of the contender, spire-server and kube-apiserver with etcd, as one cell. */
  private static String cpu(double contender, double spire, double kube) {
    return Fmt.num(contender, 1) + " / " + Fmt.num(spire, 1) + " / " + Fmt.num(kube, 1);
  }

  private String sizeSection(Size size) {
    StringBuilder b = new StringBuilder();
    b.append("### ").append(size.label()).append("\n\n");
    b.append("Pods: ")
        .append(size.layout().describe())
        .append(". Expected entries: N pod entries, plus M node entries for the contenders that ")
        .append("write them. Ratios are to the raw baseline of the contender's own shape.\n\n");

    b.append(
        "**Converge** (live: contender running, objects created as fast as the API server takes"
            + " them, clock from the first create; restart: SPIRE emptied, every object present,"
            + " clock from process start; first write: its first BatchCreateEntry call at the"
            + " proxy)\n\n");
    Table c =
        new Table(
            "contender",
            "version",
            "shape",
            "create objects",
            "live converge",
            "live ÷ raw",
            "restart converge",
            "restart ÷ raw",
            "RPCs (live)",
            "CPU s contender / spire / kube (live)",
            "CPU s contender / spire / kube (restart)",
            "check");
    for (ContenderRun r : at(size)) {
      if (!r.ran()) {
        c.row(
            r.contender(),
            r.version(),
            shapeOf(r.contender()).name(),
            "not available: " + r.unavailable(),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "");
        continue;
      }
      double rawS = rawSeconds(size, shapeOf(r.contender()));
      var live = r.live();
      var restart = r.restart();
      c.row(
          r.contender(),
          r.version(),
          shapeOf(r.contender()).name(),
          live == null ? Fmt.NONE : Fmt.s(live.createSeconds()),
          live == null ? Fmt.NONE : converge(live.convergeSeconds(), live.count(), r.expected()),
          live == null ? Fmt.NONE : Fmt.ratio(live.convergeSeconds() / rawS),
          restart == null
              ? Fmt.NONE
              : converge(restart.seconds(), restart.count(), Long.MAX_VALUE)
                  + (Double.isNaN(restart.firstCreateSeconds())
                      ? ""
                      : " (first write " + Fmt.s(restart.firstCreateSeconds()) + ")"),
          restart == null ? Fmt.NONE : Fmt.ratio(restart.seconds() / rawS),
          live == null ? Fmt.NONE : live.rpcs().describe(),
          live == null ? Fmt.NONE : cpu(live.cpuContender(), live.cpuSpire(), live.cpuKube()),
          restart == null
              ? Fmt.NONE
              : cpu(restart.cpuContender(), restart.cpuSpire(), restart.cpuKube()),
          (r.failure() == null ? "" : "FAILED: " + r.failure() + "; ") + r.check());
    }
    b.append(c.markdown()).append('\n');

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
    if (!l.isEmpty()) {
      b.append(
          "**Pod-create → entry latency** at a steady rate (pods onto fresh nodes, half a second's"
              + " worth per node; from the start of the pod's create request to the successful"
              + " `BatchCreateEntry` answer for its entry passing the proxy)\n\n");
      b.append(l.markdown()).append('\n');
    }

    Table i =
        new Table(
            "contender",
            "periodic reconciliation",
            "window",
            "passes (own metric)",
            "write RPCs",
            "ListEntries calls per pass (proxy)",
            "reads per pass (proxy)",
            "entries read per pass: all / not its own (proxy)",
            "mean pass (own metric)",
            "all RPCs in the window");
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
          Fmt.num(idle.reads().medianCalls(), 0)
              + " (median of "
              + idle.reads().bursts().size()
              + ")",
          Fmt.ms(idle.reads().medianMillis()),
          Fmt.num(idle.reads().medianEntries(), 0)
              + " / "
              + Fmt.num(idle.reads().medianNotOwn(), 0),
          Double.isNaN(idle.passSeconds()) ? Fmt.NONE : Fmt.ms(idle.passSeconds() * 1000),
          idle.rpcs().describe());
    }
    if (!i.isEmpty()) {
      b.append(
          "**Idle passes** (nothing changes; on the process that converged last. A pass's reads"
              + " are its burst of `ListEntries` calls at the proxy, first call's start to last"
              + " call's end, the same measure for everyone; this operator's own metric adds the"
              + " diff after the reads)\n\n");
      b.append(i.markdown()).append('\n');
    }

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
    b.append(
        "**Memory** (heap: GC log over the contender's processes, retained = in use after `jcmd"
            + " GC.run` at the end with every pod present; RSS from /proc: VmHWM, VmRSS)\n\n");
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

  private static double liveS(ContenderRun r) {
    return r.live() == null ? Double.NaN : r.live().convergeSeconds();
  }

  private static double restartS(ContenderRun r) {
    return r.restart() == null ? Double.NaN : r.restart().seconds();
  }

  private String targets() {
    StringBuilder b = new StringBuilder("### Ratios and targets\n\n");
    Table t = new Table("target", "size", "figure", "met?");
    for (Size size : sizes) {
      for (String ours : List.of(OURS_POD_UID, OURS_UPSTREAM)) {
        Optional<ContenderRun> o = run(ours, size);
        if (o.isEmpty()) {
          continue;
        }
        double rawS = rawSeconds(size, shapeOf(ours));
        for (String phase : List.of("live", "restart")) {
          double s = phase.equals("live") ? liveS(o.get()) : restartS(o.get());
          if (phase.equals("restart") && o.get().restart() == null) {
            continue;
          }
          t.row(
              ours + ": converge ≤ " + RAW_TARGET + " × raw baseline of the same entries, " + phase,
              size.label(),
              Fmt.ratio(s / rawS) + " (" + Fmt.s(s) + " vs " + Fmt.s(rawS) + ")",
              met(s / rawS <= RAW_TARGET, s / rawS));
        }
        compare(t, size, ours, SCM, "ahead of " + SCM + " (ours ÷ theirs < 1)", 1.0, true);
        if (ours.equals(OURS_UPSTREAM)) {
          compare(
              t,
              size,
              ours,
              UPSTREAM,
              "≥ 2× faster than " + UPSTREAM + " (ours ÷ theirs ≤ 0.5)",
              0.5,
              false);
        }
        o.map(ContenderRun::latency)
            .ifPresent(
                lat ->
                    t.row(
                        ours + ": p99 pod→entry ≤ 500 ms at " + Fmt.num(lat.rate(), 0) + " pods/s",
                        size.label(),
                        Fmt.ms(lat.ms().p99()),
                        met(lat.ms().p99() <= 500, lat.ms().p99())));
        o.map(ContenderRun::idle)
            .ifPresent(
                idle ->
                    t.row(
                        ours + ": 0 write RPCs while idle",
                        size.label(),
                        idle.rpcs().writeCalls() + " writes over " + idle.passes() + " passes",
                        met(idle.rpcs().writeCalls() == 0, 0)));
        o.map(ContenderRun::idle)
            .ifPresent(
                idle ->
                    t.row(
                        ours + ": an idle pass reads no entry it did not create",
                        size.label(),
                        Fmt.num(idle.reads().medianNotOwn(), 0)
                            + " of "
                            + Fmt.num(idle.reads().medianEntries(), 0)
                            + " entries read",
                        met(idle.reads().medianNotOwn() == 0, 0)));
        Optional<ContenderRun> scm = run(SCM, size);
        if (o.get().idle() != null && scm.isPresent() && scm.get().idle() != null) {
          var ourReads = o.get().idle().reads();
          var theirReads = scm.get().idle().reads();
          t.row(
              ours + ": idle pass makes no more ListEntries calls than " + SCM + "'s",
              size.label(),
              Fmt.num(ourReads.medianCalls(), 0) + " vs " + Fmt.num(theirReads.medianCalls(), 0),
              met(
                  ourReads.medianCalls() <= theirReads.medianCalls(),
                  ourReads.medianCalls() / theirReads.medianCalls()));
          t.row(
              ours + ": idle pass reads take no longer than " + SCM + "'s",
              size.label(),
              Fmt.ms(ourReads.medianMillis()) + " vs " + Fmt.ms(theirReads.medianMillis()),
              met(
                  ourReads.medianMillis() <= theirReads.medianMillis(),
                  ourReads.medianMillis() / theirReads.medianMillis()));
        }
      }
      for (String peer : List.of(SCM, UPSTREAM)) {
        Optional<ContenderRun> p = run(peer, size);
        if (p.isEmpty()) {
          continue;
        }
        double rawS = rawSeconds(size, shapeOf(peer));
        t.row(
            peer + " (for comparison): live converge ÷ raw baseline of its entries",
            size.label(),
            Fmt.ratio(liveS(p.get()) / rawS)
                + " ("
                + Fmt.s(liveS(p.get()))
                + " vs "
                + Fmt.s(rawS)
                + ")",
            "–");
      }
    }
    b.append(t.markdown()).append('\n');
    return b.toString();
  }

  /** Rows "ours ÷ peer" for the live and restart phases, met when the ratio is within limit. */
  private void compare(
      Table t,
      Size size,
      String ours,
      String peer,
      String what,
      double limit,
      boolean strictlyBelow) {
    Optional<ContenderRun> o = run(ours, size);
    Optional<ContenderRun> p =
        runs.stream().filter(r -> r.size().equals(size) && r.contender().equals(peer)).findFirst();
    if (o.isEmpty() || p.isEmpty()) {
      return;
    }
    if (!p.get().ran()) {
      t.row(ours + ": " + what, size.label(), "peer not available: " + p.get().unavailable(), "?");
      return;
    }
    for (String phase : List.of("live", "restart")) {
      Function<ContenderRun, Double> f =
          phase.equals("live") ? RealReport::liveS : RealReport::restartS;
      if (phase.equals("restart") && (o.get().restart() == null || p.get().restart() == null)) {
        continue;
      }
      double ourS = f.apply(o.get());
      double peerS = f.apply(p.get());
      String figure;
      String ok;
      if (Double.isNaN(peerS) && !Double.isNaN(ourS)) {
        figure = "peer did not converge within the limit; ours " + Fmt.s(ourS);
        ok = "yes";
      } else {
        double ratio = ourS / peerS;
        figure = Fmt.ratio(ratio) + " (" + Fmt.s(ourS) + " vs " + Fmt.s(peerS) + ")";
        ok = met(strictlyBelow ? ratio < limit : ratio <= limit, ratio);
      }
      t.row(ours + ": " + what + ", " + phase, size.label(), figure, ok);
    }
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
      parts.add(
          "idle writes "
              + r.idle().rpcs().writeCalls()
              + ", "
              + Fmt.num(r.idle().reads().medianCalls(), 0)
              + " reads / "
              + Fmt.ms(r.idle().reads().medianMillis())
              + " per pass");
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
