package org.spireoperator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.testing.OperatorFixture;

/**
 * The Pod and Node controllers keep no timer and no rate-limit state per object: the full pass is
 * the periodic safety net and a reconcile only queues, so JOSDK's per-object maximum-interval timer
 * and limiter state would be memory (a timer task per Pod) for nothing.
 */
class PerObjectStateTest {

  private final OperatorFixture f = new OperatorFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  private ControllerConfiguration<?> controller(String name) {
    f.start(OperatorFixture.defaults());
    return f.operator().controllerConfigurations().get(name);
  }

  @Test
  void podsAreNotReconciledOnATimer() {
    assertThat(controller("spire-pods").maxReconciliationInterval()).isEmpty();
  }

  @Test
  void nodesAreNotReconciledOnATimer() {
    assertThat(controller("spire-nodes").maxReconciliationInterval()).isEmpty();
  }

  @Test
  void podsKeepNoRateLimitState() {
    assertThat(controller("spire-pods").getRateLimiter()).isInstanceOf(NoRateLimit.class);
  }

  @Test
  void nodesKeepNoRateLimitState() {
    assertThat(controller("spire-nodes").getRateLimiter()).isInstanceOf(NoRateLimit.class);
  }
}
