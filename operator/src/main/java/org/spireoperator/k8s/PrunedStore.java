package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.Consumer;
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
  private final Consumer<T> stored;

  private PrunedStore(UnaryOperator<T> prune, Consumer<T> stored) {
    this.prune = prune;
    this.stored = stored;
  }

  /** The Pod informer's store. */
  public static PrunedStore<Pod> pods() {
    return pods(p -> {});
  }

  /**
   * The Pod informer's store, telling {@code stored} of each pod once it is in the store (on the
   * informer's thread: it must return at once).
   */
  public static PrunedStore<Pod> pods(Consumer<Pod> stored) {
    return new PrunedStore<>(PodPruning::prune, stored);
  }

  /** The Node informer's store. */
  public static PrunedStore<Node> nodes() {
    return new PrunedStore<>(NodePruning::prune, n -> {});
  }

  @Override
  public String getKey(T item) {
    return items.getKey(item);
  }

  @Override
  public T put(String key, T item) {
    T kept = prune.apply(item);
    T before = items.put(key, kept);
    stored.accept(kept);
    return before;
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
