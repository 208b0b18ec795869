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
import org.spireoperator.bench.measure.Jfr;
import org.spireoperator.bench.report.Environment;
import org.spireoperator.bench.report.Fmt;
import org.spireoperator.bench.report.RealReport;
import org.spireoperator.bench.report.ResultsFile;
import org.spireoperator.bench.report.Table;
import org.spireoperator.bench.scenarios.ContenderRun;
import org.spireoperator.bench.scenarios.ContenderScenario;
import org.spireoperator.bench.scenarios.EntryShape;
import org.spireoperator.bench.scenarios.InProcessBench;
import org.spireoperator.bench.scenarios.RawBaseline;
import org.spireoperator.bench.scenarios.ScenarioSettings;
import org.spireoperator.bench.scenarios.Size;
import org.spireoperator.bench.servers.PostgresServer;
import org.spireoperator.bench.servers.Servers;
import org.spireoperator.bench.servers.SpireDatastore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark harness (not a test): raw baselines, this operator (both entry shapes) and the Go
 * peers against real servers, the in-process RPC counts, and on request the scale run, the
 * idle-pass measurement and a flight recording of the live phase. Prints the tables and writes them
 * into RESULTS.md. Run by {@code scripts/bench.sh}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmarks the operator against a raw SPIRE client and peer registrars on real servers.")
