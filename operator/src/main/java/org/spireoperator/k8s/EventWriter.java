package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.reconcile.Diagnostics;
import org.spireoperator.registration.Diagnostic;
import org.spireoperator.registration.Subject;

/**
 * The one writer of Kubernetes Events: Warning Events on the Pod, Node or SpiffeID a {@link
 * Diagnostic} concerns. {@link #report} never blocks and never fails: each distinct (object,
 * reason, message) is logged and posted once (the last {@value #MEMORY} are remembered), posts go
 * through a bounded queue to one thread that sends at most {@value #PER_SECOND} a second, and what
 * does not fit is dropped and counted. A flood of bad pods can neither stall reconciliation nor
 * flood the API server.
 */
public final class EventWriter implements Diagnostics, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventWriter.class);
  static final int MEMORY = 10_000;
  static final int QUEUE = 1_000;
  static final int PER_SECOND = 20;

  private final KubernetesClient client;
  private final Function<Subject, ObjectReference> references;
  private final String component;
  private final String clusterScopedNamespace;
  private final Map<String, Boolean> told =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MEMORY;
        }
      };
  private final BlockingQueue<Diagnostic> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread poster;

  /**
   * @param references the object reference of a subject's object, or null if it is gone
   * @param clusterScopedNamespace namespace for Events about cluster-scoped objects (Nodes)
   */
  public EventWriter(
      KubernetesClient client,
      Function<Subject, ObjectReference> references,
      String component,
      String clusterScopedNamespace) {
    this.client = client;
    this.references = references;
    this.component = component;
    this.clusterScopedNamespace = clusterScopedNamespace;
    this.poster = new Thread(this::postLoop, "kubernetes-event-writer");
    poster.setDaemon(true);
    poster.start();
  }

  @Override
  public void report(Diagnostic d) {
    String key = d.about().kind() + "|" + d.about() + "|" + d.reason() + "|" + d.message();
    synchronized (told) {
      if (told.put(key, Boolean.TRUE) != null) {
        return;
      }
    }
    log.atWarn()
        .addKeyValue(d.about().kind(), d.about().toString())
        .addKeyValue("reason", d.reason())
        .log(d.message());
    if (!queue.offer(d)) {
      dropped.incrementAndGet();
    }
  }

  /** Events not posted because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  private void postLoop() {
    long pause = TimeUnit.SECONDS.toMillis(1) / PER_SECOND;
    while (!Thread.currentThread().isInterrupted()) {
      try {
        post(queue.take());
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.atWarn().log("could not post an Event: " + e.getMessage());
      }
    }
  }

  private void post(Diagnostic d) {
    ObjectReference ref = references.apply(d.about());
    if (ref == null) {
      return;
    }
    String namespace = ref.getNamespace() == null ? clusterScopedNamespace : ref.getNamespace();
    String now = Instant.now().toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withNamespace(namespace)
                  .withName(ref.getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                  .endMetadata()
                  .withInvolvedObject(ref)
                  .withType("Warning")
                  .withReason(d.reason())
                  .withMessage(truncate(d.message()))
                  .withNewSource()
                  .withComponent(component)
                  .endSource()
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      log.atWarn()
          .addKeyValue(d.about().kind(), d.about().toString())
          .log("could not post Event: " + e.getMessage());
    }
  }

  private static String truncate(String s) {
    return s.length() <= 1000 ? s : s.substring(0, 997) + "...";
  }

  @Override
  public void close() {
    poster.interrupt();
  }
}
