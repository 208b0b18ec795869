package org.spireoperator.config;

/** The SPIRE node attestor the cluster's agents use ({@code node_attestor} key). */
public enum NodeAttestor {
    /** Projected service account tokens: agent IDs name the node's UID. */
    K8S_PSAT("k8s_psat"),
    /** Plain service account tokens: agent IDs carry a random UUID (removed from SPIRE in 1.12). */
    K8S_SAT("k8s_sat");

    private final String hclValue;

    NodeAttestor(String hclValue) {
        this.hclValue = hclValue;
    }

    /** The value as written in the configuration file, which is also the SPIRE plugin name. */
    public String hclValue() {
        return hclValue;
    }
}
