package org.spireoperator.e2e.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.awaitility.core.ConditionFactory;
import org.spireoperator.spire.SpireException;

/**
 * The suite's waiting: Awaitility with generous bounds; a crashed operator fails the wait at once.
 */
public final class Eventually {

  private Eventually() {}

  /**
   * Waits up to the convergence bound; SPIRE calls failing while a server comes back, and endpoints
   * of a replica still starting, are retried.
   */
  public static ConditionFactory converges(String what) {
    return within(E2eSettings.convergence(), what);
  }

  public static ConditionFactory within(Duration atMost, String what) {
    return await(what)
        .atMost(atMost)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsMatching(
            e -> e instanceof SpireException || e instanceof OperatorProcess.NotAnswering);
  }
}
