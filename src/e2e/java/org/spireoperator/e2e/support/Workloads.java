package org.spireoperator.e2e.support;

import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Kubernetes side, written with the admin client the way kubelet, scheduler and the endpoints
 * controllers would: there are none, so pods are created already bound (spec.nodeName) and their
 * status is set by hand, a Service's Endpoints and EndpointSlice are written next to it, and a pod
 * deleted with its grace period stays Terminating for good (no kubelet confirms it); {@link
 * #deletePod} deletes at once (grace period 0).
 */
public record Workloads(KubernetesClient client) {

  public void namespace(String name) {
    if (client.namespaces().withName(name).get() == null) {
      namespace(name, Map.of());
    }
  }

  public void namespace(String name, Map<String, String> labels) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
  }

  public void node(String name) {
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  /**
   * A pod bound to {@code node}, running as {@code serviceAccount}, labelled {@code app=<name>},
   * with status phase Running.
   */
  public Pod runningPod(String namespace, String name, String serviceAccount, String node) {
    return pod(namespace, name, serviceAccount, node, Map.of("app", name), "Running", "10.1.0.1");
  }

  /**
   * A pod with these labels, bound to {@code node} (null: unscheduled), in {@code phase} with pod
   * IP {@code ip} (null: none).
   */
  public Pod pod(
      String namespace,
      String name,
      String serviceAccount,
      String node,
      Map<String, String> labels,
      String phase,
      String ip) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .withLabels(labels)
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
                    .withStatus(new PodStatusBuilder().withPhase(phase).withPodIP(ip).build())
                    .build());
  }

  /**
   * A Service of {@code pods} (port 8443) with its Endpoints (what spire-controller-manager reads)
   * and an EndpointSlice (what the operator reads), both naming the pods by target reference.
   */
  public void service(String namespace, String name, List<Pod> pods) {
    client
        .services()
        .inNamespace(namespace)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addToSelector("app", name)
                .addNewPort()
                .withPort(8443)
                .endPort()
                .endSpec()
                .build())
        .create();
    client
        .endpoints()
        .inNamespace(namespace)
        .resource(
            new EndpointsBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .addNewSubset()
                .withAddresses(
                    pods.stream()
                        .map(
                            p ->
                                new EndpointAddressBuilder()
                                    .withIp(p.getStatus().getPodIP())
                                    .withTargetRef(reference(p))
                                    .build())
                        .toList())
                .addNewPort()
                .withPort(8443)
                .endPort()
                .endSubset()
                .build())
        .create();
    client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace(namespace)
        .resource(
            new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name + "-slice")
                .addToLabels("kubernetes.io/service-name", name)
                .endMetadata()
                .withAddressType("IPv4")
                .withEndpoints(
                    pods.stream()
                        .map(
                            p ->
                                new EndpointBuilder()
                                    .withAddresses(p.getStatus().getPodIP())
                                    .withTargetRef(reference(p))
                                    .build())
                        .toList())
                .addNewPort()
                .withPort(8443)
                .endPort()
                .build())
        .create();
  }

  private static ObjectReference reference(Pod p) {
    return new ObjectReferenceBuilder()
        .withKind("Pod")
        .withNamespace(p.getMetadata().getNamespace())
        .withName(p.getMetadata().getName())
        .withUid(p.getMetadata().getUid())
        .build();
  }

  /** Sets ({@code value} non-null) or removes a pod label. */
  public void labelPod(String namespace, String name, String key, String value) {
    client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .edit(
            p ->
                new PodBuilder(p)
                    .editMetadata()
                    .withLabels(with(p.getMetadata().getLabels(), key, value))
                    .endMetadata()
                    .build());
  }

  /** Sets ({@code value} non-null) or removes a namespace label. */
  public void labelNamespace(String name, String key, String value) {
    client
        .namespaces()
        .withName(name)
        .edit(
            n ->
                new NamespaceBuilder(n)
                    .editMetadata()
                    .withLabels(with(n.getMetadata().getLabels(), key, value))
                    .endMetadata()
                    .build());
  }

  private static Map<String, String> with(Map<String, String> labels, String key, String value) {
    Map<String, String> out = new LinkedHashMap<>(labels == null ? Map.of() : labels);
    if (value == null) {
      out.remove(key);
    } else {
      out.put(key, value);
    }
    return out;
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

  /**
   * Deletes a pod with its grace period: it gets a deletion timestamp and, with no kubelet to
   * confirm, stays Terminating until {@link #deletePod}.
   */
  public void deletePodGracefully(String namespace, String name) {
    client.pods().inNamespace(namespace).withName(name).delete();
    client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .waitUntilCondition(
            p -> p != null && p.getMetadata().getDeletionTimestamp() != null, 30, TimeUnit.SECONDS);
  }

  public void deleteNode(String name) {
    client.nodes().withName(name).delete();
    client.nodes().withName(name).waitUntilCondition(n -> n == null, 30, TimeUnit.SECONDS);
  }
}
