package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spireoperator.reconcile.ScmObjects.clusterSpiffeId;
import static org.spireoperator.reconcile.ScmObjects.matchLabels;
import static org.spireoperator.reconcile.ScmObjects.namespace;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.StaticEntryKey;
import org.spireoperator.registration.WorkloadKey;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.entries.ClusterSpiffeIdReport;
import org.spireoperator.scm.entries.Readiness;
import org.spireoperator.testing.InMemoryCluster;
import org.spireoperator.testing.OperatorFixture;

/**
 * The status of spire-controller-manager's objects, read from what the engine last did for their
 * subjects: a ClusterSPIFFEID's counters and a ClusterStaticEntry's rendered, masked and set, and
 * the {@code Ready} condition they lead to.
 */
class ScmReportsTest {

  private static final PodKey WEB = new PodKey("shop", "web-0");
  private static final PodKey API = new PodKey("shop", "api-0");
  private static final PodKey LEDGER = new PodKey("bank", "ledger-0");

  private final InMemoryCluster cluster = new InMemoryCluster();
  private final SubjectOutcomes outcomes = new SubjectOutcomes();
  private final ScmReports reports = new ScmReports(ScmObjects.served(), cluster, outcomes);
  private final ClusterSPIFFEID webs = clusterSpiffeId("webs", 0, s -> {});

  ScmReportsTest() {
    cluster.namespace(namespace("shop", Map.of("team", "shop")));
    cluster.namespace(namespace("bank", Map.of("team", "bank")));
    cluster.namespace(namespace("kube-system", Map.of()));
  }

  private static SubjectOutcome outcome(String reason, boolean declared) {
    return new SubjectOutcome(List.of(), reason.equals("Registered"), reason, reason, declared);
  }

  private void websOutcome(PodKey pod, String reason, boolean declared) {
    outcomes.record(
        new WorkloadKey("webs", pod.namespace(), pod.name()), outcome(reason, declared));
  }

  private ClusterSpiffeIdReport websReport() {
    return reports.clusterSpiffeId(webs).report();
  }

  private int websEntryFailures() {
    return reports.clusterSpiffeId(webs).entryFailures();
  }

  private String websReadyReason() {
    ScmReports.ClusterSpiffeIdStatus s = reports.clusterSpiffeId(webs);
    return Readiness.of(s.report(), s.entryFailures()).reason();
  }

  // a ClusterSPIFFEID's counters

  @Test
  void everyNamespaceTheSelectorSelectsIsCounted() {
    assertThat(websReport().namespacesSelected()).isEqualTo(3);
  }

  @Test
  void onlyNamespacesTheSelectorSelectsAreCounted() {
    webs.getSpec().setNamespaceSelector(matchLabels(Map.of("team", "shop")));
    assertThat(websReport().namespacesSelected()).isEqualTo(1);
  }

  @Test
  void aSelectedNamespaceThatIsIgnoredIsCountedAsIgnored() {
    assertThat(websReport().namespacesIgnored()).isEqualTo(1);
  }

  @Test
  void anIgnoredNamespaceTheSelectorDoesNotSelectIsNotCounted() {
    webs.getSpec().setNamespaceSelector(matchLabels(Map.of("team", "shop")));
    assertThat(websReport().namespacesIgnored()).isZero();
  }

  @Test
  void podsWithAnEntryOrAReasonForNoneAreSelected() {
    websOutcome(WEB, "Registered", true);
    websOutcome(API, "Masked", false);
    websOutcome(LEDGER, "RenderFailure", false);
    assertThat(websReport().podsSelected()).isEqualTo(3);
  }

  @Test
  void podsTheClusterSpiffeIdDoesNotSelectAreNotCounted() {
    websOutcome(WEB, "Registered", true);
    websOutcome(API, "NotSelected", false);
    websOutcome(LEDGER, "NotRegistered", false);
    assertThat(websReport().podsSelected()).isEqualTo(1);
  }

