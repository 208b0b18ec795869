package org.spireoperator.bench.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.spireoperator.spire.SpireAddress;
import org.spireoperator.spire.SpireCallObserver;
import org.spireoperator.spire.SpireChannels;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireClientSettings;
import org.spireoperator.testing.LogFiles;
import org.spireoperator.testing.Script;

/**
 * A real spire-server on loopback, run by {@code scripts/spire-server.sh} with an empty datastore
 * (every start wipes the previous one: the sqlite file with the work directory, a PostgreSQL
 * database by {@link SpireDatastore#reset}), and a {@link SpireClient} straight to its admin socket
 * for the harness's own reads (not counted: contenders talk to the server through a {@link
 * CountingProxy}).
 */
public final class SpireServer implements AutoCloseable {

  private final Script script;
  private final String trustDomain;
  private final SpireDatastore datastore;
  private final Path workdir;
  private final Path socket;
  private final long pid;
  private final String version;
  private final SpireChannels.Connection connection;
  private final SpireClient client;

  private SpireServer(
      Script script,
      Path workdir,
      Path socket,
      long pid,
      String version,
      String trustDomain,
      SpireDatastore datastore,
      SpireChannels.Connection connection) {
    this.trustDomain = trustDomain;
    this.datastore = datastore;
    this.script = script;
    this.workdir = workdir;
    this.socket = socket;
    this.pid = pid;
    this.version = version;
    this.connection = connection;
    this.client =
        new SpireClient(
            connection.channel(),
            SpireClientSettings.defaults()
                .withTimeout(Duration.ofSeconds(60))
                .withPageSize(1000)
                .withRetries(3, Duration.ofMillis(200), Duration.ofSeconds(1)),
            SpireCallObserver.NONE);
  }

  /**
   * Stops whatever ran in {@code workdir}, wipes it, starts the server afresh.
   *
   * @param extraEnv more settings for {@code scripts/spire-server.sh} (e.g. {@code
   *     SPIRE_EVENTS_BASED_CACHE}, {@code SPIRE_VERSION})
   */
  public static SpireServer startFresh(
      Path repoRoot,
      Path workdir,
      Path logDir,
      String trustDomain,
      String cluster,
      Map<String, String> extraEnv,
      SpireDatastore datastore) {
    Map<String, String> settings = new java.util.HashMap<>(extraEnv);
    settings.putAll(datastore.serverEnvironment(extraEnv));
    settings.putAll(
        Map.of(
            "SPIRE_TRUST_DOMAIN",
            trustDomain,
            "SPIRE_K8S_CLUSTER",
            cluster,
            "SPIRE_LOG_LEVEL",
            "WARN"));
    Script script =
        new Script(
            repoRoot.resolve("scripts/spire-server.sh"),
            logDir.resolve("spire-server.sh.log"),
            Map.copyOf(settings));
    try {
      Files.createDirectories(workdir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    script.run("stop", workdir.toString());
    LogFiles.deleteRecursively(workdir);
    datastore.reset();
    return start(script, workdir, trustDomain, datastore);
  }

  private static SpireServer start(
      Script script, Path workdir, String trustDomain, SpireDatastore datastore) {
    Map<String, String> env = Script.exports(script.run("start", workdir.toString()));
    Path socket = Path.of(env.get("SPIRE_SERVER_SOCKET"));
    long pid = Long.parseLong(env.get("SPIRE_SERVER_PID"));
    String version = versionOf(Path.of(env.get("SPIRE_SERVER_BIN")));
    try {
      return new SpireServer(
          script,
          workdir,
          socket,
          pid,
          version,
          trustDomain,
          datastore,
          SpireChannels.open(new SpireAddress.Unix(socket), null, trustDomain));
    } catch (Exception e) {
      script.run("stop", workdir.toString());
      throw new IllegalStateException(
          "cannot connect to spire-server at " + socket + ": " + e.getMessage(), e);
    }
  }

  private static String versionOf(Path bin) {
    try {
      Process p = new ProcessBuilder(bin.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      p.waitFor();
      return out.isEmpty() ? "unknown" : out.lines().reduce((a, b) -> b).orElse(out);
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  public SpireClient client() {
    return client;
  }

  public Path socket() {
    return socket;
  }

  public long pid() {
    return pid;
  }

  public String version() {
    return version;
  }

  public Path workdir() {
    return workdir;
  }

  /** CPU seconds the datastore used outside spire-server (PostgreSQL's processes), or 0. */
  public double datastoreCpuSeconds() {
    return datastore.cpuSeconds();
  }

  public SpireDatastore datastore() {
    return datastore;
  }

  /**
   * Stops the server, lets {@code writer} change its datastore directly (given its JDBC URL), and
   * starts it again on the same data, socket and configuration. The returned server replaces this
   * one (closed).
   */
  public SpireServer restartAfter(java.util.function.Consumer<String> writer) {
    close();
    writer.accept(datastore.jdbcUrl(workdir));
    return start(script, workdir, trustDomain, datastore);
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (Exception e) {
      // the server is stopped next anyway
    }
    script.run("stop", workdir.toString());
  }
}
