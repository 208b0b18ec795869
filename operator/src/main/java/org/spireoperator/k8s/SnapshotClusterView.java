package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.spireoperator.reconcile.ClusterView;
import org.spireoperator.registration.AgentAccount;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodView;
import org.spireoperator.registration.ServiceEndpoint;

/**
 * A {@link ClusterView} read once with list calls, for the one-shot {@code plan} and {@code
 * explain} commands that must not wait for informers nor write anything.
 */
public final class SnapshotClusterView implements ClusterView {

  private final Map<PodKey, Pod> pods;
  private final Set<String> nodes;
  private final List<EndpointSlice> slices;
  private final AgentPodSelector agentPods;

  public SnapshotClusterView(
      List<Pod> pods, List<Node> nodes, List<EndpointSlice> slices, AgentPodSelector agentPods) {
    Map<PodKey, Pod> byKey = new HashMap<>();
    pods.forEach(
        p -> byKey.put(new PodKey(p.getMetadata().getNamespace(), p.getMetadata().getName()), p));
    this.pods = Map.copyOf(byKey);
    this.nodes =
        nodes.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toUnmodifiableSet());
    this.slices = List.copyOf(slices);
    this.agentPods = agentPods;
  }

  public static SnapshotClusterView read(
      KubernetesClient client, AgentPodSelector agentPods, boolean withSlices) {
    return new SnapshotClusterView(
        client.pods().inAnyNamespace().list().getItems(),
        client.nodes().list().getItems(),
        withSlices
            ? client.discovery().v1().endpointSlices().inAnyNamespace().list().getItems()
            : List.of(),
        agentPods);
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
    List<ServiceEndpoint> out = new ArrayList<>();
    for (EndpointSlice slice : slices) {
      if (!InformerClusterView.podKeysOf(slice).contains(key.namespace() + "/" + key.name())) {
        continue;
      }
      Map<String, String> labels = slice.getMetadata().getLabels();
      String service = labels == null ? null : labels.get(InformerClusterView.SERVICE_NAME_LABEL);
      if (service == null) {
        continue;
      }
      for (Endpoint e : slice.getEndpoints()) {
        var ref = e.getTargetRef();
        if (ref != null && key.name().equals(ref.getName())) {
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
