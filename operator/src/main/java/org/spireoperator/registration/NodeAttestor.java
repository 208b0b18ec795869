package org.spireoperator.registration;

/** The SPIRE node attestor the agents use; it decides which selectors can name a node's agent. */
public enum NodeAttestor {
  /**
   * Projected service-account tokens: selectors name the node ({@code k8s_psat:agent_node_name}).
   */
  K8S_PSAT("k8s_psat"),
  /**
   * Legacy service-account tokens: selectors name only the agent's namespace and service account.
   */
  K8S_SAT("k8s_sat");

  private final String pluginName;

  NodeAttestor(String pluginName) {
    this.pluginName = pluginName;
  }

  /** The plugin name, also the selector type and the agent ID path segment. */
  public String pluginName() {
    return pluginName;
  }

  /** The value as written in the configuration file ({@code node_attestor}). */
  public String hclValue() {
    return pluginName;
  }

  public static NodeAttestor fromPluginName(String name) {
    for (NodeAttestor a : values()) {
      if (a.pluginName.equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown node attestor \"" + name + "\": expected k8s_psat or k8s_sat");
  }
}
