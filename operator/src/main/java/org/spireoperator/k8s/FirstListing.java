package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnAddFilter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The pods the Pod informer stores during its first listing, whose add events reconcile nothing:
 * the engine's first full pass waits for that listing and decides every pod in the cache (and, on
 * an empty SPIRE server, each listed pod is queued as it is stored). Skipping those adds spares
 * every start one JOSDK reconcile and one no-op decision per pod, on the cores the SPIRE server
 * writes with.
 *
 * <p>Only what the store received while the informer had not yet finished its first listing is
 * skipped, once per pod and resource version: a pod stored afterwards (a watch event, a relist
 * after the watch expired) is reconciled as before. A put is told apart on the informer's own
 * thread, before its add event is handed out, so no race can skip a pod the first pass did not see.
 * When the listing's end cannot be told ({@code listed} says so by answering true), nothing is
 * skipped.
 */
public final class FirstListing implements OnAddFilter<Pod> {

  private final BooleanSupplier listed;
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean over;

  /**
   * @param listed true once the Pod informer has its first listing (monotonic); answers true when
   *     it cannot tell
   */
  public FirstListing(BooleanSupplier listed) {
    this.listed = listed;
  }

  /** The informer stored {@code pod} (on its own thread, before the add event is handed out). */
  public void stored(Pod pod) {
    if (over) {
      return;
    }
    if (listed.getAsBoolean()) {
      over = true;
      return;
    }
    pending.add(key(pod));
  }

  /** False for the add event of a pod stored by the first listing (once). */
  @Override
  public boolean accept(Pod pod) {
    return pending.isEmpty() || !pending.remove(key(pod));
  }

  /** Pods stored by the first listing whose add event has not come yet. */
  public int pending() {
    return pending.size();
  }

  private static String key(Pod pod) {
    var m = pod.getMetadata();
    return m.getNamespace() + '/' + m.getName() + '@' + m.getResourceVersion();
  }
}
