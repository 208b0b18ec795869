package org.spireoperator.registration;

/**
 * A pod's entry from one ClusterSPIFFEID: the subject of the entries spire-controller-manager's API
 * declares, one per (ClusterSPIFFEID, pod).
 *
 * @param clusterSpiffeId the ClusterSPIFFEID's name
 */
public record WorkloadKey(String clusterSpiffeId, String namespace, String pod) implements Subject {

  public PodKey podKey() {
    return new PodKey(namespace, pod);
  }

  @Override
  public String kind() {
    return "clusterspiffeid";
  }

  @Override
  public String toString() {
    return clusterSpiffeId + ":" + namespace + "/" + pod;
  }
}
