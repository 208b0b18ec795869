package org.spireoperator.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireClient;

/**
 * Entries the operator does not own, seeded straight into SPIRE: some of them look very much like
 * the operator's (same pod selectors under another cluster's node or another parent; a node-entry
 * ID parented to an agent; a pod entry under our node with an extra selector). The operator must
 * leave every one of them exactly as it was.
 */
public record ForeignEntries(SpireClient spire, List<Entry> seeded) {

  public ForeignEntries {
    seeded = List.copyOf(seeded);
  }

  /**
   * Seeds the entries; pod-like ones select pods the tests create (and delete) in {@code
   * namespaces}.
   *
   * @param lookalikes pairs of (namespace, pod name) the pod-like foreign entries select
   */
  public static ForeignEntries seed(
      SpireClient spire, Registrations ours, List<String[]> lookalikes, String ourNode) {
    String td = ours.trustDomain();
    SpiffeId otherClusterNode =
        SpiffeId.of(td, "spire-k8s-registrar/other-cluster/node/" + ourNode);
    SpiffeId legacyAgent = SpiffeId.of(td, "spire/agent/join_token/legacy-agent");
    List<Entry> wanted = new java.util.ArrayList<>();
    wanted.add(
        Entry.of(
            otherClusterNode,
            ours.server(),
            List.of(
                new Selector("k8s_psat", "cluster:other-cluster"),
                new Selector("k8s_psat", "agent_node_name:" + ourNode))));
    wanted.add(
        Entry.of(
            SpiffeId.of(td, "spire-k8s-registrar/" + ours.cluster() + "/node/lookalike"),
            legacyAgent,
            List.of(
                new Selector("k8s_psat", "cluster:" + ours.cluster()),
                new Selector("k8s_psat", "agent_node_name:lookalike"))));
    wanted.add(
        Entry.of(
            SpiffeId.of(td, "legacy/batch"),
            legacyAgent,
            List.of(new Selector("unix", "uid:1000"))));
    for (String[] pod : lookalikes) {
      String ns = pod[0];
      String name = pod[1];
      wanted.add(
          Entry.of(
              SpiffeId.of(td, "ns/" + ns + "/sa/other-cluster"),
              otherClusterNode,
              List.of(Selector.k8s("ns", ns), Selector.k8s("pod-name", name))));
      wanted.add(
          Entry.of(
              SpiffeId.of(td, "ns/" + ns + "/sa/legacy"),
              legacyAgent,
              List.of(Selector.k8s("ns", ns), Selector.k8s("pod-name", name))));
      wanted.add(
          Entry.of(
              SpiffeId.of(td, "ns/" + ns + "/sa/sidecar"),
              ours.nodeId(ourNode),
              List.of(
                  Selector.k8s("ns", ns),
                  Selector.k8s("pod-name", name),
                  Selector.k8s("container-name", "sidecar"))));
    }
    List<EntryOutcome> outcomes = spire.createEntries(wanted);
    assertThat(outcomes)
        .allSatisfy(o -> assertThat(o.code()).as(o.toString()).isEqualTo(io.grpc.Status.Code.OK));
    List<Entry> stored =
        outcomes.stream().map(o -> spire.getEntry(o.entry().id()).orElseThrow()).toList();
    return new ForeignEntries(spire, stored);
  }

  public Set<String> ids() {
    return seeded.stream().map(Entry::id).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Every seeded entry still exists with every field (revision and creation time included)
   * unchanged.
   */
  public void assertUntouched() {
    List<Entry> now = seeded.stream().map(e -> spire.getEntry(e.id()).orElse(null)).toList();
    assertThat(now).as("foreign entries, field for field").containsExactlyElementsOf(seeded);
  }
}
