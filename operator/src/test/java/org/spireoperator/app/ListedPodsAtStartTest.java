package org.spireoperator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.testing.OperatorFixture;

/**
 * A start decides the pods already in the cluster in its first full pass: the add events of the Pod
 * informer's first listing reconcile nothing (a JOSDK reconcile and a no-op decision per pod saved
 * on every start), and a pod created later is reconciled as it comes.
 */
class ListedPodsAtStartTest {

  private final OperatorFixture f = new OperatorFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  private void podsBeforeStart() {
    f.cluster().node("node-1");
    f.cluster().namespace("shop");
    for (int i = 0; i < 5; i++) {
      f.cluster().pod("shop", "web-" + i, "node-1", "web-" + i);
    }
    f.start(OperatorFixture.defaults());
    for (int i = 0; i < 5; i++) {
      f.awaitEntry("spiffe://example.org/ns/shop/sa/web-" + i);
    }
    f.awaitIdle();
  }

  private double podReconciles() {
    return f.meters().getMeters().stream()
        .filter(m -> m.getId().getName().equals("operator.sdk.reconciliations.started"))
        .filter(m -> "Pod".equals(m.getId().getTag("kind")))
        .mapToDouble(m -> m.measure().iterator().next().getValue())
        .sum();
  }

  @Test
  void podsPresentAtStartGetTheirEntries() {
    podsBeforeStart();
    assertThat(f.entries())
        .filteredOn(e -> e.spiffeId().toString().startsWith("spiffe://example.org/ns/shop/"))
        .hasSize(5);
  }

  @Test
  void podsPresentAtStartAreNotReconciledOneByOne() {
    podsBeforeStart();
    assertThat(podReconciles()).isZero();
  }

  @Test
  void aPodCreatedAfterTheStartIsReconciledAsItComes() {
    podsBeforeStart();
    f.cluster().pod("shop", "web-9", "node-1", "web-9");
    f.awaitEntry("spiffe://example.org/ns/shop/sa/web-9");
    await().atMost(Duration.ofSeconds(10)).until(() -> podReconciles() == 1);
  }
}