  @Test
  void aPodAFallbackStepsAsideForIsStillSelected() {
    websOutcome(WEB, "FallbackSkipped", false);
    assertThat(websReport().podsSelected()).isEqualTo(1);
  }

  @Test
  void theOtherClusterSpiffeIdsPodsAreNotCounted() {
    outcomes.record(
        new WorkloadKey("apis", API.namespace(), API.name()), outcome("Registered", true));
    assertThat(websReport().podsSelected()).isZero();
  }

  @Test
  void maskedEntriesAreCounted() {
    websOutcome(WEB, "Masked", false);
    websOutcome(API, "Registered", true);
    assertThat(websReport().entriesMasked()).isEqualTo(1);
  }

  @Test
  void aRenderFailureNamesThePodAndWhy() {
    outcomes.record(
        new WorkloadKey("webs", WEB.namespace(), WEB.name()),
        new SubjectOutcome(List.of(), false, "RenderFailure", "node not known", false));
    assertThat(websReport().renderFailures())
        .containsExactly(new ClusterSpiffeIdReport.RenderFailure("shop/web-0", "node not known"));
  }

  @Test
  void everyDeclaredEntryIsToSetWrittenOrNot() {
    websOutcome(WEB, "Registered", true);
    websOutcome(API, "Pending", true);
    websOutcome(LEDGER, "SpireError", true);
    assertThat(websReport().entriesToSet()).isEqualTo(3);
  }

  @Test
  void entriesNotDeclaredAreNotToSet() {
    websOutcome(WEB, "Masked", false);
    websOutcome(API, "FallbackSkipped", false);
    assertThat(websReport().entriesToSet()).isZero();
  }

  @Test
  void declaredEntriesSpireRefusedOrFoundInConflictAreEntryFailures() {
    websOutcome(WEB, "SpireError", true);
    websOutcome(API, "Conflict", true);
    websOutcome(LEDGER, "Registered", true);
    assertThat(websEntryFailures()).isEqualTo(2);
  }

  @Test
  void aFailedWriteOfAnEntryNoLongerDeclaredIsNoEntryFailure() {
    websOutcome(WEB, "SpireError", false);
    assertThat(websEntryFailures()).isZero();
  }

  @Test
  void anInvalidSpecCountsNothing() {
    websOutcome(WEB, "Registered", true);
    webs.getSpec().setSpiffeIDTemplate("{{ .Nope");
    assertThat(websReport())
        .extracting(
            ClusterSpiffeIdReport::namespacesSelected,
            ClusterSpiffeIdReport::podsSelected,
            ClusterSpiffeIdReport::entriesToSet)
        .containsExactly(0, 0, 0);
  }

  // a ClusterSPIFFEID's Ready condition

  @Test
  void aClusterSpiffeIdWithAnInvalidSpecIsNotReadyForThatReason() {
    webs.getSpec().setSpiffeIDTemplate("{{ .Nope");
    assertThat(websReadyReason()).isEqualTo(Readiness.INVALID_SPEC);
  }

  @Test
  void aClusterSpiffeIdWithEntryFailuresIsNotReadyForThatReason() {
    websOutcome(WEB, "SpireError", true);
    websOutcome(API, "RenderFailure", false);
    assertThat(websReadyReason()).isEqualTo(Readiness.ENTRY_FAILURES);
  }

  @Test
  void aClusterSpiffeIdWithRenderFailuresIsNotReadyForThatReason() {
    websOutcome(WEB, "Registered", true);
    websOutcome(API, "RenderFailure", false);
    assertThat(websReadyReason()).isEqualTo(Readiness.RENDER_FAILURES);
  }

  @Test
  void aClusterSpiffeIdWhoseEntriesAreSetOrMaskedIsReady() {
    websOutcome(WEB, "Registered", true);
    websOutcome(API, "Masked", false);
    assertThat(websReadyReason()).isEqualTo(Readiness.ENTRIES_SET);
  }

  // a ClusterStaticEntry

