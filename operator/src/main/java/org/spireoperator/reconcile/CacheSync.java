package org.spireoperator.reconcile;

/** How far the informers' first listing has got: what the engine may judge from their caches. */
@FunctionalInterface
public interface CacheSync {

  /** True once every informer has its first listing. */
  boolean synced();

  /**
   * True once every informer but the Pods' has its first listing (the Pods' may still be listing):
   * enough to judge a Pod or Node that is in the cache, never enough to call an entry an orphan.
   */
  default boolean allButPodsSynced() {
    return synced();
  }
}
