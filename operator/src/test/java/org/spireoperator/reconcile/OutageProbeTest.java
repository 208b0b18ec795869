package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.testing.ManualClock;

/**
 * The probe over a queue on a frozen clock: a subject waiting out an hour's backoff can only become
 * ready through the probe.
 */
class OutageProbeTest {

  private static final PodKey WEB = new PodKey("shop", "web-0");

  private final SubjectQueue queue = new SubjectQueue(new ManualClock());
  private final AtomicBoolean answers = new AtomicBoolean(false);
  private final AtomicInteger probes = new AtomicInteger();
  private final OutageProbe probe =
      new OutageProbe(
          queue,
          () -> {
            probes.incrementAndGet();
            return answers.get();
          });

  private final List<Subject> taken = new CopyOnWriteArrayList<>();
  private final Thread worker =
      new Thread(
          () -> {
            try {
              taken.addAll(queue.take(1));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          },
          "worker");

  /** One worker waits for whatever the queue hands out. */
  OutageProbeTest() {
    queue.open();
    worker.setDaemon(true);
    worker.start();
  }

  @AfterEach
  void tearDown() {
    probe.close();
    queue.close();
    worker.interrupt();
  }

  private void webWaitsAnHour() {
    queue.retryAfter(WEB, Duration.ofHours(1));
  }

  @Test
  void theFirstAnswerOfTheProbeEndsEveryBackoff() {
    webWaitsAnHour();
    probe.spireSeemsDown();
    answers.set(true);
    await().atMost(OutageProbe.INTERVAL.multipliedBy(5)).until(() -> taken.contains(WEB));
  }

  @Test
  void whileSpireDoesNotAnswerTheProbeKeepsProbing() {
    probe.spireSeemsDown();
    await().atMost(OutageProbe.INTERVAL.multipliedBy(10)).until(() -> probes.get() >= 2);
  }

  @Test
  void whileSpireDoesNotAnswerTheBackoffsStand() {
    webWaitsAnHour();
    probe.spireSeemsDown();
    await().atMost(OutageProbe.INTERVAL.multipliedBy(10)).until(() -> probes.get() >= 2);
    assertThat(taken).isEmpty();
  }

  @Test
  void anAnswerToAWriteEndsTheOutageWithoutWaitingForTheProbe() {
    webWaitsAnHour();
    probe.spireSeemsDown();
    probe.spireAnswered();
    await().atMost(Duration.ofSeconds(10)).until(() -> taken.contains(WEB));
  }

  @Test
  void noProbeRunsWhileSpireAnswers() {
    await("no probe without an outage")
        .during(OutageProbe.INTERVAL.multipliedBy(2))
        .atMost(OutageProbe.INTERVAL.multipliedBy(10))
        .until(() -> probes.get() == 0);
  }
}
