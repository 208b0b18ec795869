package org.spireoperator.registration;

/** What pod entries are parented to. */
public enum ParentMode {
  /** The node entry the operator keeps for the pod's node (upstream's behaviour, the default). */
  NODE,
  /** The SPIFFE ID of the agent attested on the pod's node, found through the Agent API. */
  AGENT
}