public final class Bench implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(Bench.class);
  private static final List<String> SECTION_ORDER =
      List.of(
          "header",
          "full-run",
          "real-sqlite",
          "real-postgres",
          "real-sqlite-spread",
          "real-postgres-spread",
          "idle-sqlite",
          "idle-sqlite-foreign",
          "idle-postgres",
          "scale-sqlite",
          "scale-postgres",
          "profile",
          "inprocess",
          "analysis");

  @Option(
      names = "--smoke",
      description = "N=200, M=10, this operator only, quickly; writes --smoke-out instead of --out")
  boolean smoke;

  @Option(
      names = "--inprocess",
      description = "only the in-process RPC counts (mock API server + SPIRE test server)")
  boolean inprocessOnly;

  @Option(
      names = "--scale",
      description =
          "the scale run: --scale-size pods x nodes, --foreign entries preloaded, live, latency and"
              + " idle phases (default contenders ours-poduid,scm)")
  boolean scale;

  @Option(
      names = "--idle",
      description =
          "idle passes only: live converge, then idle passes on the same process (default sizes"
              + " 3000x150,10000x500, contenders ours-upstream,ours-poduid,scm); add --foreign")
  boolean idleOnly;

  @Option(
      names = "--profile",
      description =
          "flight-record this operator's live phase (jcmd JFR.start, settings=profile) and report"
              + " its hot spots; live phase only (default size 10000x500, both shapes)")
  boolean profile;

  @Option(
      names = "--foreign",
      description = "foreign entries preloaded (default 500000 with --scale, else 0)")
  Integer foreign;

  @Option(
      names = "--scale-size",
      defaultValue = "30000x1000",
      description = "pods x nodes for --scale")
  String scaleSize;

  @Option(names = "--sizes", split = ",", description = "pods x nodes (default 1000x50,10000x500)")
  List<String> sizes;

  @Option(
      names = "--namespaces",
      defaultValue = "1",
      description = "1: every pod in namespace bench; more: spread over that many (Zipf sizes)")
  int namespaces;

  @Option(
      names = "--contenders",
      split = ",",
      description =
          "ours-upstream (alias ours), ours-poduid, scm (spire-controller-manager), upstream"
              + " (k8s-workload-registrar); default all four")
  List<String> contenders;

  @Option(
      names = "--datastore",
      defaultValue = "sqlite",
      description = "spire-server's datastore: sqlite or postgres (scripts/postgres.sh)")
  String datastore;

  @Option(
      names = "--pg-data",
      description = "PostgreSQL data directory (e.g. under /dev/shm for tmpfs); default on disk")
  Path pgData;

  @Option(
      names = "--spire-version",
      description = "spire-server release for scripts/spire-server.sh (SPIRE_VERSION)")
  String spireVersion;

  @Option(
      names = "--raw-streams",
      defaultValue = "1",
      split = ",",
      description = "concurrent batches in the raw baseline (1 is what ratios use)")
  List<Integer> rawStreams;

  @Option(
      names = "--count-at-server",
      description =
          "read convergence from CountEntries polls every 200 ms (the method of the runs up to"
              + " git e289562; spire-server lists every entry to count them) instead of the"
              + " counting proxy")
  boolean countAtServer;

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
      names = "--memory-limit",
      defaultValue = "512m",
      description =
          "memory limit this operator's JVM is run as if under (-XX:MaxRAM; deploy/: 512Mi, its"
              + " heap 75 %% of it; the scale run uses 1g)")
  String memoryLimit;

  @Option(
      names = "--operator-jvm",
      split = " ",
      description =
          "further JVM options of this operator, after deploy/deployment.yaml's JAVA_TOOL_OPTIONS")
  List<String> operatorJvm;

  @Option(
      names = "--operator-cds",
      description =
          "class-data sharing archive of this operator's jar, dumped by scripts/bench.sh from"
              + " operator/src/main/cds/operator.classlist as scripts/image.sh dumps the image's:"
              + " this operator runs with -XX:SharedArchiveFile as the image's entrypoint does")
  Path operatorCds;

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

  @Option(names = "--command", description = "the command line, for the results")
  String command;

  public static void main(String[] args) {
    // A harness stopped early must not leave a contender running: it would keep writing through the
    // proxy socket of the next run (the servers are stopped by their scripts' next start).
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
    String loadBefore = Environment.loadAverage();
    Map<String, String> sections = new LinkedHashMap<>();
    Path target = repo.resolve(smoke ? smokeOut : out);
    SpireDatastore store = SpireDatastore.SQLITE;
    PostgresServer postgres = null;
    if (datastore.equals("postgres") && !inprocessOnly) {
      postgres = PostgresServer.start(repo, work.resolve("pg"), work.resolve("logs"), pgData);
      store = postgres;
    } else if (!datastore.equals("sqlite")) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--datastore must be sqlite or postgres");
    }
    try {
      String name;
      String body;
      if (inprocessOnly) {
        name = "inprocess";
        body = inProcess(1000, 10);
      } else if (scale) {
        name = "scale-" + store.key();
        body = scaleRun(store);
      } else if (idleOnly) {
        name = "idle-" + store.key() + (foreign() > 0 ? "-foreign" : "");
        body = idleRun(store);
      } else if (profile) {
        name = "profile";
        body = profileRun(store);
      } else {
        name = "real-" + store.key() + (namespaces > 1 ? "-spread" : "");
        body = realRun(store);
        if (!smoke) {
          sections.put("inprocess", runLine(t0, loadBefore) + inProcess(1000, 10));
        }
      }
      sections.put(name, runLine(t0, loadBefore) + body);
      sections.put("header", header(store));
    } finally {
      if (postgres != null) {
        postgres.close();
      }
    }
    ResultsFile.update(target, sections, SECTION_ORDER);
    System.out.println();
    sections.values().forEach(System.out::println);
    LOG.atInfo()
        .addKeyValue("file", target)
        .addKeyValue("minutes", String.format("%.1f", Clock.secondsSince(t0) / 60))
        .log("results written");
    return 0;
  }

  /** The first line of every section: how, when and for how long it was made, and the load. */
  private String runLine(long t0, String loadBefore) {
    return String.format(
        java.util.Locale.ROOT,
        "_Generated by `%s` at %s UTC in %.1f min; operator %s; load average (1/5/15 min) %s at"
            + " the start, %s at the end._\n\n",
        command == null ? "scripts/bench.sh" : command,
        ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")),
        Clock.secondsSince(t0) / 60,
        operatorVersion,
        loadBefore,
        Environment.loadAverage());
  }

  private int foreign() {
    return foreign != null ? foreign : scale ? 500_000 : 0;
  }

  // ------------------------------------------------------------------ real servers

  private List<Size> sizes(String defaults) {
    if (smoke) {
      return List.of(new Size(200, 10, 100, rate, namespaces));
    }
    List<String> given = sizes == null ? List.of(defaults.split(",")) : sizes;
    return given.stream()
        .map(
            s -> {
              String[] p = s.toLowerCase().split("x");
              return new Size(
                  Integer.parseInt(p[0].strip()),
                  Integer.parseInt(p[1].strip()),
                  latencyPods,
                  rate,
                  namespaces);
            })
        .toList();
  }

  private List<Contender> contenders(String defaults) throws IOException {
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
    String limitOfOurs = scale && memoryLimit.equals("512m") ? "1g" : memoryLimit;
    List<String> jvmOfOurs = new ArrayList<>();
    if (operatorCds != null) {
      jvmOfOurs.add("-XX:SharedArchiveFile=" + operatorCds.toAbsolutePath());
    }
    if (operatorJvm != null) {
      jvmOfOurs.addAll(operatorJvm);
    }
    List<Contender> out = new ArrayList<>();
    List<String> names = contenders == null ? List.of(defaults.split(",")) : contenders;
    for (String c : names) {
      switch (c.strip()) {
        case "ours", "ours-upstream" ->
            out.add(
                new ThisOperator(
                    repo, limitOfOurs, jvmOfOurs, operatorVersion, EntryShape.UPSTREAM));
        case "ours-poduid" ->
            out.add(
                new ThisOperator(
                    repo, limitOfOurs, jvmOfOurs, operatorVersion, EntryShape.POD_UID_UNDER_NODE));
        case "scm" -> out.add(GoPeer.controllerManager(repo, installed, why));
        case "upstream" -> out.add(GoPeer.upstreamRegistrar(repo, installed, why));
        default ->
            throw new CommandLine.ParameterException(
                new CommandLine(this), "unknown contender " + c);
      }
    }
    return out;
  }

  private Map<String, String> spireEnv() {
    return spireVersion == null ? Map.of() : Map.of("SPIRE_VERSION", spireVersion);
  }

  private ScenarioSettings settings(
      SpireDatastore store, boolean latency, boolean restart, boolean idle, Path jfrDir) {
    return new ScenarioSettings(
        repo,
        work,
        Duration.ofSeconds(60),
        Duration.ofSeconds(idleResync),
        foreign(),
        spireEnv(),
        store,
        latency,
        restart,
        idle,
        jfrDir,
        countAtServer);
  }

  private String realRun(SpireDatastore store) throws Exception {
    List<Size> sizes = sizes("1000x50,10000x500");
    List<Contender> all =
        contenders(smoke ? "ours-upstream" : "ours-upstream,ours-poduid,scm,upstream");
    List<RawBaseline.Result> raw = rawBaselines(store, sizes, all);
    // idle passes have their own run (--idle); the smoke checks them here (0 writes)
    ContenderScenario scenario = new ContenderScenario(settings(store, true, true, smoke, null));
    List<ContenderRun> runs = new ArrayList<>();
    for (Size size : sizes) {
      for (Contender c : all) {
        ContenderRun r = scenario.run(c, size);
        LOG.atInfo().log(RealReport.summary(r));
        runs.add(r);
      }
    }
    return "## Real servers: "
        + store.key()
        + (namespaces > 1 ? ", namespaces spread" : "")
        + "\n\n"
        + method(store)
        + new RealReport(raw, runs, sizes).markdown();
  }

  /** The raw baseline of every shape the contenders write, at every size. */
  private List<RawBaseline.Result> rawBaselines(
      SpireDatastore store, List<Size> sizes, List<Contender> all) throws Exception {
    List<EntryShape> shapes = all.stream().map(Contender::shape).distinct().sorted().toList();
    List<RawBaseline.Result> raw = new ArrayList<>();
    rawOnce(store, sizes.get(0), shapes.get(0), 1);
    for (Size size : sizes) {
      for (EntryShape shape : shapes) {
        for (int streams : rawStreams) {
          RawBaseline.Result best = null;
          for (int attempt = 0; attempt < 2; attempt++) {
            RawBaseline.Result r = rawOnce(store, size, shape, streams);
            best = best == null || r.seconds() < best.seconds() ? r : best;
          }
          raw.add(best);
        }
      }
    }
    return raw;
  }

  /** One raw baseline run on fresh servers (the first call also warms the harness's JVM up). */
  private RawBaseline.Result rawOnce(SpireDatastore store, Size size, EntryShape shape, int streams)
      throws Exception {
    try (Servers servers = Servers.startFresh(repo, work.resolve("srv"), spireEnv(), store)) {
      return RawBaseline.run(
          servers.spire(),
          servers.proxy(),
          Servers.TRUST_DOMAIN,
          Servers.CLUSTER,
          shape,
          size.pods(),
          size.nodes(),
          size.layout(),
          streams);
    }
  }

  /** How the harness tells that a contender converged, as the report says it. */
  private String convergeMethod() {
    return countAtServer
        ? "Converge: the harness polls `CountEntries` every 200 ms, straight to the server (which"
            + " answers by listing every entry, a load the raw baseline does not have)."
        : "Converge: entries created minus deleted by the contender's calls, read at the proxy"
            + " every 20 ms; the server is never polled (its `CountEntries` lists every entry, and"
            + " polling it would load the server beside the contender as the raw baseline is"
            + " not).";
  }

  private String method(SpireDatastore store) {
    return """
        How: for every contender and size, fresh servers (empty etcd, empty %s datastore), the \
        contender started as its own process, talking to spire-server through a counting gRPC proxy \
        on a unix socket (RPCs below are counted there, the same way for everyone; the harness's own \
        calls go straight to the server and are not counted). The harness creates Nodes and then \
        Pods (bound with `spec.nodeName`, no status: every contender registers a bound pod whatever \
        its phase) with 16 requests in flight. %s This operator \
        runs with the default settings (resync 60 s)%s. kube-apiserver runs without \
        controller-manager or scheduler. Idle passes: see their own section (`--idle`). \
        Datastore: %s.

        """
        .formatted(
            store.key(),
            convergeMethod(),
            smoke
                ? " in the live phase and with `resync_period = \""
                    + idleResync
                    + "s\"` after the"
                    + " restart, whose passes are then watched"
                : "",
            store.describe());
  }

  // ------------------------------------------------------------------ idle passes

  private String idleRun(SpireDatastore store) throws Exception {
    List<Size> sizes = sizes("3000x150,10000x500");
    List<Contender> all = contenders("ours-upstream,ours-poduid,scm");
    ContenderScenario scenario = new ContenderScenario(settings(store, false, false, true, null));
    List<ContenderRun> runs = new ArrayList<>();
    for (Size size : sizes) {
      for (Contender c : all) {
        ContenderRun r = scenario.run(c, size);
        LOG.atInfo().log(RealReport.summary(r));
        runs.add(r);
      }
    }
    String intro =
        """
        ## Idle passes: %s%s

        For every contender and size: fresh servers, the contender started, nodes and pods created \
        as in the live phase, and once it converged, its periodic passes watched on the same process \
        (this operator with `resync_period = "%ds"`, 3 passes; the peers for %d s). %s The figures \
        that compare: ListEntries calls per pass and the time a pass's reads take, both read at the \
        proxy the same way for everyone.

        """
            .formatted(
                store.key(),
                foreign() > 0 ? ", " + Fmt.count(foreign()) + " foreign entries" : "",
                idleResync,
                45,
                foreign() > 0
                    ? "Before the contender starts, "
                        + Fmt.count(foreign())
                        + " foreign entries are written into the stopped server's datastore (see"
                        + " the scale run), and the server runs with"
                        + " `experimental.events_based_cache = true`; converge is counted at the"
                        + " proxy."
                    : "");
    return intro + new RealReport(List.of(), runs, sizes).markdown();
  }

  // ------------------------------------------------------------------ profile

  private String profileRun(SpireDatastore store) throws Exception {
    List<Size> sizes = sizes("10000x500");
    List<Contender> all = contenders("ours-upstream,ours-poduid");
    Path jfrDir = repo.resolve("bench/target/jfr");
    Files.createDirectories(jfrDir);
    ContenderScenario scenario =
        new ContenderScenario(settings(store, false, false, false, jfrDir));
    StringBuilder b =
        new StringBuilder(
            """
            ## Profile of this operator's live phase

            The live phase as above (fresh servers, nodes then pods created as fast as the API \
            server takes them, until SPIRE holds every entry), with a flight recording of the \
            operator's JVM from the first create to convergence (`jcmd <pid> JFR.start \
            settings=profile`, then `JFR.dump`); below, where its CPU samples fall. Recordings: \
            `bench/target/jfr/` (open with JDK Mission Control or `jfr print`).

            """);
    for (Size size : sizes) {
      for (Contender c : all) {
        ContenderRun r = scenario.run(c, size);
        LOG.atInfo().log(RealReport.summary(r));
        b.append("### ").append(c.name()).append(", ").append(size.label()).append("\n\n");
        if (r.live() != null) {
          b.append("Live converge ")
              .append(Fmt.s(r.live().convergeSeconds()))
              .append("; CPU s operator / spire / kube ")
              .append(Fmt.num(r.live().cpuContender(), 1))
              .append(" / ")
              .append(Fmt.num(r.live().cpuSpire(), 1))
              .append(" / ")
              .append(Fmt.num(r.live().cpuKube(), 1))
              .append("; RPCs ")
              .append(r.live().rpcs().describe())
              .append(".\n\n");
        }
        b.append(
            r.profile() == null
                ? "(no recording: "
                    + (r.failure() == null ? r.unavailable() : r.failure())
                    + ")\n\n"
                : Jfr.hotSpots(Path.of(r.profile()), 15) + "\n");
      }
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ scale

  private String scaleRun(SpireDatastore store) throws Exception {
    String[] p = scaleSize.toLowerCase().split("x");
    Size size =
        new Size(Integer.parseInt(p[0]), Integer.parseInt(p[1]), latencyPods, rate, namespaces);
    ContenderScenario scenario = new ContenderScenario(settings(store, true, false, true, null));
    List<ContenderRun> runs = new ArrayList<>();
    for (Contender c : contenders("ours-poduid,scm")) {
      ContenderRun r = scenario.run(c, size);
      LOG.atInfo().log(RealReport.summary(r));
      runs.add(r);
    }
    String intro =
        """
        ## Scale run: %s

        %s, with %s foreign entries in spire-server before the contender starts: node entries of \
        20 other clusters under the server (so in the first listing of every full pass of ours), \
        their pod entries (1 in 100 in namespace `bench` with the very selectors upstream-shaped \
        pods of ours get, under another parent), entries under join-token agents. They are written \
        into the stopped server's datastore (through the API they take hours here: each new entry \
        is checked for a similar one by intersecting every entry that shares a selector with it), \
        and the server runs with `experimental.events_based_cache = true` (without it, it reloads \
        all entries every 5 s). Live and latency phases as above; the idle passes follow on the \
        same process (this operator: resync 60 s); no restart phase (it would write all N + M \
        entries again). Converge is read from the counting proxy (entries created minus deleted by \
        the contender's calls), not from `CountEntries`, which lists every entry (seconds of server \
        CPU per poll here). At the end every entry is listed: each pod must have exactly one entry \
        and every foreign entry ID must still be there. Datastore: %s.

        """
            .formatted(store.key(), size.label(), Fmt.count(foreign()), store.describe());
    return intro
        + new RealReport(List.of(), runs, List.of(size))
            .markdown()
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

  private String header(SpireDatastore store) {
    String version = spireVersion == null ? "v1.10.4" : spireVersion;
    String spire =
        Environment.firstLine(
            Path.of(
                    System.getProperty("user.home"),
                    ".cache/spire-operator/spire-" + version + "/bin/spire-server")
                .toString(),
            "--version");
    String kubeBin =
        Path.of(System.getProperty("user.home"), ".cache/spire-operator/kube-v1.34.4/bin")
            .toString();
    return """
        # Benchmark results

        Made by `scripts/bench.sh` (see its header for the flags). Each section below was produced \
        by one run, named in its first line, and is replaced by the next run of the same kind; the \
        analysis at the end is written by hand.

        ## Versions (of the latest run)

        - this operator: %s
        - spire-server: %s (datastore: %s; admin unix socket)
        - kube-apiserver: %s; etcd: %s (`--unsafe-no-fsync`)
        - peers: see the tables (versions from `scripts/peers-install.sh`)

        ## Machine

        %s
        """
        .formatted(
            operatorVersion,
            spire,
            store.describe(),
            Environment.firstLine(kubeBin + "/kube-apiserver", "--version"),
            Environment.firstLine(kubeBin + "/etcd", "--version"),
            Environment.machine());
  }
}
