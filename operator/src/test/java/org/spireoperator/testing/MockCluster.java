package org.spireoperator.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.spireoperator.app.GzipResponses;
import org.spireoperator.k8s.PodDecoding;

/**
 * fabric8's mock API server in CRUD mode, with helpers to create Nodes and scheduled Pods. It also
 * answers JOSDK's SelfSubjectRulesReview so leader election can run against it.
 */
public final class MockCluster implements AutoCloseable {

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final KubernetesClient operatorClient;

  public MockCluster() {
    var responses =
        new HashMap<
            io.fabric8.mockwebserver.ServerRequest,
            java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init();
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .withIncomplete(false)
                .addToResourceRules(
                    new ResourceRuleBuilder()
                        .withApiGroups("coordination.k8s.io")
                        .withResources("leases")
                        .withVerbs("*")
                        .build())
                .endStatus()
                .build())
        .always();
    client = server.createClient();
    operatorClient = newClient();
  }

  /** The test's own client, as a user's: Pods read through it are whole and may be written. */
  public KubernetesClient client() {
    return client;
  }

  /**
   * The client the operator runs with: it asks for gzipped answers ({@link GzipResponses}; the mock
   * answers plain) and decodes Pods as the operator's own client does ({@link PodDecoding}), so a
   * Pod read through it is the pod cache's and is never written back.
   */
  public KubernetesClient operatorClient() {
    return operatorClient;
  }

  /**
   * A new operator client to the same server (e.g. for a second replica), made as {@link
   * #operatorClient()} is.
   */
  public KubernetesClient newClient() {
    return server.createClient(
        b -> GzipResponses.installOn(b).withKubernetesSerialization(PodDecoding.serialization()));
  }

  /** The CRDs of both APIs this operator serves, as in {@code crds/}. */
  public static final List<String> ALL_CRDS =
      List.of(
          "spiffeids.spiffeid.spiffe.io-v1.yml",
          "clusterspiffeids.spire.spiffe.io-v1.yml",
          "clusterstaticentries.spire.spiffe.io-v1.yml",
          "clusterfederatedtrustdomains.spire.spiffe.io-v1.yml");

  /** Creates the CRDs of {@code crds/} named (file names). */
  public void crds(List<String> files) {
    files.forEach(this::crd);
  }

  /** Creates a CRD from the repository's {@code crds/} folder (the status subresource with it). */
  public void crd(String file) {
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .load(java.nio.file.Path.of("..", "crds", file).toFile())
        .create();
  }

  public void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  public Node node(String name) {
    return client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withUid(UUID.randomUUID().toString())
                .endMetadata()
                .build())
        .create();
  }

  public void deleteNode(String name) {
    client.nodes().withName(name).delete();
  }

  /** A running pod with service account {@code sa} scheduled to {@code node}. */
  public Pod pod(String namespace, String name, String node, String sa) {
    return pod(namespace, name, node, sa, Map.of(), Map.of());
  }

  public Pod pod(
      String namespace,
      String name,
      String node,
      String sa,
      Map<String, String> labels,
      Map<String, String> annotations) {
    return client
        .pods()
        .inNamespace(namespace)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .withUid(UUID.randomUUID().toString())
                .withLabels(labels)
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withServiceAccountName(sa)
                .addNewContainer()
                .withName("app")
                .withImage("registry.example/app:1")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withPodIP("10.1.2.3")
                .endStatus()
                .build())
        .create();
  }

  public void deletePod(String namespace, String name) {
    client.pods().inNamespace(namespace).withName(name).delete();
  }

  public KubernetesMockServer server() {
    return server;
  }

  @Override
  public void close() {
    operatorClient.close();
    client.close();
    server.destroy();
  }
}
