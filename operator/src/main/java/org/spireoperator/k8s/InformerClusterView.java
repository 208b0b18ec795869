package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * {@link ClusterView} over the JOSDK informer caches of Pods, Nodes and (with DNS names)
 * EndpointSlices.
 */
public final class InformerClusterView implements ClusterView {

  static final String BY_NODE = "spire-by-node";
  static final String AGENT_BY_NODE = "spire-agent-by-node";
  static final String AGENT_BY_ACCOUNT = "spire-agent-by-account";
  static final String SLICE_BY_POD = "spire-slice-by-pod";

  private final AgentPodSelector agentPods;
  private volatile IndexerResourceCache<Pod> pods;
  private volatile IndexerResourceCache<Node> nodes;
  private volatile IndexerResourceCache<EndpointSlice> slices;
  private volatile IndexerResourceCache<SpiffeID> spiffeIds;
  private volatile boolean spiffeIdsServed = true;
  private volatile IndexerResourceCache<ClusterSPIFFEID> clusterSpiffeIds;
  private volatile IndexerResourceCache<ClusterStaticEntry> staticEntries;
  private volatile Cache<Namespace> namespaces;

  public InformerClusterView(AgentPodSelector agentPods) {
    this.agentPods = agentPods;
  }

  void attachPods(IndexerResourceCache<Pod> cache) {
    cache.addIndexers(
        Map.of(
            BY_NODE,
                p ->
                    p.getSpec() == null || p.getSpec().getNodeName() == null
                        ? List.of()
                        : List.of(p.getSpec().getNodeName()),
            AGENT_BY_NODE,
                p ->
                    agentPods
                        .accountOf(p)
                        .map(a -> List.of(p.getSpec().getNodeName()))
                        .orElse(List.of()),
            AGENT_BY_ACCOUNT,
                p -> agentPods.accountOf(p).map(a -> List.of(accountKey(a))).orElse(List.of())));
    this.pods = cache;
  }

  void attachNodes(IndexerResourceCache<Node> cache) {
    this.nodes = cache;
  }

  void attachSpiffeIds(IndexerResourceCache<SpiffeID> cache) {
    this.spiffeIds = cache;
  }

  void attachClusterSpiffeIds(IndexerResourceCache<ClusterSPIFFEID> cache) {
    this.clusterSpiffeIds = cache;
  }

  void attachStaticEntries(IndexerResourceCache<ClusterStaticEntry> cache) {
    this.staticEntries = cache;
  }

  void attachNamespaces(Cache<Namespace> cache) {
    this.namespaces = cache;
  }

  void attachEndpointSlices(IndexerResourceCache<EndpointSlice> cache) {
    cache.addIndexers(Map.of(SLICE_BY_POD, EndpointSlices::podKeysOf));
    this.slices = cache;
  }

  private static String accountKey(AgentAccount a) {
    return a.namespace() + "/" + a.serviceAccount();
  }

  public AgentPodSelector agentPods() {
    return agentPods;
  }

  /** A reference to the Pod, Node or SpiffeID behind a subject, for Events; null if gone. */
  public io.fabric8.kubernetes.api.model.ObjectReference referenceOf(
      org.spireoperator.registration.Subject subject) {
    if (subject instanceof PodKey key) {
      return pods.get(new ResourceID(key.name(), key.namespace()))
          .map(
              p ->
                  new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder()
                      .withApiVersion("v1")
                      .withKind("Pod")
                      .withNamespace(key.namespace())
                      .withName(key.name())
                      .withUid(p.getMetadata().getUid())
                      .build())
          .orElse(null);
    }
    if (subject instanceof SpiffeIdKey key) {
      return spiffeId(key)
          .map(
              s ->
                  new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder()
                      .withApiVersion(SpiffeID.GROUP + "/" + SpiffeID.VERSION)
                      .withKind(SpiffeID.KIND)
                      .withNamespace(key.namespace())
                      .withName(key.name())
                      .withUid(s.getMetadata().getUid())
                      .build())
          .orElse(null);
    }
    if (!(subject instanceof org.spireoperator.registration.NodeKey)) {
      return null;
    }
    String name = ((org.spireoperator.registration.NodeKey) subject).name();
    return nodes
        .get(new ResourceID(name))
        .map(
            n ->
                new io.fabric8.kubernetes.api.model.ObjectReferenceBuilder()
                    .withApiVersion("v1")
                    .withKind("Node")
                    .withName(name)
                    .withUid(n.getMetadata().getUid())
                    .build())
        .orElse(null);
  }

