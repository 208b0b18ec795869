package org.spireoperator.bench.load;

/**
 * A Pod the harness created.
 *
 * @param createStartNanos {@link System#nanoTime()} just before the create request was sent
 */
public record PodRef(
    String name, String namespace, String uid, String node, long createStartNanos) {}
