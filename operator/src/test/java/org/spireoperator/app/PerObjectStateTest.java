package org.spireoperator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.testing.OperatorFixture;

/**
 * The Pod and Node controllers keep no timer and no rate-limit state per object: the full pass is
 * the periodic safety net and a reconcile only queues, so JOSDK's per-object maximum-interval timer
 * and limiter state would be memory (a timer task per Pod) for nothing. Their reconcilers only
 * read, so they get the cached Pod or Node, not a copy; reconcilers that write status get a copy.
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

  private io.javaoperatorsdk.operator.api.config.Cloner cloner() {
    f.start(OperatorFixture.defaults());
    return f.operator().resourceCloner();
  }

  @Test
  void podsReachTheirReconcilerAsCached() {
    Pod pod = new PodBuilder().withNewMetadata().withName("web-0").endMetadata().build();
    assertThat(cloner().clone(pod)).isSameAs(pod);
  }

  @Test
  void nodesReachTheirReconcilerAsCached() {
    Node node = new NodeBuilder().withNewMetadata().withName("node-1").endMetadata().build();
    assertThat(cloner().clone(node)).isSameAs(node);
  }

  @Test
  void spiffeIdsReachTheirReconcilerAsACopy() {
    SpiffeID id = new SpiffeID();
    id.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("web").build());
    SpiffeID copy = cloner().clone(id);
    assertThat(copy).isNotSameAs(id).isEqualTo(id);
  }
}
