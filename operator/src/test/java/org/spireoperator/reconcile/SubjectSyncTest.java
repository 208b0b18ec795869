package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.Federation;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodView;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.testserver.RecordedCall;
import org.spireoperator.testing.ManualClock;
import org.spireoperator.testing.OperatorFixture;

class SubjectSyncTest {

  private static final PodKey WEB = new PodKey("shop", "web-0");
  private static final PodKey API = new PodKey("shop", "api-0");
  private static final PodKey OLD = new PodKey("shop", "old-0");
  private static final SpiffeIdKey SID = new SpiffeIdKey("shop", "sid");
  private static final Duration BACKOFF = Duration.ofSeconds(1);

  private final ManualClock clock = new ManualClock();
  private final TestEngine engine = new TestEngine(OperatorFixture.unconfined(), clock);

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private void pods(PodKey... pods) {
    engine.cluster.node(TestEngine.NODE_1);
    for (PodKey p : pods) {
      engine.cluster.pod(p.namespace(), p.name(), TestEngine.NODE_1, p.name() + "-sa");
    }
  }

  /** Makes {@code entry} the subject's entry both on the server and in the owned-entry index. */
  private void owns(Subject subject, Entry entry) {
    engine.owned.put(subject, List.of(engine.spire.put(entry)));
  }

  /** Workers whose backoff is {@link #BACKOFF} on the test's clock; SPIRE answers no probe. */
  private SubjectSync workersThatNeverProbeSuccessfully() {
    return engine.writers(
        TestEngine.fixedBackoff(BACKOFF), () -> false, SpiffeIdKey.class::isInstance);
  }

