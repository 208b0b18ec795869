package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Optional;
import org.spireoperator.registration.AgentAccount;

/**
 * Recognises SPIRE agent pods: in the agent namespace, carrying every label of the configured
 * selector.
 */
public record AgentPodSelector(String namespace, Map<String, String> labels) {

  public AgentPodSelector {
    labels = Map.copyOf(labels);
  }

  public boolean matches(Pod pod) {
    var meta = pod.getMetadata();
    if (!namespace.equals(meta.getNamespace())) {
      return false;
    }
    Map<String, String> podLabels = meta.getLabels() == null ? Map.of() : meta.getLabels();
    return labels.entrySet().stream().allMatch(e -> e.getValue().equals(podLabels.get(e.getKey())));
  }

  /** The agent account of a running, scheduled agent pod. */
  public Optional<AgentAccount> accountOf(Pod pod) {
    if (!matches(pod) || pod.getSpec() == null || pod.getSpec().getNodeName() == null) {
      return Optional.empty();
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return Optional.empty();
    }
    String sa = pod.getSpec().getServiceAccountName();
    return Optional.of(
        new AgentAccount(
            pod.getMetadata().getNamespace(), sa == null || sa.isEmpty() ? "default" : sa));
  }
}
