package org.spireoperator.config;

import java.util.List;
import java.util.Objects;

/**
 * How spire-controller-manager's API is served ({@code cluster_spiffeids { ... }} block).
 *
 * @param enabled {@code enabled}: watch ClusterSPIFFEID, ClusterStaticEntry and
 *     ClusterFederatedTrustDomain (when their CRDs are installed)
 * @param className {@code class_name}: spire-controller-manager's {@code className}
 * @param watchClassless {@code watch_classless}: also handle objects without a class
 * @param ignoreNamespaces {@code ignore_namespaces}: regular expressions of namespaces whose pods
 *     ClusterSPIFFEIDs never select (spire-controller-manager's semantics: matched anywhere)
 * @param clusterDomain {@code cluster_domain}: {@code .ClusterDomain} of templates and the last
 *     name of {@code autoPopulateDNSNames}
 * @param parent {@code parent}: {@code "agent"} (the pod's node's k8s_psat agent ID, as
 *     spire-controller-manager) or {@code "node_entry"} (this operator's node entry)
 * @param registrarPodEntries {@code registrar_pod_entries}: {@code "fallback"}, {@code "always"} or
 *     {@code "off"}
 * @param takeOverEntryIdPrefix {@code take_over_entry_id_prefix}: the ID prefix (dot appended, as
 *     spire-controller-manager does) of the entries spire-controller-manager wrote, to take over;
 *     null when not set
 */
public record ClusterSpiffeIdSettings(
    boolean enabled,
    String className,
    boolean watchClassless,
    List<String> ignoreNamespaces,
    String clusterDomain,
    String parent,
    String registrarPodEntries,
    String takeOverEntryIdPrefix) {

  /** spire-controller-manager's ignored namespaces when it runs from its configuration file. */
  public static final List<String> DEFAULT_IGNORE_NAMESPACES =
      List.of("kube-system", "kube-public", "spire-system");

  public ClusterSpiffeIdSettings {
    Objects.requireNonNull(className, "className");
    ignoreNamespaces = List.copyOf(ignoreNamespaces);
    Objects.requireNonNull(clusterDomain, "clusterDomain");
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(registrarPodEntries, "registrarPodEntries");
  }

  /** The defaults: served, no class, SCM's ignored namespaces, parent by node attestor. */
  public static ClusterSpiffeIdSettings defaults(String nodeAttestor) {
    return new ClusterSpiffeIdSettings(
        true,
        "",
        false,
        DEFAULT_IGNORE_NAMESPACES,
        "",
        "k8s_sat".equals(nodeAttestor) ? "node_entry" : "agent",
        "fallback",
        null);
  }
}
