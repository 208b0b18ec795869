package org.spireoperator.bench.contenders;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how to start a contender.
 *
 * @param dir its own directory (config, logs)
 * @param kubeconfig the contenders' kubeconfig of the API server (system:masters by bearer token)
 * @param spireSocket the SPIRE admin socket to use (the counting proxy's)
 * @param resyncPeriod period of its periodic full reconciliation, where it has one to set
 * @param label a name for its files ("live", "restart")
 */
public record Launch(
    Path dir,
    Path kubeconfig,
    Path spireSocket,
    String trustDomain,
    String cluster,
    Duration resyncPeriod,
    String label) {}
