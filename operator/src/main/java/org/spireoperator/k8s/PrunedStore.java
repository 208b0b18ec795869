package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's store that holds each object as a pruning function leaves it, so the cache costs
 * what the operator reads and not what the API server sends: {@link #pods()} ({@link PodPruning})
 * and {@link #nodes()} ({@link NodePruning}).
 *
 * @param <T> the kind of object
 */
public final class PrunedStore<T extends HasMetadata> implements ItemStore<T> {

  private final BasicItemStore<T> items = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final UnaryOperator<T> prune;

  private PrunedStore(UnaryOperator<T> prune) {
    this.prune = prune;
  }

  /** The Pod informer's store. */
  public static PrunedStore<Pod> pods() {
    return new PrunedStore<>(PodPruning::prune);
  }

  /** The Node informer's store. */
  public static PrunedStore<Node> nodes() {
    return new PrunedStore<>(NodePruning::prune);
  }

  @Override
  public String getKey(T item) {
    return items.getKey(item);
  }

  @Override
  public T put(String key, T item) {
    return items.put(key, prune.apply(item));
  }

  @Override
  public T remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet();
  }

  @Override
  public Stream<T> values() {
    return items.values();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public T get(String key) {
    return items.get(key);
  }
}
