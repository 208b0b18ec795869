package org.spireoperator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.bench.contenders.Contender;
import org.spireoperator.bench.contenders.GoPeer;
import org.spireoperator.bench.contenders.ThisOperator;
import org.spireoperator.bench.measure.Clock;
import org.spireoperator.bench.report.Environment;
import org.spireoperator.bench.report.Fmt;
import org.spireoperator.bench.report.RealReport;
import org.spireoperator.bench.report.ResultsFile;
import org.spireoperator.bench.report.Table;
import org.spireoperator.bench.scenarios.ContenderRun;
import org.spireoperator.bench.scenarios.ContenderScenario;
import org.spireoperator.bench.scenarios.InProcessBench;
import org.spireoperator.bench.scenarios.RawBaseline;
import org.spireoperator.bench.scenarios.Size;
import org.spireoperator.bench.servers.Servers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark harness (not a test): raw baseline, this operator and the Go peers against real
 * servers, the in-process RPC counts, and optionally the scale run. Prints the tables and writes
 * them into RESULTS.md. Run by {@code scripts/bench.sh}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmarks the operator against a raw SPIRE client and peer registrars on real servers.")
public final class Bench implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(Bench.class);
  private static final List<String> SECTION_ORDER =
      List.of("header", "real", "inprocess", "scale", "analysis");

  @Option(
      names = "--smoke",
      description = "N=200, M=10 only, quickly; writes --smoke-out instead of --out")
  boolean smoke;

  @Option(
      names = "--inprocess",
      description = "only the in-process RPC counts (mock API server + SPIRE test server)")
  boolean inprocessOnly;

  @Option(
      names = "--scale",
      description = "only the scale run (this operator, foreign entries preloaded)")
  boolean scale;

  @Option(names = "--foreign", defaultValue = "500000", description = "foreign entries for --scale")
  int foreign;

  @Option(
      names = "--scale-size",
      defaultValue = "30000x1000",
      description = "pods x nodes for --scale")
  String scaleSize;

  @Option(
      names = "--sizes",
      defaultValue = "1000x50,10000x500",
      split = ",",
      description = "pods x nodes")
  List<String> sizes;

  @Option(
      names = "--contenders",
      defaultValue = "ours,scm,upstream",
      split = ",",
      description = "ours, scm (spire-controller-manager), upstream (k8s-workload-registrar)")
  List<String> contenders;

  @Option(
      names = "--latency-pods",
      defaultValue = "1000",
      description = "pods created at the steady rate")
  int latencyPods;

  @Option(names = "--rate", defaultValue = "50", description = "steady rate, pods per second")
  double rate;

  @Option(
      names = "--idle-resync",
      defaultValue = "5",
      description = "operator resync period (s) for the idle phase")
  int idleResync;

  @Option(
      names = "--heap",
      defaultValue = "384m",
      description = "operator -Xmx (deploy/: 512Mi limit × 75 %)")
  String heap;

  @Option(names = "--repo", defaultValue = ".", description = "repository root")
  Path repo;

  @Option(
      names = "--work",
      defaultValue = "/tmp/spire-bench",
      description = "work directory (short: sockets)")
  Path work;

  @Option(names = "--out", defaultValue = "bench/RESULTS.md")
  Path out;

  @Option(names = "--smoke-out", defaultValue = "bench/target/RESULTS-smoke.md")
  Path smokeOut;

  @Option(
      names = "--peers",
      description = "output of scripts/peers-install.sh: <name> <version> <binary> lines")
  Path peersFile;

  @Option(
      names = "--peers-note",
      description = "why the peers could not be installed, if they could not")
  String peersNote;

  @Option(names = "--operator-version", defaultValue = "0.1.0-SNAPSHOT")
  String operatorVersion;

  public static void main(String[] args) {
    // A harness stopped early must not leave a contender running: it would keep writing through the
    // proxy socket of
    // the next run (the servers are stopped by their scripts' next start).
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly),
                "stop-contenders"));
    System.exit(new CommandLine(new Bench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    repo = repo.toAbsolutePath().normalize();
    Files.createDirectories(work);
    long t0 = Clock.now();
    Map<String, String> sections = new LinkedHashMap<>();
    Path target = repo.resolve(smoke ? smokeOut : out);
    String command =
        "scripts/bench.sh"
            + (smoke ? " --smoke" : "")
            + (inprocessOnly ? " --inprocess" : "")
            + (scale ? " --scale" : "");
    if (inprocessOnly) {
      sections.put("inprocess", inProcess(1000, 10));
    } else if (scale) {
      sections.put("scale", scaleRun());
    } else {
      sections.put("real", realRun());
      sections.put("inprocess", inProcess(smoke ? 200 : 1000, 10));
    }
    sections.put("header", header(command, Clock.secondsSince(t0)));
    ResultsFile.update(target, sections, SECTION_ORDER);
    System.out.println();
    SECTION_ORDER.stream()
        .filter(sections::containsKey)
        .forEach(name -> System.out.println(sections.get(name)));
    LOG.atInfo()
        .addKeyValue("file", target)
        .addKeyValue("minutes", String.format("%.1f", Clock.secondsSince(t0) / 60))
        .log("results written");
    return 0;
  }

  // ------------------------------------------------------------------ real servers

  private List<Size> sizes() {
    if (smoke) {
      return List.of(new Size(200, 10, 100, rate));
    }
    return sizes.stream()
        .map(
            s -> {
              String[] p = s.toLowerCase().split("x");
              return new Size(
                  Integer.parseInt(p[0].strip()),
                  Integer.parseInt(p[1].strip()),
                  latencyPods,
                  rate);
            })
        .toList();
  }

  private List<Contender> contenders() throws IOException {
    Map<String, String[]> installed = new LinkedHashMap<>();
    if (peersFile != null && Files.exists(peersFile)) {
      for (String line : Files.readAllLines(peersFile)) {
        String[] p = line.strip().split("\\s+");
        if (p.length == 3) {
          installed.put(p[0], new String[] {p[1], p[2]});
        }
      }
    }
    String why =
        peersNote != null && !peersNote.isBlank()
            ? peersNote
            : peersFile == null ? "scripts/peers-install.sh was not run (--peers not given)" : null;
    List<Contender> out = new ArrayList<>();
    for (String c : contenders) {
      switch (c.strip()) {
        case "ours" -> out.add(new ThisOperator(repo, heap, operatorVersion));
        case "scm" -> out.add(GoPeer.controllerManager(repo, installed, why));
        case "upstream" -> out.add(GoPeer.upstreamRegistrar(repo, installed, why));
        default ->
            throw new CommandLine.ParameterException(
                new CommandLine(this), "unknown contender " + c);
      }
    }
    return out;
  }

  private String realRun() throws Exception {
    List<Size> sizes = sizes();
    List<RawBaseline.Result> raw = new ArrayList<>();
    rawOnce(sizes.get(0), 1);
    for (Size size : sizes) {
      for (int streams : List.of(1, 2)) {
        RawBaseline.Result best = null;
        for (int attempt = 0; attempt < 2; attempt++) {
          RawBaseline.Result r = rawOnce(size, streams);
          best = best == null || r.seconds() < best.seconds() ? r : best;
        }
        raw.add(best);
      }
    }
    ContenderScenario scenario =
        new ContenderScenario(
            repo, work, Duration.ofSeconds(60), Duration.ofSeconds(idleResync), 0);
    List<ContenderRun> runs = new ArrayList<>();
    List<Contender> all = contenders();
    for (Size size : sizes) {
      for (Contender c : all) {
        ContenderRun r = scenario.run(c, size);
        LOG.atInfo().log(RealReport.summary(r));
        runs.add(r);
      }
    }
    return "## Real servers\n\n" + method() + new RealReport(raw, runs, sizes).markdown();
  }

  /** One raw baseline run on fresh servers (the first call also warms the harness's JVM up). */
  private RawBaseline.Result rawOnce(Size size, int streams) throws Exception {
    try (Servers servers = Servers.startFresh(repo, work.resolve("srv"))) {
      return RawBaseline.run(
          servers.spire(),
          servers.proxy(),
          Servers.TRUST_DOMAIN,
          Servers.CLUSTER,
          size.pods(),
          size.nodes(),
          streams);
    }
  }

  private String method() {
    return """
        How: for every contender and size, fresh servers (empty etcd, empty sqlite datastore), the contender started \
        as its own process, talking to spire-server through a counting gRPC proxy on a unix socket (RPCs below are \
        counted there, the same way for everyone; the harness's own polls go straight to the server and are not \
        counted). The harness creates Nodes and then Pods (bound with `spec.nodeName`, no status: every contender \
        registers a bound pod whatever its phase) with 16 requests in flight, and polls `CountEntries` every 200 ms. \
        This operator runs with the default settings (resync 60 s) in the live phase and with `resync_period = \
        "%ds"` after the restart. kube-apiserver runs without controller-manager or scheduler.

        """
        .formatted(idleResync);
  }

  // ------------------------------------------------------------------ scale

  private String scaleRun() throws Exception {
    String[] p = scaleSize.toLowerCase().split("x");
    Size size = new Size(Integer.parseInt(p[0]), Integer.parseInt(p[1]), latencyPods, rate);
    ContenderScenario scenario =
        new ContenderScenario(
            repo, work, Duration.ofSeconds(60), Duration.ofSeconds(idleResync), foreign);
    Contender ours = new ThisOperator(repo, heap, operatorVersion);
    ContenderRun r = scenario.run(ours, size);
    LOG.atInfo().log(RealReport.summary(r));
    String intro =
        """
        ## Scale run

        This operator only, %s, with %s foreign entries in spire-server before it starts: node entries of \
        20 other clusters under the server (so in the first listing of every full pass), their pod entries (1 in \
        100 in namespace `bench` with the very selectors our pods get, under another parent), entries under \
        join-token agents. They are written into the stopped server's sqlite datastore (through the API they take \
        hours here: spire-server 1.10 checks each new entry for a similar one by intersecting every entry that \
        shares a selector with it), and the server runs with `experimental.events_based_cache = true` (without it, \
        it reloads all entries every 5 s). Live and latency phases as above; the idle window follows on the same \
        process (resync 60 s); no restart phase (it would write all N + M entries again). Converge is read from \
        the counting proxy (entries created minus deleted by the operator's calls), not from `CountEntries`, which \
        on spire-server 1.10 lists every entry (seconds of server CPU per poll here). At the end every entry is \
        listed: each pod must have exactly one entry and every foreign entry ID must still be there.

        """
            .formatted(size.label(), Fmt.count(foreign));
    return intro
        + new RealReport(List.of(), List.of(r), List.of(size))
            .markdown()
            .replaceFirst("(?s)### Raw baseline.*?(?=### )", "")
            .lines()
            .filter(line -> !line.endsWith("| ? |"))
            .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
  }

  // ------------------------------------------------------------------ in-process

  private String inProcess(int pods, int nodes) {
    List<InProcessBench.Step> steps = InProcessBench.run(pods, nodes);
    Table t = new Table("step", "time", "RPCs", "write RPCs", "RPCs per change", "by method");
    for (InProcessBench.Step s : steps) {
      t.row(
          s.what(),
          Fmt.s(s.seconds()),
          s.totalCalls(),
          s.writeCalls(),
          s.changes() == 0 ? Fmt.NONE : Fmt.num((double) s.totalCalls() / s.changes(), 3),
          s.calls().isEmpty() ? "none" : s.calls().toString());
    }
    return """
        ## In-process RPC counts

        The operator's classes in the harness's JVM against fabric8's mock API server and the in-process SPIRE \
        test server (operator test-jar), which logs every call; %d pods on %d nodes, created and deleted one API \
        call at a time. Time includes the mock's own work; the RPC counts are the point.

        """
            .formatted(pods, nodes)
        + t.markdown();
  }

  // ------------------------------------------------------------------ header

  private String header(String command, double seconds) {
    String spire =
        Environment.firstLine(
            Path.of(
                    System.getProperty("user.home"),
                    ".cache/spire-operator/spire-v1.10.4/bin/spire-server")
                .toString(),
            "--version");
    String kubeBin =
        Path.of(System.getProperty("user.home"), ".cache/spire-operator/kube-v1.34.4/bin")
            .toString();
    return """
        # Benchmark results

        Generated by `%s` (%s UTC, %.1f min). Sections are replaced by the run that produces them: the default run \
        writes "Real servers" and "In-process RPC counts", `--scale` writes "Scale run".

        ## Versions

        - this operator: %s
        - spire-server: %s (sqlite3 datastore, unix socket)
        - kube-apiserver: %s; etcd: %s (`--unsafe-no-fsync`)
        - peers: see the tables (versions from `scripts/peers-install.sh`)

        ## Machine

        %s
        """
        .formatted(
            command,
            ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")),
            seconds / 60,
            operatorVersion,
            spire,
            Environment.firstLine(kubeBin + "/kube-apiserver", "--version"),
            Environment.firstLine(kubeBin + "/etcd", "--version"),
            Environment.machine());
  }
}
