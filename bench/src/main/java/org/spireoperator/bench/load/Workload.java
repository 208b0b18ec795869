package org.spireoperator.bench.load;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Writes Nodes and Pods the way a scheduler would leave them: pods already bound ({@code
 * spec.nodeName}), no kubelet, no status (every contender registers a bound pod whatever its
 * phase). Bulk creation runs with bounded concurrency, as fast as the API server takes it; steady
 * creation issues one create every {@code 1/rate} seconds.
 */
public final class Workload implements AutoCloseable {

  private final KubernetesClient client;
  private final int concurrency;
  private final ExecutorService pool;

  public Workload(KubernetesClient client, int concurrency) {
    this.client = client;
    this.concurrency = concurrency;
    this.pool =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "bench-create");
              t.setDaemon(true);
              return t;
            });
  }

  /** Creates the namespaces that do not exist yet. */
  public void createNamespaces(List<String> names) {
    bulk(
        names.size(),
        i -> {
          String name = names.get(i);
          if (client.namespaces().withName(name).get() == null) {
            withRetries(
                () ->
                    client
                        .namespaces()
                        .resource(
                            new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .endMetadata()
                                .build())
                        .create());
          }
          return name;
        });
  }

  /**
   * Warms the harness's client up (connections, TLS, JIT) on objects no contender watches: creates
   * {@code count} ConfigMaps in namespace {@code bench-warmup}.
   */
  public void warmUp(int count) {
    String ns = "bench-warmup";
    if (client.namespaces().withName(ns).get() == null) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    bulk(
        count,
        i ->
            client
                .configMaps()
                .inNamespace(ns)
                .resource(
                    new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("warm-" + i)
                        .endMetadata()
                        .addToData("k", "v")
                        .build())
                .create());
  }

  /**
   * Creates {@code count} nodes named {@code prefix-<i>}, {@code concurrency} requests at a time.
   */
  public List<NodeRef> createNodes(String prefix, int count) {
    return bulk(
        count,
        i -> {
          Node created =
              withRetries(
                  () ->
                      client
                          .nodes()
                          .resource(
                              new NodeBuilder()
                                  .withNewMetadata()
                                  .withName(prefix + "-" + i)
                                  .addToLabels("bench", "true")
                                  .endMetadata()
                                  .build())
                          .create());
          return new NodeRef(created.getMetadata().getName(), created.getMetadata().getUid());
        });
  }

  /**
   * Creates {@code count} pods {@code prefix-<i>}, pod i in {@code namespaceOf(i)} on {@code
   * nodes[i mod size]}, as fast as accepted.
   */
  public List<PodRef> createPods(
      String prefix, int count, List<NodeRef> nodes, IntFunction<String> namespaceOf) {
    return bulk(
        count,
        i ->
            createPod(
                prefix + "-" + i,
                namespaceOf.apply(i),
                nodes.get(i % nodes.size()).name(),
                (p, n, t) -> {}));
  }

  /** Told about a pod just before its create request is sent. */
  public interface BeforeCreate {
    void creating(String pod, String node, long startNanos);
  }

  /**
   * Creates {@code count} pods at a steady {@code perSecond}, pod i in {@code namespaceOf(i)} on
   * {@code nodeOf(i)}; tells {@code before} just before each create request and {@code created}
   * once the API server accepted it. Returns when every create was answered.
   */
  public List<PodRef> createAtRate(
      String prefix,
      int count,
      double perSecond,
      IntFunction<String> namespaceOf,
      IntFunction<String> nodeOf,
      BeforeCreate before,
      Consumer<PodRef> created) {
    long periodNanos = (long) (1e9 / perSecond);
    List<Future<PodRef>> futures = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    try {
      ticker.scheduleAtFixedRate(
          () -> {
            int i = next.getAndIncrement();
            if (i < count) {
              futures.add(
                  pool.submit(
                      () -> {
                        PodRef p =
                            createPod(
                                prefix + "-" + i, namespaceOf.apply(i), nodeOf.apply(i), before);
                        created.accept(p);
                        return p;
                      }));
            }
          },
          0,
          periodNanos,
          TimeUnit.NANOSECONDS);
      while (next.get() < count) {
        sleep(Duration.ofMillis(50));
      }
    } finally {
      ticker.shutdownNow();
    }
    List<PodRef> out = new ArrayList<>();
    synchronized (futures) {
      for (Future<PodRef> f : futures) {
        out.add(get(f));
      }
    }
    return out;
  }

  /** Deletes the given pods at once (grace period 0: no kubelet to confirm) and nodes. */
  public void delete(List<PodRef> pods, List<NodeRef> nodes) {
    bulk(
        pods.size(),
        i ->
            client
                .pods()
                .inNamespace(pods.get(i).namespace())
                .withName(pods.get(i).name())
                .withGracePeriod(0)
                .delete());
    bulk(nodes.size(), i -> client.nodes().withName(nodes.get(i).name()).delete());
  }

  private PodRef createPod(String name, String namespace, String node, BeforeCreate before) {
    long start = System.nanoTime();
    before.creating(name, node, start);
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .addToLabels("app", "bench")
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .withServiceAccountName(Layout.serviceAccountOf(name))
            .addNewContainer()
            .withName("app")
            .withImage("registry.example/app:1.0")
            .endContainer()
            .endSpec()
            .build();
    Pod created = withRetries(() -> client.pods().inNamespace(namespace).resource(pod).create());
    return new PodRef(name, namespace, created.getMetadata().getUid(), node, start);
  }

  private <T> List<T> bulk(int count, IntFunction<T> create) {
    AtomicInteger next = new AtomicInteger();
    List<Future<List<T>>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      workers.add(
          pool.submit(
              () -> {
                List<T> mine = new ArrayList<>();
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                  mine.add(create.apply(i));
                }
                return mine;
              }));
    }
    List<T> out = new ArrayList<>(count);
    for (Future<List<T>> f : workers) {
      out.addAll(get(f));
    }
    return out;
  }

  /** Retries what an overloaded API server answers (429, 5xx, timeouts) a few times. */
  private static <T> T withRetries(java.util.function.Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (KubernetesClientException e) {
        boolean transientError = e.getCode() == 429 || e.getCode() >= 500 || e.getCode() == 0;
        if (!transientError || attempt >= 5) {
          throw e;
        }
        sleep(Duration.ofMillis(100L * attempt));
      }
    }
  }

  private static <T> T get(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re
          ? re
          : new IllegalStateException(e.getCause());
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
