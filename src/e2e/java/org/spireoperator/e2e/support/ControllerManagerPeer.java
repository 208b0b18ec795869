package org.spireoperator.e2e.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.testing.LogFiles;
import org.spireoperator.testing.Script;

/**
 * spire-controller-manager v0.6.4 as the benchmark builds it ({@code scripts/peers-install.sh}),
 * run here as a process outside any cluster: admin kubeconfig, the webhook off ({@code
 * ENABLE_WEBHOOKS=false}), the configuration file the test writes. Its CRDs come from its module in
 * the Go module cache, as {@code scripts/peers/spire-controller-manager.sh} installs them.
 */
public final class ControllerManagerPeer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerManagerPeer.class);
  public static final String VERSION = "v0.6.4";
  private static final List<String> CRDS =
      List.of("clusterspiffeids", "clusterfederatedtrustdomains", "clusterstaticentries");

  private final Path binary;
  private final Path config;
  private final Path adminKubeconfig;
  private final Path log;
  private Process process;

  private ControllerManagerPeer(Path binary, Path config, Path adminKubeconfig, Path log) {
    this.binary = binary;
    this.config = config;
    this.adminKubeconfig = adminKubeconfig;
    this.log = log;
  }

  /**
   * Builds it if needed (cached), installs its CRDs into the API server with the admin client.
   *
   * @param dir where its log goes
   */
  public static ControllerManagerPeer prepare(KubernetesClient admin, Path config, Path dir)
      throws IOException {
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
    installCrds(admin, dir);
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

  private static void installCrds(KubernetesClient admin, Path dir) throws IOException {
    Path module = moduleDir();
    for (String crd : CRDS) {
      Path file = module.resolve("config/crd/bases/spire.spiffe.io_" + crd + ".yaml");
      try (InputStream in = Files.newInputStream(file)) {
        for (HasMetadata item : admin.load(in).items()) {
          admin.resource(item).fieldManager("e2e-scm").forceConflicts().serverSideApply();
        }
      }
      admin
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd + ".spire.spiffe.io")
          .waitUntilCondition(
              c ->
                  c != null
                      && c.getStatus() != null
                      && c.getStatus().getConditions() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              x ->
                                  x.getType().equals("Established")
                                      && x.getStatus().equals("True")),
              60,
              TimeUnit.SECONDS);
    }
    LOG.atInfo().addKeyValue("module", module).log("spire-controller-manager CRDs installed");
  }

  /** Its module in the Go module cache (there since the build). */
  private static Path moduleDir() throws IOException {
    Process go =
        new ProcessBuilder("go", "env", "GOMODCACHE")
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    String cache = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    Path dir = Path.of(cache, "github.com/spiffe/spire-controller-manager@" + VERSION);
    if (!Files.isDirectory(dir.resolve("config/crd/bases"))) {
      throw new IllegalStateException("no spire-controller-manager module at " + dir);
    }
    return dir;
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

  @Override
  public void close() {
    stop();
  }
}
