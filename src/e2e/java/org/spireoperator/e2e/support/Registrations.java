package org.spireoperator.e2e.support;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryFilter;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireClient;

/**
 * The SPIRE side of the specification: the exact entries upstream k8s-workload-registrar (reconcile
 * mode) wrote, and reads of what the real server holds.
 */
public record Registrations(SpireClient spire, String trustDomain, String cluster) {

  public SpiffeId server() {
    return SpiffeId.server(trustDomain);
  }

  /** {@code spiffe://<td>/spire-k8s-registrar/<cluster>/node/<node>}. */
  public SpiffeId nodeId(String node) {
    return SpiffeId.of(trustDomain, "spire-k8s-registrar/" + cluster + "/node/" + node);
  }

  /** A node entry for k8s_psat agents: parent the server, selectors cluster and agent node name. */
  public Entry nodeEntry(String node) {
    return Entry.of(
        nodeId(node),
        server(),
        List.of(
            new Selector("k8s_psat", "cluster:" + cluster),
            new Selector("k8s_psat", "agent_node_name:" + node)));
  }

  /**
   * A pod entry: {@code spiffe://<td>/ns/<ns>/sa/<sa>}, parent its node's entry, selectors
   * namespace and pod name.
   */
  public Entry podEntry(String namespace, String serviceAccount, String pod, String node) {
    return Entry.of(
        SpiffeId.of(trustDomain, "ns/" + namespace + "/sa/" + serviceAccount),
        nodeId(node),
        List.of(Selector.k8s("ns", namespace), Selector.k8s("pod-name", pod)));
  }

  /** Every entry on the server. */
  public List<Entry> all() {
    return spire.listEntries(EntryFilter.all());
  }

  /** Entries with this SPIFFE ID (any parent). */
  public List<Entry> withSpiffeId(SpiffeId id) {
    return all().stream().filter(e -> e.spiffeId().equals(id)).toList();
  }

  /** Entries selecting this pod by namespace and name (any parent, any further selectors). */
  public List<Entry> ofPod(String namespace, String pod) {
    Selector ns = Selector.k8s("ns", namespace);
    Selector name = Selector.k8s("pod-name", pod);
    return all().stream()
        .filter(e -> e.selectors().contains(ns) && e.selectors().contains(name))
        .toList();
  }

  /**
   * Registrations (normalized, see {@link #registration}) of every entry selecting pods of {@code
   * namespace}.
   */
  public List<Entry> inNamespace(String namespace) {
    Selector ns = Selector.k8s("ns", namespace);
    return all().stream()
        .filter(e -> e.selectors().contains(ns))
        .map(Registrations::registration)
        .toList();
  }

  /**
   * Like {@link #inNamespace}, leaving out the entries with the given IDs (e.g. seeded foreign
   * ones).
   */
  public List<Entry> inNamespaceExcept(String namespace, java.util.Set<String> entryIds) {
    Selector ns = Selector.k8s("ns", namespace);
    return all().stream()
        .filter(e -> e.selectors().contains(ns))
        .filter(e -> !entryIds.contains(e.id()))
        .map(Registrations::registration)
        .toList();
  }

  /**
   * How many entries each (SPIFFE ID, parent, selectors) registration has, for duplicate checks.
   */
  public static Map<Entry, Long> countByRegistration(List<Entry> entries) {
    return entries.stream()
        .map(Registrations::registration)
        .collect(Collectors.groupingBy(e -> e, Collectors.counting()));
  }

  /**
   * The entry without server-assigned fields (ID, revision, creation time): what was registered.
   */
  public static Entry registration(Entry e) {
    return new Entry(
        null,
        e.spiffeId(),
        e.parentId(),
        e.selectors(),
        e.dnsNames(),
        e.federatesWith(),
        e.x509SvidTtl(),
        e.jwtSvidTtl(),
        e.admin(),
        e.downstream(),
        e.hint(),
        e.storeSvid(),
        e.expiresAt(),
        0,
        0);
  }
}
