package org.spireoperator.scm.entries;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Ready condition of spire-controller-manager objects. */
class ReadinessTest {

  private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");

  private static ClusterSpiffeIdReport report(List<ClusterSpiffeIdReport.RenderFailure> failures) {
    return new ClusterSpiffeIdReport("c", null, 2, 0, 5, failures, 1, 4 - failures.size());
  }

  @Test
  void aClusterSpiffeIdWithEveryEntrySetIsReady() {
    assertThat(Readiness.of(report(List.of()), 0))
        .isEqualTo(new Readiness(true, Readiness.ENTRIES_SET, "4 entries set, 1 masked"));
  }

  @Test
  void refusedEntriesComeFirst() {
    assertThat(
            Readiness.of(
                    report(List.of(new ClusterSpiffeIdReport.RenderFailure("shop/web", "x"))), 2)
                .reason())
        .isEqualTo(Readiness.ENTRY_FAILURES);
  }

  @Test
  void renderFailuresNameTheFirstThreePods() {
    List<ClusterSpiffeIdReport.RenderFailure> failures =
        List.of(
            new ClusterSpiffeIdReport.RenderFailure("shop/a", "no node"),
            new ClusterSpiffeIdReport.RenderFailure("shop/b", "no node"),
            new ClusterSpiffeIdReport.RenderFailure("shop/c", "no node"),
            new ClusterSpiffeIdReport.RenderFailure("shop/d", "no node"));

    assertThat(Readiness.of(report(failures), 0).message())
        .isEqualTo(
            "4 of 5 selected pods have no entry: shop/a: no node; shop/b: no node; shop/c: no node;"
                + " ...");
  }

  @Test
  void anInvalidSpecSaysWhy() {
    assertThat(
            Readiness.of(
                new ClusterSpiffeIdReport(
                    "c", "spiffeIDTemplate is empty", 0, 0, 0, List.of(), 0, 0),
                0))
        .isEqualTo(new Readiness(false, Readiness.INVALID_SPEC, "spiffeIDTemplate is empty"));
  }

  @Test
  void aMaskedStaticEntryIsNotReady() {
    assertThat(Readiness.of(new StaticEntryReport("s", null, true), false, null).reason())
        .isEqualTo(Readiness.MASKED);
  }

  @Test
  void theTransitionTimeStaysWhileTheStatusDoesNot() {
    Condition before =
        new Readiness(true, Readiness.ENTRIES_SET, "a").toCondition(1L, null, NOW.minusSeconds(60));

    Condition same =
        new Readiness(true, Readiness.ENTRIES_SET, "b").toCondition(2L, List.of(before), NOW);
    Condition changed =
        new Readiness(false, Readiness.RENDER_FAILURES, "c").toCondition(2L, List.of(before), NOW);

    assertThat(List.of(same.getLastTransitionTime(), changed.getLastTransitionTime()))
        .containsExactly(NOW.minusSeconds(60).toString(), NOW.toString());
  }
}
