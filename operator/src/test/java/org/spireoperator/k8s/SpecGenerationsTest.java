package org.spireoperator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpecGenerationsTest {

  private final SpecGenerations generations = new SpecGenerations();

  @Test
  void theFirstReconcileOfAnObjectIsAChange() {
    assertThat(generations.changed("a", 1L)).isTrue();
  }

  @Test
  void aReconcileOfTheSameGenerationIsNoChange() {
    generations.changed("a", 1L);

    assertThat(generations.changed("a", 1L)).isFalse();
  }

  @Test
  void aNewGenerationIsAChange() {
    generations.changed("a", 1L);

    assertThat(generations.changed("a", 2L)).isTrue();
  }

  @Test
  void anObjectForgottenAndSeenAgainIsAChange() {
    generations.changed("a", 1L);
    generations.forget("a");

    assertThat(generations.changed("a", 1L)).isTrue();
  }

  @Test
  void objectsAreCountedApart() {
    generations.changed("a", 1L);

    assertThat(generations.changed("b", 1L)).isTrue();
  }
}
