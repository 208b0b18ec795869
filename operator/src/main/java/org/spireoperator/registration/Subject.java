package org.spireoperator.registration;

/**
 * What a set of owned entries belongs to: a Kubernetes object (Pod, Node, SpiffeID) whose desired
 * entries the operator computes, or an orphan (an entry the operator created for an object that no
 * longer exists).
 */
public sealed interface Subject permits PodKey, NodeKey, SpiffeIdKey, OrphanKey {

  /**
   * A short word for logs and metrics: {@code pod}, {@code node}, {@code spiffeid}, {@code orphan}.
   */
  String kind();
}
