package org.spireoperator.bench.contenders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.spireoperator.bench.measure.Clock;
import org.spireoperator.bench.scenarios.EntryShape;
import org.spireoperator.testing.LogFiles;
import org.spireoperator.testing.Script;

/**
 * A peer registrar written in Go, run by the peers helper's {@code scripts/peers/<name>.sh
 * start|stop <workdir>} (environment: KUBECONFIG, SPIRE_SERVER_SOCKET, SPIRE_TRUST_DOMAIN,
 * PEER_CLUSTER; pid in {@code <workdir>/<name>.pid}, log in {@code <workdir>/<name>.log}). Built
 * beforehand by {@code scripts/peers-install.sh}, whose output (one line {@code <name> <version>
 * <binary>} per peer) names the versions.
 */
public final class GoPeer implements Contender {

  private final String name;
  private final String version;
  private final Path script;
  private final String unavailable;
  private final EntryShape shape;
  private final Duration idleWindow;
  private final String resync;

  private GoPeer(
      String name,
      String version,
      Path script,
      String unavailable,
      EntryShape shape,
      Duration idleWindow,
      String resync) {
    this.name = name;
    this.version = version;
    this.script = script;
    this.unavailable = unavailable;
    this.shape = shape;
    this.idleWindow = idleWindow;
    this.resync = resync;
  }

  /**
   * SPIRE's k8s-workload-registrar, reconcile mode: node entries {@code
   * spire-k8s-registrar/<cluster>/node/<node>}, pod entries under them; each of its two controllers
   * lists every entry every 10 s (not configurable).
   */
  public static GoPeer upstreamRegistrar(
      Path repoRoot, Map<String, String[]> installed, String whyMissing) {
    String n = "k8s-workload-registrar";
    return of(
        n,
        repoRoot,
        installed,
        whyMissing,
        EntryShape.UPSTREAM,
        Duration.ofSeconds(45),
        "fixed: each controller lists all entries every 10 s");
  }

  /**
   * spire-controller-manager with one ClusterSPIFFEID for every pod: pod entries parented to the
   * k8s_psat agent ID of the node (by UID), no node entries; a full reconciliation at least every
   * 10 s (gc interval).
   */
  public static GoPeer controllerManager(
      Path repoRoot, Map<String, String[]> installed, String whyMissing) {
    String n = "spire-controller-manager";
    return of(
        n,
        repoRoot,
        installed,
        whyMissing,
        EntryShape.POD_UID_UNDER_AGENT,
        Duration.ofSeconds(45),
        "gc interval 10 s (default): lists all entries");
  }

  private static GoPeer of(
      String name,
      Path repoRoot,
      Map<String, String[]> installed,
      String whyMissing,
      EntryShape shape,
      Duration idle,
      String resync) {
    Path script = repoRoot.resolve("scripts/peers").resolve(name + ".sh");
    String[] inst = installed.get(name);
    String reason = null;
    if (!Files.isExecutable(script)) {
      reason =
          "scripts/peers/"
              + name
              + ".sh is not in this checkout (the peers branch is not merged yet)";
    } else if (inst == null || !Files.isExecutable(Path.of(inst[1]))) {
      reason = whyMissing == null ? "not built by scripts/peers-install.sh" : whyMissing;
    }
    return new GoPeer(name, inst == null ? "?" : inst[0], script, reason, shape, idle, resync);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public Optional<String> unavailable() {
    return Optional.ofNullable(unavailable);
  }

  @Override
  public EntryShape shape() {
    return shape;
  }

  @Override
  public Duration idleWindow() {
    return idleWindow;
  }

  @Override
  public String resyncNote(Duration configured) {
    return resync;
  }

  @Override
  public RunningContender start(Launch launch) throws IOException {
    Path workdir = launch.dir().resolve(launch.label());
    LogFiles.deleteRecursively(workdir);
    Files.createDirectories(workdir);
    Script s =
        new Script(
            script,
            launch.dir().resolve(launch.label() + "-script.log"),
            Map.of(
                "KUBECONFIG", launch.kubeconfig().toString(),
                "SPIRE_SERVER_SOCKET", launch.spireSocket().toString(),
                "SPIRE_TRUST_DOMAIN", launch.trustDomain(),
                "PEER_CLUSTER", launch.cluster(),
                "PEER_LOG_LEVEL", "info"));
    s.run("start", workdir.toString());
    long pid = Long.parseLong(Files.readString(workdir.resolve(name + ".pid")).strip());
    return new Running(s, workdir, pid, workdir.resolve(name + ".log"));
  }

  private record Running(Script script, Path workdir, long pid, Path log)
      implements RunningContender {

    @Override
    public void awaitReady(Duration timeout) {
      // The script returns once the controllers run; give the first reconciliation a moment.
      Clock.sleep(Duration.ofSeconds(3));
      if (!isAlive()) {
        throw new IllegalStateException("peer exited; see " + log);
      }
    }

    @Override
    public Optional<org.spireoperator.testing.Metrics> metrics() {
      return Optional.empty();
    }

    @Override
    public Optional<Path> gcLog() {
      return Optional.empty();
    }

    @Override
    public boolean isJvm() {
      return false;
    }

    @Override
    public boolean isAlive() {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public void stop() {
      script.run("stop", workdir.toString());
    }
  }
}
