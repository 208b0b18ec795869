package org.spireoperator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The add events of the pods the Pod informer stored during its first listing reconcile nothing
 * (the first full pass decides them); every other add does.
 */
class FirstListingTest {

  private final AtomicBoolean listed = new AtomicBoolean();
  private final FirstListing firstListing = new FirstListing(listed::get);

  private static Pod pod(String name, String resourceVersion) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("shop")
        .withName(name)
        .withResourceVersion(resourceVersion)
        .endMetadata()
        .build();
  }

  @Test
  void theAddOfAPodStoredByTheFirstListingIsSkipped() {
    firstListing.stored(pod("web-0", "7"));
    assertThat(firstListing.accept(pod("web-0", "7"))).isFalse();
  }

  @Test
  void itIsSkippedOnlyOnce() {
    firstListing.stored(pod("web-0", "7"));
    firstListing.accept(pod("web-0", "7"));
    assertThat(firstListing.accept(pod("web-0", "7"))).isTrue();
  }

  @Test
  void theAddOfAPodStoredOnceTheListingIsOverIsReconciled() {
    listed.set(true);
    firstListing.stored(pod("web-0", "7"));
    assertThat(firstListing.accept(pod("web-0", "7"))).isTrue();
  }

  @Test
  void aListingOnceOverStaysOver() {
    listed.set(true);
    firstListing.stored(pod("web-0", "7"));
    listed.set(false);
    firstListing.stored(pod("web-1", "8"));
    assertThat(firstListing.accept(pod("web-1", "8"))).isTrue();
  }

  @Test
  void anAddOfAnotherResourceVersionOfAListedPodIsReconciled() {
    firstListing.stored(pod("web-0", "7"));
    assertThat(firstListing.accept(pod("web-0", "9"))).isTrue();
  }

  @Test
  void anAddOfAPodTheListingDidNotStoreIsReconciled() {
    firstListing.stored(pod("web-0", "7"));
    assertThat(firstListing.accept(pod("web-1", "7"))).isTrue();
  }

  @Test
  void everySkippedAddLeavesNothingPending() {
    firstListing.stored(pod("web-0", "7"));
    firstListing.stored(pod("web-1", "8"));
    firstListing.accept(pod("web-0", "7"));
    firstListing.accept(pod("web-1", "8"));
    assertThat(firstListing.pending()).isZero();
  }
}
