package org.spireoperator.bench.servers;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real servers one scenario runs against: a fresh kube-apiserver (+ etcd), a fresh
 * spire-server, and the counting proxy in front of the spire-server's admin socket. Every scenario
 * starts from empty data, so each contender meets the same state.
 */
public final class Servers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Servers.class);

  public static final String TRUST_DOMAIN = "example.org";
  public static final String CLUSTER = "demo";

  private final KubeServer kube;
  private SpireServer spire;
  private final CountingProxy proxy;

  private Servers(KubeServer kube, SpireServer spire, CountingProxy proxy) {
    this.kube = kube;
    this.spire = spire;
    this.proxy = proxy;
  }

  /**
   * Starts both servers afresh under {@code workRoot} (kept short: it holds unix sockets), the
   * spire-server with {@code spireEnv} for {@code scripts/spire-server.sh} on {@code datastore}.
   */
  public static Servers startFresh(
      Path repoRoot,
      Path workRoot,
      java.util.Map<String, String> spireEnv,
      SpireDatastore datastore) {
    long t0 = System.nanoTime();
    Path logs = workRoot.resolve("logs");
    KubeServer kube = KubeServer.startFresh(repoRoot, workRoot.resolve("kube"), logs);
    SpireServer spire;
    try {
      spire =
          SpireServer.startFresh(
              repoRoot,
              workRoot.resolve("spire"),
              logs,
              TRUST_DOMAIN,
              CLUSTER,
              spireEnv,
              datastore);
    } catch (RuntimeException e) {
      kube.close();
      throw e;
    }
    CountingProxy proxy = CountingProxy.start(workRoot.resolve("proxy.sock"), spire.socket());
    LOG.atInfo()
        .addKeyValue("ms", (System.nanoTime() - t0) / 1_000_000)
        .log("fresh kube-apiserver and spire-server");
    return new Servers(kube, spire, proxy);
  }

  public KubeServer kube() {
    return kube;
  }

  public SpireServer spire() {
    return spire;
  }

  /**
   * Restarts the spire-server after {@code writer} changed its datastore file (see {@link
   * SpireServer#restartAfter}).
   */
  public void restartSpireAfter(java.util.function.Consumer<String> writer) {
    spire = spire.restartAfter(writer);
  }

  public CountingProxy proxy() {
    return proxy;
  }

  @Override
  public void close() {
    try {
      proxy.close();
    } finally {
      try {
        spire.close();
      } finally {
        kube.close();
      }
    }
  }
}
