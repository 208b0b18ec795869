package org.spireoperator.bench.load;

/** A Node as the API server stored it (the UID is what spire-controller-manager parents by). */
public record NodeRef(String name, String uid) {}
