package org.spireoperator.registration;

/**
 * Namespace and service account of the SPIRE agent pod on a node: what a {@code k8s_sat} token
 * names.
 */
public record AgentAccount(String namespace, String serviceAccount) {}
