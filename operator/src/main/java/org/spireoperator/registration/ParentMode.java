package org.spireoperator.registration;

/** What pod entries are parented to ({@code parent_mode} key). */
public enum ParentMode {
  /** The node entry the operator keeps for the pod's node (upstream's behaviour, the default). */
  NODE("node"),
  /** The SPIFFE ID of the agent attested on the pod's node, found through the Agent API. */
  AGENT("agent");

  private final String hclValue;

  ParentMode(String hclValue) {
    this.hclValue = hclValue;
  }

  /** The value as written in the configuration file. */
  public String hclValue() {
    return hclValue;
  }
}
