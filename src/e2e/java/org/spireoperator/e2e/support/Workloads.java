package org.spireoperator.e2e.support;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.TimeUnit;

/**
 * The Kubernetes side, written with the admin client the way kubelet and scheduler would: there are
 * none, so pods are created already bound (spec.nodeName) and their status is set to Running by
 * hand; deletions are immediate (grace period 0: no kubelet confirms them).
 */
public record Workloads(KubernetesClient client) {

  public void namespace(String name) {
    if (client.namespaces().withName(name).get() == null) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
  }

  public void node(String name) {
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  /** A pod bound to {@code node}, running as {@code serviceAccount}, with status phase Running. */
  public Pod runningPod(String namespace, String name, String serviceAccount, String node) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .addToLabels("app", name)
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .withServiceAccountName(serviceAccount)
            .addNewContainer()
            .withName("app")
            .withImage("registry.example/app:1.0")
            .endContainer()
            .endSpec()
            .build();
    client.pods().inNamespace(namespace).resource(pod).create();
    return client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            p ->
                new PodBuilder(p)
                    .withStatus(
                        new PodStatusBuilder().withPhase("Running").withPodIP("10.1.0.1").build())
                    .build());
  }

  /** Deletes a pod at once and waits until the API server no longer has it. */
  public void deletePod(String namespace, String name) {
    client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
    client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
  }

  public void deleteNode(String name) {
    client.nodes().withName(name).delete();
    client.nodes().withName(name).waitUntilCondition(n -> n == null, 30, TimeUnit.SECONDS);
  }
}
