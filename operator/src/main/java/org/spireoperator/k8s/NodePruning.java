package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import java.util.List;
import java.util.Map;

/**
 * What the operator keeps of a Node in its informer cache: metadata as {@link PodPruning} keeps it
 * (no {@code managedFields}, no last-applied annotation), the spec, and the status without its
 * image list and volumes ({@code images} alone is often tens of kilobytes on a busy node). Node
 * entries, agent lookups and ClusterSPIFFEID templates ({@code .NodeMeta}, {@code .NodeSpec}) read
 * none of what is dropped.
 */
final class NodePruning {

  private NodePruning() {}

  static Node prune(Node node) {
    Node out = new Node();
    out.setApiVersion(node.getApiVersion());
    out.setKind(node.getKind());
    out.setMetadata(PodPruning.metadata(node.getMetadata()));
    out.setSpec(node.getSpec());
    out.setStatus(node.getStatus() == null ? null : status(node.getStatus()));
    out.setAdditionalProperties(Map.of());
    return out;
  }

  private static NodeStatus status(NodeStatus s) {
    NodeStatus out = new NodeStatus();
    out.setAddresses(s.getAddresses());
    out.setAllocatable(s.getAllocatable());
    out.setCapacity(s.getCapacity());
    out.setConditions(s.getConditions());
    out.setDaemonEndpoints(s.getDaemonEndpoints());
    out.setNodeInfo(s.getNodeInfo());
    out.setPhase(s.getPhase());
    out.setImages(List.of());
    out.setVolumesAttached(List.of());
    out.setVolumesInUse(List.of());
    out.setAdditionalProperties(Map.of());
    return out;
  }
}
