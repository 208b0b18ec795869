package org.spireoperator.bench.scenarios;

import java.util.List;
import org.spireoperator.bench.load.Workload;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/**
 * The entries this operator writes for the benchmark's nodes and pods (reconcile mode, k8s_psat,
 * default identity {@code ns/<ns>/sa/<sa>}), written directly by the raw baseline.
 */
record Shapes(String trustDomain, String cluster) {

  SpiffeId nodeId(String node) {
    return SpiffeId.of(trustDomain, "spire-k8s-registrar/" + cluster + "/node/" + node);
  }

  Entry nodeEntry(String node) {
    return Entry.of(
        nodeId(node),
        SpiffeId.server(trustDomain),
        List.of(
            new Selector("k8s_psat", "cluster:" + cluster),
            new Selector("k8s_psat", "agent_node_name:" + node)));
  }

  Entry podEntry(String pod, String serviceAccount, String node) {
    return Entry.of(
        SpiffeId.of(trustDomain, "ns/" + Workload.NAMESPACE + "/sa/" + serviceAccount),
        nodeId(node),
        List.of(Selector.k8s("ns", Workload.NAMESPACE), Selector.k8s("pod-name", pod)));
  }
}
