package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.Diagnostic;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.registration.WorkloadKey;
import org.spireoperator.spire.DeleteOutcome;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.testing.ManualClock;
import org.spireoperator.testing.OperatorFixture;

/**
 * What the engine makes of SPIRE's answers to one subject's writes, fed by hand: the owned-entry
 * index, the subject's outcome, what is reported and when the subject is looked at again. The queue
 * runs on a frozen clock, so a subject waiting out a backoff is handed out only once the test moves
 * the clock (or the outage probe releases it).
 */
class AnswerRecorderTest {

  private static final PodKey WEB = new PodKey("shop", "web-0");
  private static final SpiffeIdKey SID = new SpiffeIdKey("shop", "sid");
  private static final WorkloadKey WEB_BY_DEFAULT = new WorkloadKey("default", "shop", "web-0");

  /** Always queued by {@link #handedOutNow}, so that taking from the queue never blocks. */
  private static final PodKey MARKER = new PodKey("test", "marker");

  /** The first delay of {@link #backoff}; each further failure doubles it. */
  private static final Duration FIRST_DELAY = Duration.ofSeconds(1);

  private final ManualClock clock = new ManualClock();
  private final TestEngine engine = new TestEngine(OperatorFixture.unconfined(), clock);
  private final RetryBackoff backoff =
      new RetryBackoff(FIRST_DELAY.multipliedBy(2), Duration.ofMinutes(1), lowestDraw());
  private final AtomicBoolean spireAnswersProbe = new AtomicBoolean(false);
  private final OutageProbe probe = new OutageProbe(engine.queue, spireAnswersProbe::get);
  private final List<Subject> writeFailures = new ArrayList<>();

