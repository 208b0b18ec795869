package org.spireoperator.config;

/** What a workload entry's parent ID names ({@code parent_mode} key). */
public enum ParentMode {
    /** An entry standing for the pod's node (node alias), as upstream reconcile mode did. */
    NODE("node"),
    /** The SPIFFE ID of the SPIRE agent serving the pod's node. */
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
