package org.spireoperator.config;

import java.util.List;
import org.spireoperator.registration.Takeover;

/** Reads the {@code cluster_spiffeids { ... }} block into {@link ClusterSpiffeIdSettings}. */
final class ClusterSpiffeIdsReader {

  private final HclBlock block;
  private final KeyChecks checks;

  ClusterSpiffeIdsReader(HclBlock block) {
    this.block = block;
    this.checks = new KeyChecks(block);
  }

  ClusterSpiffeIdSettings read(String nodeAttestor) {
    ClusterSpiffeIdSettings defaults = ClusterSpiffeIdSettings.defaults(nodeAttestor);
    String parent = checks.oneOf("parent", List.of("agent", "node_entry"), defaults.parent());
    if (parent.equals("agent") && "k8s_sat".equals(nodeAttestor)) {
      throw block.error(
          "parent",
          "is \"agent\", spire-controller-manager's k8s_psat agent ID of the node, but node_attestor"
              + " is \"k8s_sat\" (its agent IDs name no node)",
          "write " + block.path("parent") + " = \"node_entry\"");
    }
    return new ClusterSpiffeIdSettings(
        block.bool("enabled", defaults.enabled()),
        block.string("class_name", ""),
        block.bool("watch_classless", false),
        ignoreNamespaces(defaults.ignoreNamespaces()),
        block.string("cluster_domain", ""),
        parent,
        checks.oneOf(
            "registrar_pod_entries",
            List.of("fallback", "always", "off"),
            defaults.registrarPodEntries()),
        takeOverEntryIdPrefix());
  }

  /** spire-controller-manager's {@code entryIDPrefix}, with the dot it appends; null if not set. */
  private String takeOverEntryIdPrefix() {
    String key = "take_over_entry_id_prefix";
    String prefix = block.string(key).orElse(null);
    if (prefix == null) {
      return null;
    }
    checks.requireThat(
        key,
        prefix,
        Takeover::isPrefix,
        "spire-controller-manager's entryIDPrefix: 1 to "
            + Takeover.MAX_PREFIX
            + " letters, digits, \".\", \"_\" and \"-\"");
    if (!block.bool("enabled", true)) {
      throw block.error(
          key,
          "is set but " + block.path("enabled") + " is false (nothing would want the entries)",
          "remove " + block.path(key) + ", or set " + block.path("enabled") + " = true");
    }
    return Takeover.of(prefix).prefix();
  }

  private List<String> ignoreNamespaces(List<String> fallback) {
    List<String> expressions = block.strings("ignore_namespaces").orElse(fallback);
    var compiled = org.spireoperator.scm.entries.IgnoredNamespaces.of(expressions);
    if (!compiled.isOk()) {
      throw block.error(
          "ignore_namespaces",
          compiled.failure(),
          "write e.g. " + block.example("ignore_namespaces"));
    }
    return expressions;
  }
}
