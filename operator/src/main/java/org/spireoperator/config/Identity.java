package org.spireoperator.config;

import java.util.List;
import java.util.Objects;
import org.spireoperator.registration.PodEntryShape;

/**
 * Which SPIFFE IDs and entries the operator makes: the names in them, which pods get one, and the
 * selectors of pod entries.
 *
 * @param trustDomain {@code trust_domain}, e.g. example.org
 * @param cluster {@code cluster}: the cluster name the node attestor knows, a SPIFFE ID path
 *     segment
 * @param controllerName {@code controller_name}: a SPIFFE ID path segment of node entry IDs
 * @param entryIdPrefix {@code entry_id_prefix}: prefix of the entry IDs the operator chooses
 * @param podLabel {@code pod_label}: label holding a pod's SPIFFE ID path (nullable)
 * @param podAnnotation {@code pod_annotation}: annotation holding a pod's SPIFFE ID path (nullable)
 * @param disabledNamespaces {@code disabled_namespaces}: namespaces whose pods get no entry
 * @param podUidSelector {@code pod_uid_selector}: add {@code k8s:pod-uid} to upstream-shaped
 *     entries
 * @param podEntryShape {@code pod_entry_shape}: the selectors of pod entries
 */
public record Identity(
    String trustDomain,
    String cluster,
    String controllerName,
    String entryIdPrefix,
    String podLabel,
    String podAnnotation,
    List<String> disabledNamespaces,
    boolean podUidSelector,
    PodEntryShape podEntryShape) {

  public Identity {
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(controllerName, "controllerName");
    Objects.requireNonNull(entryIdPrefix, "entryIdPrefix");
    disabledNamespaces = List.copyOf(disabledNamespaces);
    Objects.requireNonNull(podEntryShape, "podEntryShape");
    if (cluster.isEmpty()) {
      throw new IllegalArgumentException("cluster must not be empty");
    }
    if (podLabel != null && podAnnotation != null) {
      throw new IllegalArgumentException("podLabel and podAnnotation exclude each other");
    }
    if (!org.spireoperator.registration.EntryIds.isPrefix(entryIdPrefix)) {
      throw new IllegalArgumentException("entryIdPrefix is not a usable entry ID prefix");
    }
    if (podUidSelector && podEntryShape == PodEntryShape.POD_UID) {
      throw new IllegalArgumentException("podUidSelector only applies to the upstream shape");
    }
  }

  /** {@code entry_id_prefix}'s default: {@code <controller_name>.<cluster>.}. */
  public static String defaultEntryIdPrefix(String controllerName, String cluster) {
    return controllerName + "." + cluster + ".";
  }
}
