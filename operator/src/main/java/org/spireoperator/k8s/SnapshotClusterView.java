package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
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
 * A {@link ClusterView} read once with list calls, for the one-shot {@code plan} and {@code
 * explain} commands that must not wait for informers nor write anything.
 */
public final class SnapshotClusterView implements ClusterView {

  private final Map<PodKey, Pod> pods;
  private final Set<String> nodes;
  private final List<EndpointSlice> slices;
  private final AgentPodSelector agentPods;
  private final Map<SpiffeIdKey, SpiffeID> spiffeIds;
  private final Map<String, Node> rawNodes;
  private final ScmObjects scm;

  public SnapshotClusterView(
      List<Pod> pods,
      List<Node> nodes,
      List<EndpointSlice> slices,
      List<SpiffeID> spiffeIds,
      ScmObjects scm,
      AgentPodSelector agentPods) {
    Map<PodKey, Pod> byKey = new HashMap<>();
    pods.forEach(
        p -> byKey.put(new PodKey(p.getMetadata().getNamespace(), p.getMetadata().getName()), p));
    this.pods = Map.copyOf(byKey);
    this.nodes =
        nodes.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toUnmodifiableSet());
    this.slices = List.copyOf(slices);
    this.agentPods = agentPods;
    Map<SpiffeIdKey, SpiffeID> ids = new HashMap<>();
    spiffeIds.forEach(
        s ->
            ids.put(new SpiffeIdKey(s.getMetadata().getNamespace(), s.getMetadata().getName()), s));
    this.spiffeIds = Map.copyOf(ids);
    Map<String, Node> byName = new HashMap<>();
    nodes.forEach(n -> byName.put(n.getMetadata().getName(), n));
    this.rawNodes = Map.copyOf(byName);
    this.scm = scm;
  }

  public static SnapshotClusterView read(
      KubernetesClient client, AgentPodSelector agentPods, boolean withSlices, boolean withScm) {
    return read(client, agentPods, withSlices, withScm, true);
  }

  /**
   * @param withSpiffeIds read SpiffeID resources (not when spire-controller-manager's API alone is
   *     served, whose RBAC may not grant them)
   */
  public static SnapshotClusterView read(
      KubernetesClient client,
      AgentPodSelector agentPods,
      boolean withSlices,
      boolean withScm,
      boolean withSpiffeIds) {
    return new SnapshotClusterView(
        client.pods().inAnyNamespace().list().getItems(),
        client.nodes().list().getItems(),
        withSlices
            ? client.discovery().v1().endpointSlices().inAnyNamespace().list().getItems()
            : List.of(),
        withSpiffeIds ? spiffeIdsOrNone(client) : List.of(),
        withScm ? ScmObjects.read(client) : ScmObjects.NONE,
        agentPods);
  }

  private static List<SpiffeID> spiffeIdsOrNone(KubernetesClient client) {
    try {
      return client.resources(SpiffeID.class).inAnyNamespace().list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return List.of();
      }
      throw e;
    }
  }

  @Override
  public boolean isSynced() {
    return true;
  }

  @Override
  public Optional<PodView> pod(PodKey key) {
    return Optional.ofNullable(pods.get(key)).map(PodView::of);
  }

  @Override
  public Collection<PodView> pods() {
    return pods.values().stream().map(PodView::of).toList();
  }

  @Override
  public Collection<PodView> podsOn(String nodeName) {
    return pods().stream().filter(p -> p.nodeName().equals(nodeName)).toList();
  }

  @Override
  public boolean nodeExists(String nodeName) {
    return nodes.contains(nodeName);
  }

  @Override
  public Collection<String> nodeNames() {
    return nodes;
  }

  @Override
  public Optional<AgentAccount> agentOn(String nodeName) {
    return pods.values().stream()
        .filter(p -> p.getSpec() != null && nodeName.equals(p.getSpec().getNodeName()))
        .map(agentPods::accountOf)
        .flatMap(Optional::stream)
        .findFirst();
  }

  @Override
  public Collection<String> nodesWithAgent(AgentAccount account) {
    return pods.values().stream()
        .filter(p -> agentPods.accountOf(p).filter(account::equals).isPresent())
        .map(p -> p.getSpec().getNodeName())
        .distinct()
        .toList();
  }

  @Override
  public List<ServiceEndpoint> endpointsOf(PodKey key) {
    return EndpointSlices.endpointsFor(key, slices);
  }

  @Override
  public Optional<SpiffeID> spiffeId(SpiffeIdKey key) {
    return Optional.ofNullable(spiffeIds.get(key));
  }

  @Override
  public Collection<SpiffeID> spiffeIds() {
    return spiffeIds.values();
  }

  @Override
  public Collection<ClusterSPIFFEID> clusterSpiffeIds() {
    return scm.clusterSpiffeIds();
  }

  @Override
  public Optional<ClusterSPIFFEID> clusterSpiffeId(String name) {
    return scm.clusterSpiffeIds().stream()
        .filter(c -> c.getMetadata().getName().equals(name))
        .findFirst();
  }

  @Override
  public Collection<ClusterStaticEntry> staticEntries() {
    return scm.staticEntries();
  }

  @Override
  public Optional<ClusterStaticEntry> staticEntry(String name) {
    return scm.staticEntries().stream()
        .filter(c -> c.getMetadata().getName().equals(name))
        .findFirst();
  }

  @Override
  public Optional<ScmNamespace> namespace(String name) {
    return scm.namespaces().stream().filter(n -> n.name().equals(name)).findFirst();
  }

  @Override
  public Collection<ScmNamespace> namespaces() {
    return scm.namespaces();
  }

  @Override
  public Optional<ScmPod> scmPod(PodKey key) {
    return Optional.ofNullable(pods.get(key)).map(ScmPod::of);
  }

  @Override
  public Optional<ScmNode> scmNode(String name) {
    return Optional.ofNullable(rawNodes.get(name)).map(ScmNode::of);
  }

  @Override
  public Collection<PodView> podsIn(String namespace) {
    return pods().stream().filter(p -> p.namespace().equals(namespace)).toList();
  }

  /** spire-controller-manager's objects and the namespaces, read once (empty when not served). */
  public record ScmObjects(
      List<ClusterSPIFFEID> clusterSpiffeIds,
      List<ClusterStaticEntry> staticEntries,
      List<ScmNamespace> namespaces) {
    public static final ScmObjects NONE = new ScmObjects(List.of(), List.of(), List.of());

    public ScmObjects {
      clusterSpiffeIds = List.copyOf(clusterSpiffeIds);
      staticEntries = List.copyOf(staticEntries);
      namespaces = List.copyOf(namespaces);
    }

    static ScmObjects read(KubernetesClient client) {
      return new ScmObjects(
          listOrNone(() -> client.resources(ClusterSPIFFEID.class).list().getItems()),
          listOrNone(() -> client.resources(ClusterStaticEntry.class).list().getItems()),
          client.namespaces().list().getItems().stream().map(ScmNamespace::of).toList());
    }

    private static <T> List<T> listOrNone(java.util.function.Supplier<List<T>> list) {
      try {
        return list.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return List.of();
        }
        throw e;
      }
    }
  }
}
