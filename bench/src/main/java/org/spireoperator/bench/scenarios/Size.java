package org.spireoperator.bench.scenarios;

import org.spireoperator.bench.load.Layout;

/**
 * One workload size.
 *
 * @param pods N, created in bulk
 * @param nodes M
 * @param latencyPods pods created at the steady rate afterwards
 * @param ratePerSecond the steady rate
 * @param namespaces 1: every pod in namespace {@code bench}; more: spread by Zipf's law ({@link
 *     Layout})
 */
public record Size(int pods, int nodes, int latencyPods, double ratePerSecond, int namespaces) {

  /** Pods each latency node receives in a row (half a second's worth at the steady rate). */
  public int latencyPodsPerNode() {
    return Math.max(1, (int) Math.round(ratePerSecond / 2));
  }

  public int latencyNodes() {
    return (latencyPods + latencyPodsPerNode() - 1) / latencyPodsPerNode();
  }

  public Layout layout() {
    return Layout.of(pods, namespaces);
  }

  public String label() {
    return String.format("%,d pods / %,d nodes", pods, nodes)
        + (namespaces > 1 ? String.format(" / %,d namespaces", namespaces) : "");
  }
}
