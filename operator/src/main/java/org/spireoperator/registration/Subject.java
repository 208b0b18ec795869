package org.spireoperator.registration;

/**
 * What a set of owned entries belongs to: a Kubernetes object (Pod, Node, SpiffeID, a pod as seen
 * by one ClusterSPIFFEID, ClusterStaticEntry) whose desired entry the operator computes, or an
 * orphan (an entry the operator created for an object that no longer exists).
 */
public sealed interface Subject
    permits PodKey, NodeKey, SpiffeIdKey, WorkloadKey, StaticEntryKey, OrphanKey {

  /** A short word for logs and metrics: {@code pod}, {@code node}, {@code spiffeid}... */
  String kind();
}
