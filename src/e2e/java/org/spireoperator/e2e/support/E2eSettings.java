package org.spireoperator.e2e.support;

import java.nio.file.Path;
import java.time.Duration;

/** The suite's knobs, read from system properties (set by src/pom.xml; override with -D...). */
public final class E2eSettings {

  private E2eSettings() {}

  /** The repository root (scripts/, crds/, deploy/, operator/target/). */
  public static Path repoRoot() {
    return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
  }

  /**
   * Work directory of servers, operator configs and logs (short: it holds the spire-server's unix
   * socket).
   */
  public static Path workRoot() {
    return Path.of(System.getProperty("e2e.workdir", "target/e2e")).toAbsolutePath().normalize();
  }

  /**
   * The SPIRE release the suite runs against ({@code -De2e.spireVersion=v1.10.4}; scripts/e2e.sh
   * sets it per run); the newest served release by default.
   */
  public static SpireVersion spireVersion() {
    return SpireVersion.parse(
        System.getProperty("e2e.spireVersion", SpireVersion.NEWEST.toString()));
  }

  /**
   * How long the spire-server stays down in the outage test: {@code -De2e.spireOutageSeconds=60}
   * for the specified 60 s; 20 s by default to keep local runs short.
   */
  public static Duration spireOutage() {
    return Duration.ofSeconds(Long.getLong("e2e.spireOutageSeconds", 20));
  }

  /**
   * Generous upper bound for convergence after a change or a fault (not a performance assertion).
   */
  public static Duration convergence() {
    return Duration.ofSeconds(Long.getLong("e2e.convergenceSeconds", 120));
  }

  /**
   * The specified bound for a follower to converge after the leader is killed: lease duration (15
   * s, from OperatorOptions.LeaderElection) plus {@code e2e.failoverSlackSeconds} (5 s as
   * specified). Takeover itself comes 13–17 s after the kill (last renewal + lease + retry period
   * of 2 s).
   */
  public static Duration failoverBudget() {
    return Duration.ofSeconds(15 + Long.getLong("e2e.failoverSlackSeconds", 5));
  }
}
