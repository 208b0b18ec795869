package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.stream.Stream;

/**
 * The Pod informer's store: holds each pod as {@link PodPruning} leaves it, so the cache costs what
 * the operator reads and not what the API server sends.
 */
public final class PrunedPodStore implements ItemStore<Pod> {

  private final BasicItemStore<Pod> pods = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

  @Override
  public String getKey(Pod pod) {
    return pods.getKey(pod);
  }

  @Override
  public Pod put(String key, Pod pod) {
    return pods.put(key, PodPruning.prune(pod));
  }

  @Override
  public Pod remove(String key) {
    return pods.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return pods.keySet();
  }

  @Override
  public Stream<Pod> values() {
    return pods.values();
  }

  @Override
  public int size() {
    return pods.size();
  }

  @Override
  public Pod get(String key) {
    return pods.get(key);
  }
}
