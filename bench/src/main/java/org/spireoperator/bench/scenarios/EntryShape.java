package org.spireoperator.bench.scenarios;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.spireoperator.bench.load.Layout;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/**
 * The entries a contender writes for the benchmark's nodes and pods, written directly by the raw
 * baseline of that shape (same SPIFFE IDs, parents, selectors and entry-ID style; pod and node UIDs
 * are random there, as the API server's are).
 */
public enum EntryShape {
  /**
   * Upstream's registrar (and this operator's default): a node entry per node under the server, pod
   * entries {@code k8s:ns} + {@code k8s:pod-name} under their node's entry.
   */
  UPSTREAM("node entries + `k8s:ns`, `k8s:pod-name` under them", true),
  /**
   * This operator with {@code pod_entry_shape = "pod_uid"}: node entries, pod entries {@code
   * k8s:pod-uid} under their node's entry.
   */
  POD_UID_UNDER_NODE("node entries + `k8s:pod-uid` under them", true),
  /**
   * spire-controller-manager: no node entries, pod entries {@code k8s:pod-uid} under the k8s_psat
   * agent ID of their node ({@code spire/agent/k8s_psat/<cluster>/<node UID>}).
   */
  POD_UID_UNDER_AGENT("`k8s:pod-uid` under the k8s_psat agent ID", false);

  private final String description;
  private final boolean nodeEntries;

  EntryShape(String description, boolean nodeEntries) {
    this.description = description;
    this.nodeEntries = nodeEntries;
  }

  public String description() {
    return description;
  }

  public boolean nodeEntries() {
    return nodeEntries;
  }

  /** The node entries (none for agent parenting) for nodes {@code node-0} .. */
  List<Entry> nodeEntries(String td, String cluster, int nodes) {
    List<Entry> out = new ArrayList<>();
    if (!nodeEntries) {
      return out;
    }
    Random random = new Random(1);
    for (int i = 0; i < nodes; i++) {
      String node = "node-" + i;
      out.add(
          Entry.of(
                  nodeId(td, cluster, node),
                  SpiffeId.server(td),
                  List.of(
                      new Selector("k8s_psat", "cluster:" + cluster),
                      new Selector("k8s_psat", "agent_node_name:" + node)))
              .withId(markedId(cluster, "node", random)));
    }
    return out;
  }

  /** The pod entries of the layout's bulk pods {@code pod-0} .., pod i on node i mod nodes. */
  List<Entry> podEntries(String td, String cluster, int pods, int nodes, Layout layout) {
    Random random = new Random(2);
    List<UUID> nodeUids = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      nodeUids.add(new UUID(random.nextLong(), random.nextLong()));
    }
    List<Entry> out = new ArrayList<>(pods);
    for (int i = 0; i < pods; i++) {
      String pod = "pod-" + i;
      String ns = layout.namespaceOf(i);
      SpiffeId id = SpiffeId.of(td, "ns/" + ns + "/sa/" + Layout.serviceAccountOf(pod));
      int node = i % nodes;
      String uid = new UUID(random.nextLong(), random.nextLong()).toString();
      out.add(
          switch (this) {
            case UPSTREAM ->
                Entry.of(
                        id,
                        nodeId(td, cluster, "node-" + node),
                        List.of(Selector.k8s("ns", ns), Selector.k8s("pod-name", pod)))
                    .withId(markedId(cluster, "pod", random));
            case POD_UID_UNDER_NODE ->
                Entry.of(
                        id,
                        nodeId(td, cluster, "node-" + node),
                        List.of(Selector.k8s("pod-uid", uid)))
                    .withId(markedId(cluster, "pod", random));
            case POD_UID_UNDER_AGENT ->
                Entry.of(
                        id,
                        SpiffeId.of(
                            td, "spire/agent/k8s_psat/" + cluster + "/" + nodeUids.get(node)),
                        List.of(Selector.k8s("pod-uid", uid)))
                    .withId("scm." + new UUID(random.nextLong(), random.nextLong()));
          });
    }
    return out;
  }

  private static SpiffeId nodeId(String td, String cluster, String node) {
    return SpiffeId.of(td, "spire-k8s-registrar/" + cluster + "/node/" + node);
  }

  /** An entry ID as this operator marks its own: {@code <controller>.<cluster>.<kind>.<hex>}. */
  private static String markedId(String cluster, String kind, Random random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return "spire-k8s-registrar." + cluster + "." + kind + "." + HexFormat.of().formatHex(bytes);
  }
}
