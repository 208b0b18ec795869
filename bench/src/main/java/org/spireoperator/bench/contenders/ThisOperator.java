package org.spireoperator.bench.contenders;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.spireoperator.bench.measure.Clock;
import org.spireoperator.bench.scenarios.EntryShape;
import org.spireoperator.testing.Metrics;

/**
 * This operator: the packaged jar in its own JVM (deploy/'s JVM options, run as if under its memory
 * limit, GC log on), reconcile mode, k8s_psat node entries, default settings except the resync
 * period, the listeners and, for the cheap shape, {@code pod_entry_shape = "pod_uid"}.
 */
public final class ThisOperator implements Contender {

  private static final String CRD_NAME = "spiffeids.spiffeid.spiffe.io";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path jar;
  private final Path crd;
  private final String memoryLimit;
  private final List<String> deployedOptions;
  private final List<String> jvmOptions;
  private final String version;
  private final EntryShape shape;

  /**
   * @param memoryLimit the container memory limit the JVM is run as if under ({@code -XX:MaxRAM},
   *     e.g. {@code 512m} as deploy/ sets): with deploy/'s options it sizes the heap from it as in
   *     the container (75 % of it at most, 1/64 of it at first)
   * @param jvmOptions further JVM options, after deploy/'s
   * @param shape {@link EntryShape#UPSTREAM} (the default configuration) or {@link
   *     EntryShape#POD_UID_UNDER_NODE} ({@code pod_entry_shape = "pod_uid"})
   */
  public ThisOperator(
      Path repoRoot,
      String memoryLimit,
      List<String> jvmOptions,
      String version,
      EntryShape shape) {
    if (shape == EntryShape.POD_UID_UNDER_AGENT) {
      throw new IllegalArgumentException("this operator parents pod entries to node entries here");
    }
    this.jar = repoRoot.resolve("operator/target/operator-0.1.0-SNAPSHOT-all.jar");
    this.crd = repoRoot.resolve("crds/spiffeids.spiffeid.spiffe.io-v1.yml");
    this.memoryLimit = memoryLimit;
    this.deployedOptions = DeployedJvm.options(repoRoot);
    this.jvmOptions = List.copyOf(jvmOptions);
    this.version = version;
    this.shape = shape;
  }

  @Override
  public String name() {
    return shape == EntryShape.UPSTREAM
        ? "this operator (upstream shape)"
        : "this operator (pod_uid shape)";
  }

  @Override
  public String version() {
    return version + " (" + String.join(" ", jvmFlags()) + ")";
  }

  @Override
  public Optional<String> unavailable() {
    return Files.isRegularFile(jar)
        ? Optional.empty()
        : Optional.of(jar + " is missing: ./mvnw -B -q install -DskipTests -pl api-stubs,operator");
  }

  @Override
  public EntryShape shape() {
    return shape;
  }

  @Override
  public Duration idleWindow() {
    return Duration.ZERO;
  }

  @Override
  public String resyncNote(Duration configured) {
    return "resync_period = \"" + configured.toSeconds() + "s\"; 3 full passes (metrics)";
  }

  /**
   * Installs the SpiffeID CRD, as deploy/ does: the operator watches SpiffeID objects in every mode
   * (entries they own are never taken for pod entries) and stops when the resource type does not
   * exist.
   */
  private void installCrd(Path kubeconfig) throws IOException {
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        InputStream in = Files.newInputStream(crd)) {
      for (HasMetadata item : client.load(in).items()) {
        client.resource(item).fieldManager("bench").forceConflicts().serverSideApply();
      }
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(CRD_NAME)
          .waitUntilCondition(
              d ->
                  d != null
                      && d.getStatus() != null
                      && d.getStatus().getConditions() != null
                      && d.getStatus().getConditions().stream()
                          .anyMatch(
                              c ->
                                  c.getType().equals("Established")
                                      && c.getStatus().equals("True")),
              60,
              TimeUnit.SECONDS);
    }
  }

  @Override
  public RunningContender start(Launch launch) throws IOException {
    Files.createDirectories(launch.dir());
    installCrd(launch.kubeconfig());
    int health = freePort();
    int metrics = freePort();
    Path config = launch.dir().resolve(launch.label() + ".conf");
    Path appLog = launch.dir().resolve(launch.label() + ".log");
    Path gcLog = launch.dir().resolve(launch.label() + "-gc.log");
    Files.writeString(
        config,
        """
        log_level = "info"
        log_format = "text"
        log_path = "%s"
        mode = "reconcile"
        trust_domain = "%s"
        cluster = "%s"
        server_socket_path = "%s"
        node_attestor = "k8s_psat"
        resync_period = "%ds"
        health_addr = "127.0.0.1:%d"
        metrics_addr = "127.0.0.1:%d"
        leader_election = false
        %s
        """
            .formatted(
                appLog,
                launch.trustDomain(),
                launch.cluster(),
                launch.spireSocket(),
                launch.resyncPeriod().toSeconds(),
                health,
                metrics,
                shape == EntryShape.POD_UID_UNDER_NODE ? "pod_entry_shape = \"pod_uid\"" : ""));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags());
    command.addAll(
        List.of("-Xlog:gc:file=" + gcLog, "-jar", jar.toString(), "-config", config.toString()));
    ContenderProcess p =
        ContenderProcess.start(
            name(),
            command,
            Map.of(
                "KUBECONFIG",
                launch.kubeconfig().toString(),
                "POD_NAME",
                "bench-" + launch.label()),
            launch.dir().resolve(launch.label() + ".out"));
    return new Running(p, appLog, gcLog, health, metrics);
  }

  private List<String> jvmFlags() {
    List<String> flags = new ArrayList<>();
    flags.add("-XX:MaxRAM=" + memoryLimit);
    flags.addAll(deployedOptions);
    flags.addAll(jvmOptions);
    return flags;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Optional<HttpResponse<String>> get(int port, String path) {
    try {
      return Optional.of(
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private record Running(
      ContenderProcess process, Path appLog, Path gc, int healthPort, int metricsPort)
      implements RunningContender {

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public Path log() {
      return appLog;
    }

    @Override
    public void awaitReady(Duration timeout) {
      long deadline = Clock.now() + timeout.toNanos();
      while (Clock.now() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "the operator exited; see " + process.log() + " and " + appLog);
        }
        if (get(healthPort, "/readyz").map(r -> r.statusCode() == 200).orElse(false)
            && metrics().map(m -> m.fullPasses() >= 1).orElse(false)) {
          return;
        }
        Clock.sleep(Duration.ofMillis(100));
      }
      throw new IllegalStateException(
          "the operator was not ready (first full pass done) within "
              + timeout
              + "; see "
              + appLog);
    }

    @Override
    public Optional<Metrics> metrics() {
      return get(metricsPort, "/metrics")
          .filter(r -> r.statusCode() == 200)
          .map(r -> Metrics.parse(r.body()));
    }

    @Override
    public Optional<Path> gcLog() {
      return Optional.of(gc);
    }

    @Override
    public boolean isJvm() {
      return true;
    }

    @Override
    public boolean isAlive() {
      return process.isAlive();
    }

    @Override
    public void stop() {
      process.stop();
    }
  }
}
