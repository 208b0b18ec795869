package org.spireoperator.testing;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.reconcile.ClusterView;
import org.spireoperator.registration.AgentAccount;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodView;
import org.spireoperator.registration.ServiceEndpoint;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.crd.ClusterStaticEntry;
import org.spireoperator.scm.entries.ScmNamespace;
import org.spireoperator.scm.entries.ScmNode;
import org.spireoperator.scm.entries.ScmPod;

/**
 * A {@link ClusterView} held in memory, for tests of the engine without an API server: Nodes, Pods
 * (as {@link PodView}s), the SPIRE agent account running on each node, Service endpoints, SpiffeID
 * resources and spire-controller-manager's objects and namespaces, changed directly by the test.
 * Pods and nodes as template data ({@link #scmPod}, {@link #scmNode}) are built from what is held:
 * a pod's metadata (name, namespace, UID, labels, annotations) and spec (service account, node,
 * hostname, container images); a node's name and its {@link #nodeUid UID}. Always synced;
 * thread-safe.
 */
public final class InMemoryCluster implements ClusterView {

  private final Set<String> nodes = ConcurrentHashMap.newKeySet();
  private final Map<PodKey, PodView> pods = new ConcurrentHashMap<>();
  private final Map<String, AgentAccount> agents = new ConcurrentHashMap<>();
  private final Map<PodKey, List<ServiceEndpoint>> endpoints = new ConcurrentHashMap<>();
  private final Map<SpiffeIdKey, SpiffeID> spiffeIds = new ConcurrentHashMap<>();
  private final Map<String, ClusterSPIFFEID> clusterSpiffeIds = new ConcurrentHashMap<>();
  private final Map<String, ClusterStaticEntry> staticEntries = new ConcurrentHashMap<>();
  private final Map<String, ScmNamespace> namespaces = new ConcurrentHashMap<>();

  public InMemoryCluster node(String name) {
    nodes.add(name);
    return this;
  }

  public void removeNode(String name) {
    nodes.remove(name);
    agents.remove(name);
  }

  /** A running pod with service account {@code sa} scheduled to {@code node}. */
  public PodView pod(String namespace, String name, String node, String sa) {
    return pod(
        new PodView(
            namespace,
            name,
            UUID.randomUUID().toString(),
            sa,
            node,
            null,
            "Running",
            "10.1.2.3",
            Map.of(),
            Map.of(),
            List.of("registry.example/app:1"),
            false));
  }

  public PodView pod(PodView pod) {
    pods.put(pod.key(), pod);
    return pod;
  }

  public void removePod(PodKey key) {
    pods.remove(key);
    endpoints.remove(key);
  }

  /** The SPIRE agent pod on {@code node} runs with this account. */
  public InMemoryCluster agent(String node, AgentAccount account) {
    agents.put(node, account);
    return this;
  }

  public InMemoryCluster endpoints(PodKey pod, List<ServiceEndpoint> reaching) {
    endpoints.put(pod, List.copyOf(reaching));
    return this;
  }

  public SpiffeID spiffeId(SpiffeID resource) {
    spiffeIds.put(
        new SpiffeIdKey(resource.getMetadata().getNamespace(), resource.getMetadata().getName()),
        resource);
    return resource;
  }

  public void removeSpiffeId(SpiffeIdKey key) {
    spiffeIds.remove(key);
  }

  public ClusterSPIFFEID clusterSpiffeId(ClusterSPIFFEID resource) {
    clusterSpiffeIds.put(resource.getMetadata().getName(), resource);
    return resource;
  }

  public ClusterStaticEntry staticEntry(ClusterStaticEntry resource) {
    staticEntries.put(resource.getMetadata().getName(), resource);
    return resource;
  }

  public InMemoryCluster namespace(ScmNamespace namespace) {
    namespaces.put(namespace.name(), namespace);
    return this;
  }

  @Override
  public boolean isSynced() {
    return true;
  }

  @Override
  public Optional<PodView> pod(PodKey key) {
    return Optional.ofNullable(pods.get(key));
  }

  @Override
  public Collection<PodView> pods() {
    return List.copyOf(pods.values());
  }

  @Override
  public Collection<PodView> podsOn(String nodeName) {
    return pods.values().stream().filter(p -> p.nodeName().equals(nodeName)).toList();
  }

  @Override
  public boolean nodeExists(String nodeName) {
    return nodes.contains(nodeName);
  }

  @Override
  public Collection<String> nodeNames() {
    return nodes.stream().sorted().toList();
  }

  @Override
  public Optional<AgentAccount> agentOn(String nodeName) {
    return Optional.ofNullable(agents.get(nodeName));
  }

  @Override
  public Collection<String> nodesWithAgent(AgentAccount account) {
    return agents.entrySet().stream()
        .filter(e -> e.getValue().equals(account))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  @Override
  public List<ServiceEndpoint> endpointsOf(PodKey key) {
    return endpoints.getOrDefault(key, List.of());
  }

  @Override
  public Optional<SpiffeID> spiffeId(SpiffeIdKey key) {
    return Optional.ofNullable(spiffeIds.get(key));
  }

  @Override
  public Collection<SpiffeID> spiffeIds() {
    return List.copyOf(spiffeIds.values());
  }

  @Override
  public Collection<ClusterSPIFFEID> clusterSpiffeIds() {
    return List.copyOf(clusterSpiffeIds.values());
  }

  @Override
  public Optional<ClusterSPIFFEID> clusterSpiffeId(String name) {
    return Optional.ofNullable(clusterSpiffeIds.get(name));
  }

  @Override
  public Collection<ClusterStaticEntry> staticEntries() {
    return List.copyOf(staticEntries.values());
  }

  @Override
  public Optional<ClusterStaticEntry> staticEntry(String name) {
    return Optional.ofNullable(staticEntries.get(name));
  }

  @Override
  public Optional<ScmNamespace> namespace(String name) {
    return Optional.ofNullable(namespaces.get(name));
  }

  @Override
  public Collection<ScmNamespace> namespaces() {
    return List.copyOf(namespaces.values());
  }

  @Override
  public Optional<ScmPod> scmPod(PodKey key) {
    return pod(key).map(InMemoryCluster::asPod).map(ScmPod::of);
  }

  @Override
  public Optional<ScmNode> scmNode(String name) {
    if (!nodes.contains(name)) {
      return Optional.empty();
    }
    return Optional.of(
        ScmNode.of(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withUid(nodeUid(name))
                .endMetadata()
                .build()));
  }

  /** The UID of a node of this cluster: the same for the same name. */
  public static String nodeUid(String node) {
    return UUID.nameUUIDFromBytes(("node/" + node).getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static Pod asPod(PodView pod) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(pod.namespace())
        .withName(pod.name())
        .withUid(pod.uid())
        .withLabels(pod.labels())
        .withAnnotations(pod.annotations())
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(pod.serviceAccount())
        .withNodeName(pod.nodeName().isEmpty() ? null : pod.nodeName())
        .withHostname(pod.hostname().isEmpty() ? null : pod.hostname())
        .withContainers(
            pod.containerImages().stream()
                .map(image -> new ContainerBuilder().withImage(image).build())
                .toList())
        .endSpec()
        .build();
  }

  @Override
  public Collection<PodView> podsIn(String namespace) {
    return pods.values().stream().filter(p -> p.namespace().equals(namespace)).toList();
  }
}
