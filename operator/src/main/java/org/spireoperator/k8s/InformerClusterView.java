package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.spireoperator.reconcile.ClusterView;
import org.spireoperator.registration.AgentAccount;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodView;
import org.spireoperator.registration.ServiceEndpoint;

/**
 * {@link ClusterView} over the JOSDK informer caches of Pods, Nodes and (with DNS names)
 * EndpointSlices.
 */
public final class InformerClusterView implements ClusterView {

  static final String BY_NODE = "spire-by-node";
  static final String AGENT_BY_NODE = "spire-agent-by-node";
  static final String AGENT_BY_ACCOUNT = "spire-agent-by-account";
  static final String SLICE_BY_POD = "spire-slice-by-pod";
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private final AgentPodSelector agentPods;
  private volatile IndexerResourceCache<Pod> pods;
  private volatile IndexerResourceCache<Node> nodes;
  private volatile IndexerResourceCache<EndpointSlice> slices;

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

  void attachEndpointSlices(IndexerResourceCache<EndpointSlice> cache) {
    cache.addIndexers(Map.of(SLICE_BY_POD, InformerClusterView::podKeysOf));
    this.slices = cache;
  }

  static List<String> podKeysOf(EndpointSlice slice) {
    List<String> keys = new ArrayList<>();
    for (Endpoint e : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
      var ref = e.getTargetRef();
      if (ref != null && "Pod".equals(ref.getKind()) && ref.getName() != null) {
        String ns =
            ref.getNamespace() == null ? slice.getMetadata().getNamespace() : ref.getNamespace();
        keys.add(ns + "/" + ref.getName());
      }
    }
    return keys;
  }

  private static String accountKey(AgentAccount a) {
    return a.namespace() + "/" + a.serviceAccount();
  }

  public AgentPodSelector agentPods() {
    return agentPods;
  }

  /** A reference to the Pod or Node behind a subject, for Events; null if it is gone. */
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
    return pods != null && nodes != null;
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
    if (cache == null) {
      return List.of();
    }
    List<ServiceEndpoint> out = new ArrayList<>();
    for (EndpointSlice slice : cache.byIndex(SLICE_BY_POD, key.namespace() + "/" + key.name())) {
      Map<String, String> labels = slice.getMetadata().getLabels();
      String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
      if (service == null) {
        continue;
      }
      for (Endpoint e : slice.getEndpoints()) {
        var ref = e.getTargetRef();
        if (ref != null && "Pod".equals(ref.getKind()) && key.name().equals(ref.getName())) {
          String ip =
              e.getAddresses() == null || e.getAddresses().isEmpty() ? "" : e.getAddresses().get(0);
          out.add(
              new ServiceEndpoint(
                  service, slice.getMetadata().getNamespace(), e.getHostname(), ip, ref.getName()));
        }
      }
    }
    return out;
  }
}