  /** Waits until {@code subject} is neither queued nor in flight: waiting out a backoff. */
  private void awaitWaiting(Subject subject) {
    await("the subject waits out a backoff")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                engine.queue.depth() == 1
                    && engine.queue.forEachIdle(List.of(subject), s -> true) == 1);
  }

  private List<RecordedCall> creates() {
    return engine.spire.calls("BatchCreateEntry");
  }

  @Test
  void aBatchOfChangedSubjectsCostsOneWriteCallPerKindOfWrite() {
    pods(WEB, API, OLD);
    owns(API, engine.wanted(API).withDnsNames(List.of("stale.example")));
    owns(OLD, engine.wanted(OLD));
    engine.cluster.removePod(OLD);
    SubjectSync sync = engine.writers();
    sync.process(List.of(new NodeKey(TestEngine.NODE_1), WEB, API, OLD));
    assertThat(engine.spire.writeCalls())
        .extracting(RecordedCall::method)
        .containsExactly("BatchDeleteEntry", "BatchUpdateEntry", "BatchCreateEntry");
  }

  @Test
  void aBatchOfNewPodsCostsOneCreateCall() {
    pods(WEB, API, OLD);
    engine.writers().process(List.of(WEB, API, OLD));
    assertThat(creates()).hasSize(1);
  }

  @Test
  void aSubjectWhoseEntryEqualsItsDesiredEntryCostsNoCall() {
    pods(WEB);
    owns(WEB, engine.wanted(WEB));
    engine.writers().process(List.of(WEB));
    assertThat(engine.spire.writeCalls()).isEmpty();
  }

  @Test
  void writtenEntriesAreRecordedInTheOwnedEntryIndex() {
    pods(WEB);
    engine.writers().process(List.of(WEB));
    assertThat(engine.owned.get(WEB))
        .containsExactlyElementsOf(engine.markedEntryOf(WEB).stream().toList());
  }

  @Test
  void aTransientFailureLeavesTheSubjectWaitingOutItsBackoff() {
    pods(WEB);
    workersThatNeverProbeSuccessfully();
    engine.spire.failNext("BatchCreateEntry", 1, Status.Code.UNAVAILABLE);
    engine.queue.open();
    engine.queue.add(WEB);
    awaitWaiting(WEB);
    clock.advance(BACKOFF.minusMillis(1));
    await("no second attempt before the backoff has passed")
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(10))
        .until(() -> creates().size() == 1);
  }

  @Test
  void aTransientFailureIsRetriedOnceItsBackoffHasPassed() {
    pods(WEB);
    workersThatNeverProbeSuccessfully();
    engine.spire.failNext("BatchCreateEntry", 1, Status.Code.UNAVAILABLE);
    engine.queue.open();
    engine.queue.add(WEB);
    awaitWaiting(WEB);
    clock.advance(BACKOFF);
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.markedEntryOf(WEB).isPresent());
  }

  /**
   * A pod that federates with a trust domain the server has no bundle for: refused, INTERNAL, and
   * waiting out its backoff (the bundle may come).
   */
  private void podRefusedByTheServer() {
    engine.cluster.node(TestEngine.NODE_1);
    PodView web = engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_1, "web");
    engine.cluster.pod(
        new PodView(
            web.namespace(),
            web.name(),
            web.uid(),
            web.serviceAccount(),
            web.nodeName(),
            web.hostname(),
            web.phase(),
            web.podIp(),
            web.labels(),
            Map.of(Federation.ANNOTATION, "unknown.org"),
            web.containerImages(),
            false));
    engine.writers();
    engine.queue.open();
    engine.queue.add(WEB);
    awaitWaiting(WEB);
  }

  /** The same report on every attempt: the Event writer posts each distinct one once. */
  @Test
  void aRefusalForAMissingBundleIsReportedAsASpireErrorOnEveryAttempt() {
    podRefusedByTheServer();
    clock.advance(BACKOFF);
    await().atMost(Duration.ofSeconds(10)).until(() -> creates().size() == 2);
    awaitWaiting(WEB);
    assertThat(engine.diagnostics)
        .filteredOn(d -> d.about().equals(WEB))
        .extracting(d -> d.reason() + ": " + d.message())
        .containsOnly(
            engine.diagnostics.get(0).reason() + ": " + engine.diagnostics.get(0).message())
        .hasSize(2);
  }

  @Test
  void aRefusalForAMissingBundleIsRetriedAfterItsBackoffUntilTheServerHasTheBundle() {
    podRefusedByTheServer();
    engine.spire.addFederatedBundle("unknown.org");
    clock.advance(BACKOFF);
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.markedEntryOf(WEB).isPresent());
  }

  @Test
  void aPodAdoptsTheUpstreamEntryItsCreateRanInto() {
    pods(WEB);
    Entry upstream = engine.spire.put(engine.wanted(WEB).withId("0f3c-upstream"));
    engine.writers().process(List.of(WEB));
    assertThat(engine.owned.get(WEB)).extracting(Entry::id).containsExactly(upstream.id());
  }

  private void foreignEntrySimilarToTheSpiffeIdsEntry() {
    engine.cluster.node(TestEngine.NODE_1);
    engine.spiffeId(SID.namespace(), SID.name(), "web", TestEngine.NODE_1);
    engine.spire.put(engine.wanted(SID).withId("0f3c-foreign"));
    engine.writers().process(List.of(SID));
  }

  @Test
  void aSpiffeIdThatRunsIntoAnEntryItDidNotCreateIsInConflict() {
    foreignEntrySimilarToTheSpiffeIdsEntry();
    assertThat(engine.outcomes.get(SID))
        .get()
        .extracting(SubjectOutcome::reason)
        .isEqualTo("Conflict");
  }

  @Test
  void aSpiffeIdNeverAdoptsAnEntryItDidNotCreate() {
    foreignEntrySimilarToTheSpiffeIdsEntry();
    assertThat(engine.owned.get(SID)).isEmpty();
  }

  @Test
  void aCreateRefusedBecauseTheSubjectsOwnIdIsTakenUpdatesThatEntryInPlace() {
    pods(WEB);
    Entry wanted = engine.wanted(WEB);
    engine.spire.put(
        wanted.withParentId(SpiffeId.parse("spiffe://example.org/spire/agent/k8s_psat/demo/gone")));
    engine.writers();
    engine.queue.open();
    engine.queue.add(WEB);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> engine.markedEntryOf(WEB).filter(wanted::sameRegistration).isPresent());
  }

  /** The index holds a stale entry of WEB's that an admin deleted from the server meanwhile. */
  private void staleEntryDeletedBehindOurBack() {
    pods(WEB);
    Entry stale = engine.wanted(WEB).withDnsNames(List.of("stale.example"));
    owns(WEB, stale);
    engine.spire.remove(stale.id());
  }

  @Test
  void anEntryDeletedBehindOurBackIsWrittenAgain() {
    staleEntryDeletedBehindOurBack();
    engine.writers();
    engine.queue.open();
    engine.queue.add(WEB);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                engine.markedEntryOf(WEB).filter(engine.wanted(WEB)::sameRegistration).isPresent());
  }

  @Test
  void anEntryDeletedBehindOurBackIsNoFailureOfTheObject() {
    staleEntryDeletedBehindOurBack();
    engine.writers(TestEngine.fixedBackoff(BACKOFF), () -> true, PodKey.class::isInstance);
    engine.queue.open();
    engine.queue.add(WEB);
    await("the object ends Registered, not SpireError")
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> engine.outcomes.get(WEB).map(SubjectOutcome::reason).orElse(""),
            "Registered"::equals);
  }

  @Test
  void theOutcomeOfATrackedSubjectIsRecorded() {
    engine.cluster.node(TestEngine.NODE_1);
    engine.spiffeId(SID.namespace(), SID.name(), "web", TestEngine.NODE_1);
    engine.writers().process(List.of(SID));
    assertThat(engine.outcomes.get(SID))
        .get()
        .extracting(SubjectOutcome::reason)
        .isEqualTo("Registered");
  }

  @Test
  void theOutcomeOfAnUntrackedSubjectIsNotRecorded() {
    pods(WEB);
    engine.writers().process(List.of(WEB));
    assertThat(engine.outcomes.get(WEB)).isEmpty();
  }

  @Test
  void aBatchThatFailsWhileTheWritersCloseEndsQuietly() {
    pods(WEB);
    SubjectSync sync = engine.writers();
    engine.spire.failNext("BatchCreateEntry", 1, Status.Code.UNAVAILABLE);
    sync.close(); // shutting down during an outage: a batch in flight fails afterwards
    assertThatCode(() -> sync.process(List.of(WEB))).doesNotThrowAnyException();
  }

  @Test
  void whileSpireAnswersNoProbeAWaitingSubjectKeepsWaiting() {
    pods(WEB);
    engine.writers(TestEngine.fixedBackoff(Duration.ofHours(1)), () -> false, s -> false);
    engine.spire.failNext("BatchCreateEntry", 1, Status.Code.UNAVAILABLE);
    engine.queue.open();
    engine.queue.add(WEB);
    awaitWaiting(WEB);
    await("no second attempt while the probe fails")
        .during(SubjectSync.PROBE.multipliedBy(2))
        .atMost(SubjectSync.PROBE.multipliedBy(2).plusSeconds(10))
        .until(() -> creates().size() == 1);
  }

  @Test
  void theFirstProbeSpireAnswersReleasesTheWaitingSubjects() {
    pods(WEB);
    AtomicBoolean spireAnswers = new AtomicBoolean();
    engine.writers(TestEngine.fixedBackoff(Duration.ofHours(1)), spireAnswers::get, s -> false);
    engine.spire.failNext("BatchCreateEntry", 1, Status.Code.UNAVAILABLE);
    engine.queue.open();
    engine.queue.add(WEB);
    awaitWaiting(WEB);
    spireAnswers.set(true);
    await()
        .atMost(SubjectSync.PROBE.multipliedBy(3))
        .until(() -> engine.markedEntryOf(WEB).isPresent());
  }
}