  @Override
  public boolean isSynced() {
    return pods != null && nodes != null && (spiffeIds != null || !spiffeIdsServed);
  }

  /** SpiffeID resources are not watched (spire-controller-manager's API alone is served). */
  public void withoutSpiffeIds() {
    spiffeIdsServed = false;
  }

  /** The cached Pod object itself. */
  public Optional<Pod> rawPod(PodKey key) {
    return pods.get(new ResourceID(key.name(), key.namespace()));
  }

  @Override
  public Optional<PodView> pod(PodKey key) {
    return pods.get(new ResourceID(key.name(), key.namespace())).map(PodView::of);
  }

  @Override
  public Collection<PodView> pods() {
    return pods.list().map(PodView::of).toList();
  }

  @Override
  public Collection<PodView> podsOn(String nodeName) {
    return pods.byIndex(BY_NODE, nodeName).stream().map(PodView::of).toList();
  }

  @Override
  public boolean nodeExists(String nodeName) {
    return nodes.get(new ResourceID(nodeName)).isPresent();
  }

  @Override
  public Collection<String> nodeNames() {
    return nodes.list().map(n -> n.getMetadata().getName()).toList();
  }

  @Override
  public Optional<AgentAccount> agentOn(String nodeName) {
    return pods.byIndex(AGENT_BY_NODE, nodeName).stream()
        .map(agentPods::accountOf)
        .flatMap(Optional::stream)
        .findFirst();
  }

  @Override
  public Collection<String> nodesWithAgent(AgentAccount account) {
    return pods.byIndex(AGENT_BY_ACCOUNT, accountKey(account)).stream()
        .map(p -> p.getSpec().getNodeName())
        .distinct()
        .toList();
  }

  @Override
  public List<ServiceEndpoint> endpointsOf(PodKey key) {
    IndexerResourceCache<EndpointSlice> cache = slices;
    return cache == null
        ? List.of()
        : EndpointSlices.endpointsFor(key, cache.byIndex(SLICE_BY_POD, key.toString()));
  }

  @Override
  public Optional<SpiffeID> spiffeId(SpiffeIdKey key) {
    IndexerResourceCache<SpiffeID> cache = spiffeIds;
    return cache == null
        ? Optional.empty()
        : cache.get(new ResourceID(key.name(), key.namespace()));
  }

  @Override
  public Collection<SpiffeID> spiffeIds() {
    IndexerResourceCache<SpiffeID> cache = spiffeIds;
    return cache == null ? List.of() : cache.list().toList();
  }

  @Override
  public Collection<ClusterSPIFFEID> clusterSpiffeIds() {
    var cache = clusterSpiffeIds;
    return cache == null ? List.of() : cache.list().toList();
  }

  @Override
  public Optional<ClusterSPIFFEID> clusterSpiffeId(String name) {
    var cache = clusterSpiffeIds;
    return cache == null ? Optional.empty() : cache.get(new ResourceID(name));
  }

  @Override
  public Collection<ClusterStaticEntry> staticEntries() {
    var cache = staticEntries;
    return cache == null ? List.of() : cache.list().toList();
  }

  @Override
  public Optional<ClusterStaticEntry> staticEntry(String name) {
    var cache = staticEntries;
    return cache == null ? Optional.empty() : cache.get(new ResourceID(name));
  }

  @Override
  public Optional<ScmNamespace> namespace(String name) {
    var cache = namespaces;
    return cache == null ? Optional.empty() : cache.get(new ResourceID(name)).map(ScmNamespace::of);
  }

  @Override
  public Collection<ScmNamespace> namespaces() {
    var cache = namespaces;
    return cache == null ? List.of() : cache.list().map(ScmNamespace::of).toList();
  }

  @Override
  public Optional<ScmPod> scmPod(PodKey key) {
    return rawPod(key).map(ScmPod::of);
  }

  @Override
  public Optional<ScmNode> scmNode(String name) {
    return nodes.get(new ResourceID(name)).map(ScmNode::of);
  }

  @Override
  public Collection<PodView> podsIn(String namespace) {
    return pods.list(namespace).map(PodView::of).toList();
  }
}