  private static final StaticEntryKey STATIC = new StaticEntryKey("web-static");

  private String staticReadyReason() {
    ScmReports.StaticStatus s = reports.staticEntry(STATIC.name()).orElseThrow();
    return Readiness.of(s.report(), s.inSpire(), s.spireProblem()).reason();
  }

  @Test
  void aClusterStaticEntryTheEngineHasNotLookedAtHasNoReportYet() {
    assertThat(reports.staticEntry(STATIC.name())).isEmpty();
  }

  @Test
  void aClusterStaticEntryWithAnInvalidSpecIsNotRendered() {
    outcomes.record(STATIC, outcome("InvalidSpec", false));
    assertThat(reports.staticEntry(STATIC.name()).orElseThrow().report().rendered()).isFalse();
  }

  @Test
  void aClusterStaticEntryWithAnInvalidSpecIsNotReadyForThatReason() {
    outcomes.record(STATIC, outcome("InvalidSpec", false));
    assertThat(staticReadyReason()).isEqualTo(Readiness.INVALID_SPEC);
  }

  @Test
  void aMaskedClusterStaticEntryIsReportedMasked() {
    outcomes.record(STATIC, outcome("Masked", false));
    assertThat(reports.staticEntry(STATIC.name()).orElseThrow().report().masked()).isTrue();
  }

  @Test
  void aMaskedClusterStaticEntryIsNotReadyForThatReason() {
    outcomes.record(STATIC, outcome("Masked", false));
    assertThat(staticReadyReason()).isEqualTo(Readiness.MASKED);
  }

  @Test
  void aClusterStaticEntrySpireRefusedCarriesSpiresAnswer() {
    outcomes.record(
        STATIC,
        new SubjectOutcome(List.of(), false, "SpireError", "create failed: INTERNAL", true));
    assertThat(reports.staticEntry(STATIC.name()).orElseThrow().spireProblem())
        .isEqualTo("create failed: INTERNAL");
  }

  @Test
  void aClusterStaticEntryInConflictIsNotReadyAsASpireError() {
    outcomes.record(STATIC, outcome("Conflict", true));
    assertThat(staticReadyReason()).isEqualTo(Readiness.SPIRE_ERROR);
  }

  @Test
  void aClusterStaticEntryNotWrittenYetIsNotReady() {
    outcomes.record(STATIC, outcome("Pending", true));
    assertThat(reports.staticEntry(STATIC.name()).orElseThrow().inSpire()).isFalse();
  }

  @Test
  void aRegisteredClusterStaticEntryIsSetAndReady() {
    outcomes.record(STATIC, outcome("Registered", true));
    assertThat(staticReadyReason()).isEqualTo(Readiness.ENTRIES_SET);
  }

  // the reasons the engine records are those the reports read

  @Test
  void aClusterSpiffeIdWhoseEntryTheEngineWroteCountsItAsSetAndIsReady() {
    try (TestEngine engine =
        new TestEngine(
            OperatorFixture.unconfined().withScm(ScmObjects.served()), Clock.systemUTC())) {
      engine.cluster.node(TestEngine.NODE_1);
      engine.cluster.namespace(namespace("shop", Map.of()));
      engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_1, "web");
      engine.cluster.clusterSpiffeId(webs);
      engine
          .writers(
              TestEngine.fixedBackoff(Duration.ofMillis(100)),
              () -> true,
              s -> s instanceof WorkloadKey || s instanceof StaticEntryKey)
          .process(List.of(new WorkloadKey("webs", WEB.namespace(), WEB.name())));
      ScmReports.ClusterSpiffeIdStatus s =
          new ScmReports(ScmObjects.served(), engine.cluster, engine.outcomes)
              .clusterSpiffeId(webs);
      assertThat(Readiness.of(s.report(), s.entryFailures()))
          .extracting(Readiness::reason, Readiness::message)
          .containsExactly(Readiness.ENTRIES_SET, "1 entries set, 0 masked");
    }
  }
}
