package org.spireoperator.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.testing.LogFiles;
import org.spireoperator.testing.Script;

/**
 * spire-controller-manager v0.6.4 as the benchmark builds it ({@code scripts/peers-install.sh},
 * cached after the first build), run here as a process outside any cluster: admin kubeconfig, the
 * webhook off ({@code ENABLE_WEBHOOKS=false}), no leader election, and a configuration file ({@code
 * kind: ControllerManagerConfig}) written from {@link Settings} as the SPIRE Helm chart renders it.
 * It uses the CRDs the cluster serves: the operator's, from {@code deploy/crds/} (spire-controller-
 * manager's schema with printer columns and status conditions added), which {@link RealKube}
 * installs for every test.
 */
public final class ControllerManagerPeer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerManagerPeer.class);
  public static final String VERSION = "v0.6.4";

  /** The path of the entry it creates and deletes to learn what the server supports. */
  public static final String PROBE_PATH_PREFIX = "/spire-controller-manager/";

  private final Path binary;
  private final Path config;
  private final Path adminKubeconfig;
  private final Path log;
  private Process process;

  /**
   * What differs between the tests' configurations.
   *
   * @param entryIdPrefix its {@code entryIDPrefix}: it owns only entries with IDs {@code
   *     <prefix>.*}
   * @param className its {@code className} ("" for none)
   * @param watchClassless its {@code watchClassless}
   */
  public record Settings(
      String trustDomain,
      String clusterName,
      Path spireServerSocket,
      String entryIdPrefix,
      String className,
      boolean watchClassless,
      int healthPort,
      int metricsPort) {

    /**
     * As the SPIRE Helm chart renders it, with these settings: garbage collection every second,
     * namespaces {@code kube-system} and {@code kube-public} ignored, cluster domain {@code
     * cluster.local}, the default parent ({@code k8s_psat} agent of the pod's node), all three
     * reconcilers on.
     */
    public String yaml() {
      List<String> lines = new ArrayList<>();
      lines.addAll(
          List.of(
              "apiVersion: spire.spiffe.io/v1alpha1",
              "kind: ControllerManagerConfig",
              "metadata:",
              "  name: spire-controller-manager",
              "metrics:",
              "  bindAddress: 127.0.0.1:" + metricsPort,
              "health:",
              "  healthProbeBindAddress: 127.0.0.1:" + healthPort,
              "gcInterval: 1e+9",
              "logLevel: debug",
              "logEncoding: console",
              "leaderElection:",
              "  leaderElect: false",
              "validatingWebhookConfigurationName: spire-controller-manager-webhook",
              "entryIDPrefix: " + entryIdPrefix,
              "clusterName: " + clusterName,
              "clusterDomain: cluster.local",
              "trustDomain: " + trustDomain,
              "ignoreNamespaces:",
              "  - kube-system",
              "  - kube-public",
              "spireServerSocketPath: \"" + spireServerSocket + "\"",
              "className: \"" + className + "\"",
              "watchClassless: " + watchClassless,
              "parentIDTemplate: \"spiffe://{{ .TrustDomain }}/spire/agent/k8s_psat/{{"
                  + " .ClusterName }}/{{ .NodeMeta.UID }}\"",
              "reconcile:",
              "  clusterSPIFFEIDs: true",
              "  clusterStaticEntries: true",
              "  clusterFederatedTrustDomains: true",
              ""));
      return String.join("\n", lines);
    }
  }

  private ControllerManagerPeer(Path binary, Path config, Path adminKubeconfig, Path log) {
    this.binary = binary;
    this.config = config;
    this.adminKubeconfig = adminKubeconfig;
    this.log = log;
  }

  /**
   * Builds it if needed (cached) and writes its configuration file; does not start it.
   *
   * @param dir where its configuration file and log go
   */
  public static ControllerManagerPeer prepare(Settings settings, Path dir) throws IOException {
    Path repo = E2eSettings.repoRoot();
    Path logs = dir.resolve("logs");
    Files.createDirectories(logs);
    String installed =
        new Script(
                repo.resolve("scripts/peers-install.sh"),
                logs.resolve("peers-install.log"),
                Map.of("PEER_SCM_VERSION", VERSION))
            .run("spire-controller-manager")
            .strip();
    String[] words = installed.lines().reduce((a, b) -> b).orElse("").split(" ");
    if (words.length != 3 || !Files.isExecutable(Path.of(words[2]))) {
      throw new IllegalStateException(
          "scripts/peers-install.sh printed no spire-controller-manager binary: " + installed);
    }
    Path config = dir.resolve("controller-manager-config.yaml");
    Files.writeString(config, settings.yaml());
    Map<String, String> kube =
        Script.exports(
            new Script(
                    repo.resolve("scripts/kube-apiserver.sh"),
                    logs.resolve("kube-apiserver-env.log"),
                    Map.of())
                .run("env", E2eSettings.workRoot().resolve("kube").toString()));
    return new ControllerManagerPeer(
        Path.of(words[2]),
        config,
        Path.of(kube.get("KUBECONFIG")),
        dir.resolve("spire-controller-manager.log"));
  }

  /** Its configuration file (the operator reads the same file in mode controller_manager). */
  public Path config() {
    return config;
  }

  /** Starts it and waits until its Pod controller runs (it logs "Starting workers"). */
  public void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("spire-controller-manager is running");
    }
    long offset = Files.exists(log) ? Files.size(log) : 0;
    ProcessBuilder builder =
        new ProcessBuilder(binary.toString(), "-config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("KUBERNETES_"));
    builder.environment().put("KUBECONFIG", adminKubeconfig.toString());
    builder.environment().put("ENABLE_WEBHOOKS", "false");
    process = builder.start();
    LOG.atInfo().addKeyValue("pid", process.pid()).addKeyValue("log", log).log("started");
    Eventually.within(Duration.ofSeconds(60), "spire-controller-manager starts its workers")
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "spire-controller-manager exited; log " + log + ":\n" + LogFiles.tail(log, 40));
              }
              String text = Files.readString(log, StandardCharsets.UTF_8);
              return text.length() > offset
                  && text.substring((int) offset)
                      .lines()
                      .anyMatch(l -> l.contains("Starting workers") && l.contains("\"pod\""));
            });
  }

  /** SIGTERM, then waits (killed after 30 s). */
  public void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.atInfo().log("stopped");
  }

  public Path log() {
    return log;
  }

  /** Lines of its log containing {@code text}. */
  public List<String> logLinesWith(String text) {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
          .filter(l -> l.contains(text))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log, e);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
