package org.spireoperator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.reconcile.SubjectSync;
import org.spireoperator.testing.OperatorFixture;

/**
 * A SPIRE outage while pods are created: the SPIRE server stops answering for {@code
 * -Doutage.seconds} (default 10 s, so that {@code ./mvnw -B verify} stays short; {@code .ci/run}
 * passes 60, the outage issue 13 names). Meanwhile JOSDK's reconcile threads only queue work: the
 * threads of the JVM are sampled throughout, and none of JOSDK's ever waits inside operator code.
 * When the server returns, the outage probe ends every backoff at once, so every pending pod gets
 * its entry within one probe interval plus one batch, however long the pods' own backoffs grew.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpireOutageTest {

  private static final Logger log = LoggerFactory.getLogger(SpireOutageTest.class);

  static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("outage.seconds", 10));

  /** Fewer than one batch (50): they go out together once SPIRE answers. */
  private static final int PODS = 20;

  private static final Duration SAMPLE_EVERY = Duration.ofMillis(10);

  /** How JOSDK 5 runs a reconciliation: its threads are renamed {@code ReconcilerExecutor-...}. */
  private static final String RECONCILER_EXECUTOR =
      "io.javaoperatorsdk.operator.processing.event.EventProcessor$ReconcilerExecutor";

  private static final Set<Thread.State> HELD =
      Set.of(Thread.State.WAITING, Thread.State.TIMED_WAITING, Thread.State.BLOCKED);

  private final OperatorFixture f = new OperatorFixture();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final List<String> heldReconcileThreads = new CopyOnWriteArrayList<>();
  private final AtomicInteger samples = new AtomicInteger();
  private final AtomicInteger reconcileThreadsSeenAtWork = new AtomicInteger();
  private int pendingWhenSpireReturns;

  private static String spiffeIdOf(int pod) {
    return "spiffe://example.org/ns/shop/sa/sa-" + pod;
  }

  @BeforeAll
  void spireIsAwayWhilePodsAreCreated() {
    f.cluster().node("node-1");
    f.start(OperatorFixture.defaults());
    f.awaitEntry("spiffe://example.org/spire-k8s-registrar/demo/node/node-1");
    f.awaitIdle();

    f.spire().stop();
    Instant start = Instant.now();
    AtomicInteger created = new AtomicInteger();
    await("an outage of " + OUTAGE)
        .atMost(OUTAGE.plusSeconds(30))
        .pollInSameThread()
        .pollInterval(SAMPLE_EVERY)
        .until(
            () -> {
              sampleThreads();
              long elapsed = Duration.between(start, Instant.now()).toMillis();
              // the pods arrive evenly over the first half of the outage
              long due = Math.min(PODS, 1 + elapsed * PODS * 2 / OUTAGE.toMillis());
              while (created.get() < due) {
                int n = created.getAndIncrement();
                f.cluster().pod("shop", "web-" + n, "node-1", "sa-" + n);
              }
              return elapsed >= OUTAGE.toMillis();
            });
    pendingWhenSpireReturns = f.operator().registrar().queue().depth();
    log.atInfo()
        .addKeyValue("outage", OUTAGE)
        .addKeyValue("samples", samples.get())
        .addKeyValue("reconcileThreadsSeenAtWork", reconcileThreadsSeenAtWork.get())
        .addKeyValue("pending", pendingWhenSpireReturns)
        .log("SPIRE outage over");
  }

  /** Records every JOSDK reconcile thread found waiting, parked or blocked in operator code. */
  private void sampleThreads() {
    samples.incrementAndGet();
    for (ThreadInfo t : threads.dumpAllThreads(false, false)) {
      StackTraceElement[] stack = t.getStackTrace();
      boolean reconciling =
          t.getThreadName().startsWith("ReconcilerExecutor-")
              || Arrays.stream(stack).anyMatch(e -> e.getClassName().equals(RECONCILER_EXECUTOR));
      boolean inOperatorCode =
          Arrays.stream(stack).anyMatch(e -> e.getClassName().startsWith("org.spireoperator."));
      if (reconciling && inOperatorCode) {
        reconcileThreadsSeenAtWork.incrementAndGet();
        if (HELD.contains(t.getThreadState())) {
          heldReconcileThreads.add(
              t.getThreadName()
                  + " "
                  + t.getThreadState()
                  + Arrays.stream(stack)
                      .limit(12)
                      .map(e -> "\n  at " + e)
                      .collect(Collectors.joining()));
        }
      }
    }
  }

  @AfterAll
  void tearDown() {
    f.close();
  }

  @Test
  void noReconcileThreadWaitsInOperatorCodeWhileSpireIsAway() {
    assertThat(heldReconcileThreads).isEmpty();
  }

  @Test
  void everyPodCreatedWhileSpireIsAwayWaitsInTheEnginesQueue() {
    assertThat(pendingWhenSpireReturns).isEqualTo(PODS);
  }

  @Test
  void everyPendingPodGetsItsEntryWithinOneProbeAndOneBatchOfSpiresReturn() {
    Duration oneBatch = f.spireClient().settings().timeout(); // a batch call's deadline
    f.spire().restart();
    await("every pending pod has its entry")
        .atMost(SubjectSync.PROBE.plus(oneBatch))
        .until(() -> IntStream.range(0, PODS).allMatch(n -> f.entry(spiffeIdOf(n)).isPresent()));
  }
}
