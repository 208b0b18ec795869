package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.testing.ManualClock;

class SubjectQueueTest {

  private static final Subject A = new PodKey("shop", "a");
  private static final Subject B = new PodKey("shop", "b");
  private static final Subject C = new PodKey("shop", "c");

  /** Long enough to see that a taker stays empty-handed; short enough for a unit test. */
  private static final Duration STAYS = Duration.ofMillis(300);

  private final ManualClock clock = new ManualClock();
  private final SubjectQueue queue = new SubjectQueue(clock);
  private final ExecutorService takers = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() {
    queue.close();
    takers.shutdownNow();
  }

  /** A worker waiting in {@link SubjectQueue#take} on its own thread. */
  private CompletableFuture<List<Subject>> taker() {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return queue.take(10);
          } catch (InterruptedException e) {
            throw new CompletionException(e);
          }
        },
        takers);
  }

  private static void staysEmptyHanded(CompletableFuture<List<Subject>> taker) {
    await("a taker stays empty-handed")
        .during(STAYS)
        .atMost(STAYS.plusSeconds(10))
        .until(() -> !taker.isDone());
  }

  private List<Subject> takeNow() throws InterruptedException {
    return queue.take(10);
  }

  @Test
  void aSubjectQueuedTwiceIsQueuedOnce() {
    queue.add(A);
    queue.add(A);
    assertThat(queue.depth()).isEqualTo(1);
  }

  @Test
  void nothingIsHandedOutBeforeTheQueueIsOpened() {
    queue.add(A);
    staysEmptyHanded(taker());
  }

  @Test
  void openingHandsOutWhatWasQueuedBefore() {
    queue.add(A);
    CompletableFuture<List<Subject>> taker = taker();
    queue.open();
    assertThat(taker).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(List.of(A));
  }

  @Test
  void aTakerGetsAtMostItsMaximumInArrivalOrder() throws InterruptedException {
    queue.open();
    queue.addAll(List.of(C, A, B));
    assertThat(queue.take(2)).containsExactly(C, A);
  }

  @Test
  void aSubjectInFlightIsNotHandedToASecondTakerWhenItChangesAgain() throws InterruptedException {
    queue.open();
    queue.add(A);
    takeNow();
    queue.add(A);
    staysEmptyHanded(taker());
  }

  @Test
  void aChangeWhileInFlightQueuesTheSubjectAgainOnceItIsDone() throws InterruptedException {
    queue.open();
    queue.add(A);
    takeNow();
    queue.add(A);
    queue.done(A);
    assertThat(takeNow()).containsExactly(A);
  }

  @Test
  void aSubjectDoneWithoutChangeIsNotQueuedAgain() throws InterruptedException {
    queue.open();
    queue.add(A);
    takeNow();
    queue.done(A);
    assertThat(queue.isIdle()).isTrue();
  }

  @Test
  void aSubjectInFlightWhoseRetryIsDueIsNotHandedToASecondTaker() throws InterruptedException {
    queue.open();
    queue.add(A);
    takeNow();
    queue.retryAfter(A, Duration.ZERO);
    staysEmptyHanded(taker());
  }

  @Test
  void aSubjectInFlightWhoseRetryIsDueIsHandedOutOnceItIsDone() throws InterruptedException {
    queue.open();
    queue.add(A);
    takeNow();
    queue.retryAfter(A, Duration.ZERO);
    CompletableFuture<List<Subject>> taker = taker();
    queue.done(A);
    assertThat(taker).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(List.of(A));
  }

  @Test
  void aRetryIsNotHandedOutBeforeItsDelayHasPassed() {
    queue.open();
    queue.retryAfter(A, Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(9));
    staysEmptyHanded(taker());
  }

  @Test
  void aRetryIsHandedOutOnceItsDelayHasPassed() throws InterruptedException {
    queue.open();
    queue.retryAfter(A, Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(10));
    assertThat(takeNow()).containsExactly(A);
  }

  @Test
  void aChangeEndsTheSubjectsDelay() throws InterruptedException {
    queue.open();
    queue.retryAfter(A, Duration.ofHours(1));
    queue.add(A);
    assertThat(takeNow()).containsExactly(A);
  }

  @Test
  void aRetryOfAQueuedSubjectDoesNotDelayIt() throws InterruptedException {
    queue.open();
    queue.add(A);
    queue.retryAfter(A, Duration.ofHours(1));
    assertThat(takeNow()).containsExactly(A);
  }

  @Test
  void releasingTheWaitingEndsEveryDelayAtOnce() throws InterruptedException {
    queue.open();
    queue.retryAfter(A, Duration.ofMinutes(1));
    queue.retryAfter(B, Duration.ofHours(1));
    queue.releaseWaiting();
    assertThat(takeNow()).containsExactlyInAnyOrder(A, B);
  }

  @Test
  void releasingTheWaitingDoesNotHandOutASubjectInFlight() throws InterruptedException {
    queue.open();
    queue.add(A);
    takeNow();
    queue.retryAfter(A, Duration.ofHours(1));
    queue.releaseWaiting();
    staysEmptyHanded(taker());
  }

  @Test
  void aSubjectInFlightWhenTheWaitingWereReleasedIsHandedOutOnceItIsDone()
      throws InterruptedException {
    queue.open();
    queue.add(A);
    takeNow();
    queue.retryAfter(A, Duration.ofHours(1));
    queue.releaseWaiting();
    queue.done(A);
    assertThat(takeNow()).containsExactly(A);
  }

  @Test
  void aPausedQueueHandsOutNothing() {
    queue.open();
    queue.pause();
    queue.add(A);
    staysEmptyHanded(taker());
  }

  @Test
  void aPausedQueueKeepsItsSubjectsForWhenItOpensAgain() throws InterruptedException {
    queue.open();
    queue.add(A);
    queue.pause();
    queue.open();
    assertThat(takeNow()).containsExactly(A);
  }

  @Test
  void closingWakesAWaitingTakerEmptyHanded() {
    queue.open();
    CompletableFuture<List<Subject>> taker = taker();
    queue.close();
    assertThat(taker).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(List.of());
  }

  @Test
  void aClosedQueueHandsOutNothingMore() throws InterruptedException {
    queue.open();
    queue.add(A);
    queue.close();
    assertThat(takeNow()).isEmpty();
  }

  @Test
  void forEachIdleSkipsSubjectsInFlight() throws InterruptedException {
    queue.open();
    queue.add(A);
    takeNow();
    List<Subject> visited = new ArrayList<>();
    queue.forEachIdle(List.of(A, B), visited::add);
    assertThat(visited).containsExactly(B);
  }

  @Test
  void forEachIdleCountsTheSubjectsItsActionAccepted() {
    assertThat(queue.forEachIdle(List.of(A, B, C), s -> s != B)).isEqualTo(2);
  }

  @Test
  void depthCountsQueuedWaitingAndInFlightSubjects() throws InterruptedException {
    queue.open();
    queue.add(A);
    takeNow();
    queue.add(B);
    queue.retryAfter(C, Duration.ofHours(1));
    assertThat(queue.depth()).isEqualTo(3);
  }

  @Test
  void longestProcessingIsZeroWhenNothingIsInFlight() {
    assertThat(queue.longestProcessing()).isZero();
  }

  @Test
  void longestProcessingIsTheAgeOfTheOldestSubjectInFlight() throws InterruptedException {
    queue.open();
    queue.add(A);
    takeNow();
    clock.advance(Duration.ofSeconds(3));
    queue.add(B);
    takeNow();
    clock.advance(Duration.ofSeconds(2));
    assertThat(queue.longestProcessing()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aDoneSubjectNoLongerCountsAsProcessing() throws InterruptedException {
    queue.open();
    queue.add(A);
    takeNow();
    clock.advance(Duration.ofSeconds(3));
    queue.done(A);
    assertThat(queue.longestProcessing()).isZero();
  }

  @Test
  void isOpenTellsWhetherSubjectsAreHandedOut() {
    queue.open();
    queue.pause();
    assertThat(queue.isOpen()).isFalse();
  }
}
