package org.spireoperator.spire;

import java.time.Duration;

/**
 * How the client talks to the server.
 *
 * @param timeout deadline of every single RPC
 * @param pageSize entries/agents per ListEntries/ListAgents page (never 0: a huge single answer
 *     breaks the 4 MiB gRPC message limit)
 * @param maxAttempts attempts per RPC on UNAVAILABLE, RESOURCE_EXHAUSTED or DEADLINE_EXCEEDED: 1
 *     (the default) for the operator, whose engine owns every retry; test and benchmark harnesses
 *     talking to a real server may ask for more
 * @param initialBackoff first retry delay; doubled each attempt, with full jitter
 * @param maxBackoff retry delay cap
 */
public record SpireClientSettings(
    Duration timeout, int pageSize, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  public SpireClientSettings {
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be at least 1");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  public static SpireClientSettings defaults() {
    return new SpireClientSettings(
        Duration.ofSeconds(30), 500, 1, Duration.ofMillis(100), Duration.ofSeconds(5));
  }

  public SpireClientSettings withTimeout(Duration t) {
    return new SpireClientSettings(t, pageSize, maxAttempts, initialBackoff, maxBackoff);
  }

  public SpireClientSettings withPageSize(int size) {
    return new SpireClientSettings(timeout, size, maxAttempts, initialBackoff, maxBackoff);
  }

  public SpireClientSettings withRetries(int attempts, Duration initial, Duration max) {
    return new SpireClientSettings(timeout, pageSize, attempts, initial, max);
  }
}
