package org.spireoperator.e2e.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.testing.LogFiles;
import org.spireoperator.testing.Metrics;

/**
 * One replica of the packaged operator ({@code java -jar operator-...-all.jar -config <file>}) as a
 * separate process, with its own config file, health and metrics ports, and a log file (stdout and
 * stderr) under target/. Authenticates to the API server with the kubeconfig given (the operator's
 * ServiceAccount token).
 */
public final class OperatorProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorProcess.class);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Path jar;
  private final Path configFile;
  private final Path kubeconfig;
  private final Path log;
  private final int healthPort;
  private final int metricsPort;
  private Process process;

  private OperatorProcess(
      String name,
      Path jar,
      Path configFile,
      Path kubeconfig,
      Path log,
      int healthPort,
      int metricsPort) {
    this.name = name;
    this.jar = jar;
    this.configFile = configFile;
    this.kubeconfig = kubeconfig;
    this.log = log;
    this.healthPort = healthPort;
    this.metricsPort = metricsPort;
  }

  /**
   * Writes the replica's config into {@code dir} and starts it.
   *
   * @param name also its leader election identity (POD_NAME)
   */
  public static OperatorProcess start(
      String name, Path jar, OperatorConfig config, Path kubeconfig, Path dir) throws IOException {
    return start(name, jar, config, "", kubeconfig, dir);
  }

  /**
   * Like {@link #start(String, Path, OperatorConfig, Path, Path)}, with {@code moreHcl} (further
   * keys or blocks, e.g. {@code cluster_spiffeids { ... }}) appended to the config file.
   */
  public static OperatorProcess start(
      String name, Path jar, OperatorConfig config, String moreHcl, Path kubeconfig, Path dir)
      throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "operator jar "
              + jar
              + " is missing: build it with "
              + "./mvnw -B -q install -DskipTests -pl api-stubs,operator (scripts/e2e.sh does)");
    }
    Files.createDirectories(dir);
    int health = freePort();
    int metrics = freePort();
    Path configFile = dir.resolve(name + ".conf");
    Files.writeString(configFile, config.hcl(health, metrics) + moreHcl);
    OperatorProcess p =
        new OperatorProcess(
            name, jar, configFile, kubeconfig, dir.resolve(name + ".log"), health, metrics);
    p.launch();
    return p;
  }

  /**
   * Starts a replica with a configuration file the test wrote (e.g. spire-controller-manager's),
   * whose listeners are on {@code healthPort} and {@code metricsPort}.
   */
  public static OperatorProcess startWithFile(
      String name,
      Path jar,
      Path configFile,
      Path kubeconfig,
      Path dir,
      int healthPort,
      int metricsPort)
      throws IOException {
    Files.createDirectories(dir);
    OperatorProcess p =
        new OperatorProcess(
            name, jar, configFile, kubeconfig, dir.resolve(name + ".log"), healthPort, metricsPort);
    p.launch();
    return p;
  }

  /** A free TCP port on the loopback interface. */
  public static int freeLoopbackPort() throws IOException {
    return freePort();
  }

  /** Starts the process again with the same config, ports and log file (appended). */
  public void restart() throws IOException {
    if (isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
    launch();
  }

  private void launch() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(jar.toString());
    command.add("-config");
    command.add(configFile.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("KUBERNETES_") || k.startsWith("SPIFFE_"));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("POD_NAME", name);
    Files.writeString(
        log,
        "==== starting " + String.join(" ", command) + "\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    process = builder.start();
    LOG.atInfo()
        .addKeyValue("replica", name)
        .addKeyValue("pid", process.pid())
        .addKeyValue("health", healthPort)
        .addKeyValue("metrics", metricsPort)
        .addKeyValue("log", log)
        .log("operator started");
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The exit code once the process has ended by itself or been stopped; empty while it runs. */
  public java.util.OptionalInt exitCode() {
    return process == null || process.isAlive()
        ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(process.exitValue());
  }

  /** Every line of its log so far (stdout and stderr of every start). */
  public List<String> logLines() {
    try {
      return new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8)
          .lines()
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + log, e);
    }
  }

  /** True when /readyz answers 200; throws if the process has exited (with the log tail). */
  public boolean isReady() {
    requireAlive();
    return get(healthPort, "/readyz").map(r -> r.statusCode() == 200).orElse(false);
  }

  /** A scrape of /metrics; throws if the process has exited or the endpoint does not answer. */
  public Metrics metrics() {
    requireAlive();
    HttpResponse<String> r =
        get(metricsPort, "/metrics")
            .orElseThrow(() -> new NotAnswering(name + ": /metrics did not answer (yet)"));
    if (r.statusCode() != 200) {
      throw new NotAnswering(name + ": /metrics answered " + r.statusCode());
    }
    return Metrics.parse(r.body());
  }

  /**
   * Graceful stop: SIGTERM, then waits for the shutdown hook to finish; killed after 30 s.
   *
   * @return true if the process exited by itself, false if it had to be killed (or was not running)
   */
  public boolean stop() {
    if (process == null || !process.isAlive()) {
      return false;
    }
    process.destroy();
    try {
      if (process.waitFor(30, TimeUnit.SECONDS)) {
        LOG.atInfo()
            .addKeyValue("replica", name)
            .addKeyValue("exitCode", process.exitValue())
            .log("operator stopped");
        return true;
      }
      LOG.atWarn().addKeyValue("replica", name).log("operator ignored SIGTERM for 30 s; killing");
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** kill -9: no shutdown hook, no lease release. */
  public void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.atInfo().addKeyValue("replica", name).log("operator killed (SIGKILL)");
  }

  /** The last lines of its log, for failure messages. */
  public String logTail() {
    return LogFiles.tail(log, 60);
  }

  private void requireAlive() {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException(
          "operator "
              + name
              + " is not running (exit code "
              + (process == null ? "none" : process.exitValue())
              + "); log "
              + log
              + ":\n"
              + logTail());
    }
  }

  private static java.util.Optional<HttpResponse<String>> get(int port, String path) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(5))
              .GET()
              .build();
      return java.util.Optional.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * A running replica whose HTTP endpoint does not answer (yet): waits retry it, unlike a dead
   * process.
   */
  public static final class NotAnswering extends RuntimeException {
    NotAnswering(String message) {
      super(message);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
