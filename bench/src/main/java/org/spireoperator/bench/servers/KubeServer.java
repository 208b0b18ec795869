package org.spireoperator.bench.servers;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.spireoperator.testing.LogFiles;
import org.spireoperator.testing.Script;

/**
 * A real etcd + kube-apiserver on loopback, run by {@code scripts/kube-apiserver.sh} with an empty
 * data directory (every start wipes the previous one), and an admin client for the harness.
 */
public final class KubeServer implements AutoCloseable {

  private final Script script;
  private final Path workdir;
  private final Path kubeconfig;
  private final Path tokenKubeconfig;
  private final KubernetesClient admin;

  private KubeServer(
      Script script, Path workdir, Path kubeconfig, Path tokenKubeconfig, KubernetesClient admin) {
    this.script = script;
    this.workdir = workdir;
    this.kubeconfig = kubeconfig;
    this.tokenKubeconfig = tokenKubeconfig;
    this.admin = admin;
  }

  /** Stops whatever ran in {@code workdir}, wipes it, starts etcd + kube-apiserver afresh. */
  public static KubeServer startFresh(Path repoRoot, Path workdir, Path logDir) {
    Script script =
        new Script(
            repoRoot.resolve("scripts/kube-apiserver.sh"),
            logDir.resolve("kube-apiserver.sh.log"),
            Map.of(
                "KUBE_APISERVER_EXTRA_ARGS",
                "--max-requests-inflight=800 --max-mutating-requests-inflight=400"));
    try {
      Files.createDirectories(workdir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    script.run("stop", workdir.toString());
    LogFiles.deleteRecursively(workdir);
    script.run("start", workdir.toString());
    Map<String, String> env = Script.exports(script.run("env", workdir.toString()));
    Path kubeconfig = Path.of(env.get("KUBECONFIG"));
    try {
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      config.setRequestTimeout(60_000);
      config.setMaxConcurrentRequests(256);
      config.setMaxConcurrentRequestsPerHost(256);
      KubernetesClient admin = new KubernetesClientBuilder().withConfig(config).build();
      return new KubeServer(
          script, workdir, kubeconfig, Path.of(env.get("KUBE_TOKEN_KUBECONFIG")), admin);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public KubernetesClient admin() {
    return admin;
  }

  /** The admin kubeconfig of the harness (a client certificate). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /**
   * The kubeconfig every contender uses: a system:masters user (the benchmark does not measure
   * RBAC) authenticated by a bearer token, as a pod's service-account token is, not by a client
   * certificate (which a JVM client turns into a key store at start, 0.3 s of this operator's).
   */
  public Path contenderKubeconfig() {
    return tokenKubeconfig;
  }

  public long apiserverPid() {
    return pid("kube-apiserver");
  }

  public long etcdPid() {
    return pid("etcd");
  }

  private long pid(String name) {
    try {
      return Long.parseLong(
          Files.readString(workdir.resolve("run").resolve(name + ".pid")).strip());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    admin.close();
    script.run("stop", workdir.toString());
  }
}
