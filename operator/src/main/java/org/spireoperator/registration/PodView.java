package org.spireoperator.registration;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The facts about a Pod that registration depends on, detached from the Kubernetes model so that
 * desired entries are computed by pure functions. {@code terminating} is true once the pod has a
 * deletion timestamp. kubectl's last-applied annotation (a copy of the whole object) is no identity
 * input and is left out, as the pod cache leaves it out.
 */
public record PodView(
    String namespace,
    String name,
    String uid,
    String serviceAccount,
    String nodeName,
    String hostname,
    String phase,
    String podIp,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<String> containerImages,
    boolean terminating) {

  public PodView {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    uid = uid == null ? "" : uid;
    serviceAccount =
        serviceAccount == null || serviceAccount.isEmpty() ? "default" : serviceAccount;
    nodeName = nodeName == null ? "" : nodeName;
    hostname = hostname == null ? "" : hostname;
    phase = phase == null ? "" : phase;
    podIp = podIp == null ? "" : podIp;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    containerImages = containerImages == null ? List.of() : List.copyOf(containerImages);
  }

  /** kubectl's copy of the whole object, often a pod's largest annotation. */
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  public static PodView of(Pod pod) {
    var meta = pod.getMetadata();
    var spec = pod.getSpec();
    var status = pod.getStatus();
    List<String> images =
        spec == null || spec.getContainers() == null
            ? List.of()
            : spec.getContainers().stream()
                .map(Container::getImage)
                .filter(Objects::nonNull)
                .toList();
    return new PodView(
        meta.getNamespace(),
        meta.getName(),
        meta.getUid(),
        spec == null ? null : spec.getServiceAccountName(),
        spec == null ? null : spec.getNodeName(),
        spec == null ? null : spec.getHostname(),
        status == null ? null : status.getPhase(),
        status == null ? null : status.getPodIP(),
        meta.getLabels(),
        withoutLastApplied(meta.getAnnotations()),
        images,
        meta.getDeletionTimestamp() != null);
  }

  private static Map<String, String> withoutLastApplied(Map<String, String> annotations) {
    if (annotations == null || !annotations.containsKey(LAST_APPLIED)) {
      return annotations;
    }
    Map<String, String> out = new java.util.HashMap<>(annotations);
    out.remove(LAST_APPLIED);
    return out;
  }

  public PodKey key() {
    return new PodKey(namespace, name);
  }

  public boolean isScheduled() {
    return !nodeName.isEmpty();
  }

  /** Succeeded and Failed pods run no workload any more and need no identity. */
  public boolean isTerminated() {
    return phase.equals("Succeeded") || phase.equals("Failed");
  }
}