  AnswerRecorderTest() {
    engine.cluster.node(TestEngine.NODE_1);
    engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_1, "web");
    engine.spiffeId(SID.namespace(), SID.name(), "web", TestEngine.NODE_1);
  }

  @AfterEach
  void tearDown() {
    probe.close();
    engine.close();
  }

  private static RandomGenerator lowestDraw() {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public long nextLong(long bound) {
        return 0;
      }
    };
  }

  private AnswerRecorder recorder(Predicate<Subject> tracked) {
    EngineEvents events =
        new EngineEvents() {
          @Override
          public void wrote(Subject subject, int created, int updated, int deleted) {
            engine.events.wrote(subject, created, updated, deleted);
          }

          @Override
          public void writeFailed(Subject subject) {
            writeFailures.add(subject);
          }
        };
    return new AnswerRecorder(
        engine.queue,
        engine.owned,
        engine.ownership,
        engine.outcomes,
        tracked,
        engine.diagnostics::add,
        events,
        backoff,
        probe,
        engine.client::getEntry);
  }

  /** Records with every subject's outcome tracked. */
  private void record(Subject s, List<Entry> current, Applied applied) {
    record(s, engine.desiredState.decide(s).desired(), current, applied);
  }

  private void record(Subject s, Desired desired, List<Entry> current, Applied applied) {
    recorder(x -> true).record(s, desired, current, applied);
  }

  private static Applied created(EntryOutcome... outcomes) {
    return new Applied(List.of(outcomes), List.of(), List.of());
  }

  private static Applied updated(EntryOutcome... outcomes) {
    return new Applied(List.of(), List.of(outcomes), List.of());
  }

  private static Applied deleted(DeleteOutcome... outcomes) {
    return new Applied(List.of(), List.of(), List.of(outcomes));
  }

  private static EntryOutcome ok(Entry entry) {
    return new EntryOutcome(entry, entry, Status.Code.OK, "");
  }

  private static EntryOutcome refused(Entry requested, Status.Code code) {
    return new EntryOutcome(requested, null, code, "refused");
  }

  private static EntryOutcome similarExists(Entry requested, Entry existing) {
    return new EntryOutcome(requested, existing, Status.Code.ALREADY_EXISTS, "similar entry");
  }

  /** WEB's entry as the cluster wants it, with a DNS name that makes it differ. */
  private Entry staleWeb() {
    return engine.wanted(WEB).withDnsNames(List.of("stale.example"));
  }

  /** The subjects the queue hands out now, without waiting. */
  private List<Subject> handedOutNow() throws InterruptedException {
    engine.queue.open();
    engine.queue.add(MARKER);
    List<Subject> out = new ArrayList<>(engine.queue.take(100));
    out.forEach(engine.queue::done);
    out.remove(MARKER);
    return out;
  }

  private String reasonOf(Subject s) {
    return engine.outcomes.get(s).map(SubjectOutcome::reason).orElse("(none)");
  }

  private List<String> reportedAbout(Subject s) {
    return engine.diagnostics.stream()
        .filter(d -> d.about().equals(s))
        .map(Diagnostic::reason)
        .toList();
  }

  // the owned-entry index

  @Test
  void aCreatedEntryJoinsTheSubjectsIndex() {
    Entry web = engine.wanted(WEB);
    record(WEB, List.of(), created(ok(web)));
    assertThat(engine.owned.get(WEB)).containsExactly(web);
  }

  @Test
  void anUpdatedEntryReplacesItsOldSelfInTheIndex() {
    Entry web = engine.wanted(WEB);
    record(WEB, List.of(staleWeb()), updated(ok(web)));
    assertThat(engine.owned.get(WEB)).containsExactly(web);
  }

  @Test
  void aDeletedEntryLeavesTheIndex() {
    Entry web = engine.wanted(WEB);
    Entry duplicate = web.withId(web.id() + "-copy");
    record(
        WEB,
        List.of(web, duplicate),
        deleted(new DeleteOutcome(duplicate.id(), Status.Code.OK, "")));
    assertThat(engine.owned.get(WEB)).containsExactly(web);
  }

  @Test
  void aDeleteAnsweredNotFoundLeavesTheIndexAsDeleted() {
    Entry stale = staleWeb();
    engine.cluster.removePod(WEB);
    record(WEB, List.of(stale), deleted(new DeleteOutcome(stale.id(), Status.Code.NOT_FOUND, "")));
    assertThat(engine.owned.get(WEB)).isEmpty();
  }

  @Test
  void aDeleteAnsweredNotFoundIsNoFailure() {
    Entry stale = staleWeb();
    engine.cluster.removePod(WEB);
    record(WEB, List.of(stale), deleted(new DeleteOutcome(stale.id(), Status.Code.NOT_FOUND, "")));
    assertThat(engine.diagnostics).isEmpty();
  }

  @Test
  void aSimilarEntryTheSubjectMayAdoptJoinsItsIndex() {
    Entry upstream = engine.wanted(WEB).withId("0f3c-upstream");
    record(WEB, List.of(), created(similarExists(engine.wanted(WEB), upstream)));
    assertThat(engine.owned.get(WEB)).containsExactly(upstream);
  }

  @Test
  void anAdoptedEntryMakesTheSubjectRegistered() {
    Entry upstream = engine.wanted(WEB).withId("0f3c-upstream");
    record(WEB, List.of(), created(similarExists(engine.wanted(WEB), upstream)));
    assertThat(reasonOf(WEB)).isEqualTo("Registered");
  }

  @Test
  void aSimilarEntryTheSubjectMayNotAdoptStaysOutOfItsIndex() {
    Entry foreign = engine.wanted(SID).withId("0f3c-foreign");
    record(SID, List.of(), created(similarExists(engine.wanted(SID), foreign)));
    assertThat(engine.owned.get(SID)).isEmpty();
  }

  @Test
  void anUpdateAnsweredNotFoundDropsTheEntryFromTheIndex() {
    Entry stale = staleWeb();
    record(WEB, List.of(stale), updated(refused(engine.wanted(WEB), Status.Code.NOT_FOUND)));
    assertThat(engine.owned.get(WEB)).isEmpty();
  }

  // the subject's outcome and what is reported

  @Test
  void aWrittenWantedEntryMakesTheSubjectRegistered() {
    record(WEB, List.of(), created(ok(engine.wanted(WEB))));
    assertThat(reasonOf(WEB)).isEqualTo("Registered");
  }

  @Test
  void aWantedEntryNothingWroteIsPending() {
    record(WEB, List.of(), Applied.nothing());
    assertThat(reasonOf(WEB)).isEqualTo("Pending");
  }

  @Test
  void aSimilarEntryTheSubjectMayNotAdoptIsAConflict() {
    Entry foreign = engine.wanted(SID).withId("0f3c-foreign");
    record(SID, List.of(), created(similarExists(engine.wanted(SID), foreign)));
    assertThat(reasonOf(SID)).isEqualTo("Conflict");
  }

  @Test
  void aConflictIsReported() {
    Entry foreign = engine.wanted(SID).withId("0f3c-foreign");
    record(SID, List.of(), created(similarExists(engine.wanted(SID), foreign)));
    assertThat(reportedAbout(SID)).containsExactly("Conflict");
  }

  @Test
  void aRefusedCreateIsASpireError() {
    record(WEB, List.of(), created(refused(engine.wanted(WEB), Status.Code.INVALID_ARGUMENT)));
    assertThat(reasonOf(WEB)).isEqualTo("SpireError");
  }

  @Test
  void aRefusedWriteIsReportedOnce() {
    record(WEB, List.of(), created(refused(engine.wanted(WEB), Status.Code.INVALID_ARGUMENT)));
    assertThat(reportedAbout(WEB)).containsExactly("SpireError");
  }

  @Test
  void aRefusedWriteIsCountedAsAFailedWrite() {
    record(WEB, List.of(staleWeb()), updated(refused(engine.wanted(WEB), Status.Code.INTERNAL)));
    assertThat(writeFailures).containsExactly(WEB);
  }

  @Test
  void aRefusedDeleteIsASpireError() {
    Entry stale = staleWeb();
    engine.cluster.removePod(WEB);
    record(
        WEB,
        List.of(stale),
        deleted(new DeleteOutcome(stale.id(), Status.Code.PERMISSION_DENIED, "no")));
    assertThat(reasonOf(WEB)).isEqualTo("SpireError");
  }

  @Test
  void anUpdateAnsweredNotFoundIsNoFailureOfTheObject() {
    record(WEB, List.of(staleWeb()), updated(refused(engine.wanted(WEB), Status.Code.NOT_FOUND)));
    assertThat(engine.diagnostics).isEmpty();
  }

  @Test
  void aTransientFailureIsAnErrorThatSaysItIsRetried() {
    record(WEB, List.of(), created(refused(engine.wanted(WEB), Status.Code.UNAVAILABLE)));
    assertThat(engine.outcomes.get(WEB))
        .get()
        .extracting(SubjectOutcome::message)
        .asString()
        .endsWith("(retrying)");
  }

  @Test
  void aTransientFailureIsNotReported() {
    record(WEB, List.of(), created(refused(engine.wanted(WEB), Status.Code.UNAVAILABLE)));
    assertThat(engine.diagnostics).isEmpty();
  }

  @Test
  void aRejectedSubjectKeepsItsRejectionAsOutcomeWhateverWasWritten() {
    record(
        SID,
        new Desired.Rejected("spec is invalid", "InvalidSpec", e -> true),
        List.of(engine.wanted(SID)),
        Applied.nothing());
    assertThat(reasonOf(SID)).isEqualTo("InvalidSpec");
  }

  @Test
  void aPodThatWantsNoEntryAndHasNoneLeftIsForgotten() {
    Entry web = engine.wanted(WEB);
    record(WEB, List.of(), created(ok(web)));
    engine.cluster.removePod(WEB);
    record(WEB, List.of(web), deleted(new DeleteOutcome(web.id(), Status.Code.OK, "")));
    assertThat(engine.outcomes.get(WEB)).isEmpty();
  }

  @Test
  void aMaskedWorkloadIsRememberedAsMaskedThoughItHasNoEntry() {
    record(
        WEB_BY_DEFAULT,
        new Desired.Unwanted("masked by ClusterSPIFFEID/older", "Masked"),
        List.of(),
        Applied.nothing());
    assertThat(reasonOf(WEB_BY_DEFAULT)).isEqualTo("Masked");
  }

  @Test
  void aSkippedFallbackIsRememberedThoughItHasNoEntry() {
    record(
        WEB_BY_DEFAULT,
        new Desired.Unwanted("a fallback", "FallbackSkipped"),
        List.of(),
        Applied.nothing());
    assertThat(reasonOf(WEB_BY_DEFAULT)).isEqualTo("FallbackSkipped");
  }

  @Test
  void theOutcomeOfAnUntrackedSubjectIsNotRecorded() {
    recorder(SpiffeIdKey.class::isInstance)
        .record(
            WEB,
            engine.desiredState.decide(WEB).desired(),
            List.of(),
            created(ok(engine.wanted(WEB))));
    assertThat(engine.outcomes.get(WEB)).isEmpty();
  }

  @Test
  void theWritesOfASubjectAreCountedOnlyWhenTheServerMadeThem() {
    Entry web = engine.wanted(WEB);
    Entry duplicate = web.withId(web.id() + "-copy");
    record(
        WEB,
        List.of(staleWeb(), duplicate),
        new Applied(
            List.of(),
            List.of(ok(web)),
            List.of(new DeleteOutcome(duplicate.id(), Status.Code.OK, ""))));
    record(
        SID,
        List.of(),
        created(similarExists(engine.wanted(SID), engine.wanted(SID).withId("0f3c-foreign"))));
    assertThat(engine.wrote).containsExactly(WEB + " +0 ~1 -1", SID + " +0 ~0 -0");
  }

  // when the subject is looked at again

  @Test
  void aWriteTheServerAnsweredQueuesNothing() throws InterruptedException {
    record(WEB, List.of(), created(ok(engine.wanted(WEB))));
    assertThat(handedOutNow()).isEmpty();
  }

  @Test
  void anUpdateAnsweredNotFoundQueuesTheSubjectAtOnce() throws InterruptedException {
    record(WEB, List.of(staleWeb()), updated(refused(engine.wanted(WEB), Status.Code.NOT_FOUND)));
    assertThat(handedOutNow()).containsExactly(WEB);
  }

  @Test
  void aTransientFailureIsNotRetriedBeforeItsBackoffHasPassed() throws InterruptedException {
    record(WEB, List.of(), created(refused(engine.wanted(WEB), Status.Code.UNAVAILABLE)));
    clock.advance(FIRST_DELAY.minusMillis(1));
    assertThat(handedOutNow()).isEmpty();
  }

  @Test
  void aTransientFailureIsRetriedOnceItsBackoffHasPassed() throws InterruptedException {
    record(WEB, List.of(), created(refused(engine.wanted(WEB), Status.Code.UNAVAILABLE)));
    clock.advance(FIRST_DELAY);
    assertThat(handedOutNow()).containsExactly(WEB);
  }

  @Test
  void aTransientFailureStartsTheOutageProbeWhichRetriesOnceSpireAnswers() {
    record(WEB, List.of(), created(refused(engine.wanted(WEB), Status.Code.UNAVAILABLE)));
    spireAnswersProbe.set(true);
    await("the probe releases the waiting subject while the clock stands still")
        .atMost(OutageProbe.INTERVAL.multipliedBy(5))
        .until(() -> handedOutNow().contains(WEB));
  }

  @Test
  void aRefusalIsNotRetried() throws InterruptedException {
    record(WEB, List.of(), created(refused(engine.wanted(WEB), Status.Code.INVALID_ARGUMENT)));
    clock.advance(Duration.ofHours(1));
    assertThat(handedOutNow()).isEmpty();
  }

  @Test
  void aSuccessStartsTheBackoffOver() {
    record(WEB, List.of(), created(refused(engine.wanted(WEB), Status.Code.UNAVAILABLE)));
    record(WEB, List.of(), created(ok(engine.wanted(WEB))));
    assertThat(backoff.next(WEB)).isEqualTo(FIRST_DELAY);
  }

  // a create refused because the subject's own marked ID is taken

  /** WEB's own marked entry is on the server under a parent the index never saw. */
  private Entry websEntryMovedAway() {
    return engine.spire.put(
        engine
            .wanted(WEB)
            .withParentId(SpiffeId.parse("spiffe://example.org/spire/agent/k8s_psat/demo/gone")));
  }

  @Test
  void aCreateRefusedForItsOwnTakenIdTakesThatEntryBackIntoTheIndex() {
    Entry moved = websEntryMovedAway();
    record(WEB, List.of(), created(refused(engine.wanted(WEB), Status.Code.ALREADY_EXISTS)));
    assertThat(engine.owned.get(WEB)).extracting(Entry::id).containsExactly(moved.id());
  }

  @Test
  void aCreateRefusedForItsOwnTakenIdQueuesTheSubjectAtOnce() throws InterruptedException {
    websEntryMovedAway();
    record(WEB, List.of(), created(refused(engine.wanted(WEB), Status.Code.ALREADY_EXISTS)));
    assertThat(handedOutNow()).containsExactly(WEB);
  }

  @Test
  void aCreateRefusedWhileItsIdIsFreeTakesNothingIntoTheIndex() {
    record(WEB, List.of(), created(refused(engine.wanted(WEB), Status.Code.ALREADY_EXISTS)));
    assertThat(engine.owned.get(WEB)).isEmpty();
  }

  @Test
  void anUnmarkedEntryWithTheRequestedIdIsNeverTakenIntoTheIndex() {
    Entry unmarked = engine.wanted(WEB).withId("0f3c-upstream");
    engine.spire.put(unmarked);
    record(WEB, List.of(), created(refused(unmarked, Status.Code.ALREADY_EXISTS)));
    assertThat(engine.owned.get(WEB)).isEmpty();
  }
}
