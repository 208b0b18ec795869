package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.PodKey;
import org.spireoperator.spire.Agent;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.testserver.RecordedCall;

/**
 * The scheduler over a real full pass of an empty cluster, which makes exactly one ListEntries call
 * (the server's children) per attempt: the call log counts attempts, {@link TestEngine#passes}
 * counts passes that succeeded.
 */
class PassSchedulerTest {

  private static final Duration LONG = Duration.ofHours(1);

  private final TestEngine engine = new TestEngine();
  private final AtomicBoolean synced = new AtomicBoolean(true);
  private final AtomicInteger afterPass = new AtomicInteger();
  private PassScheduler scheduler;

  @AfterEach
  void tearDown() {
    if (scheduler != null) {
      scheduler.close();
    }
    engine.close();
  }

  private PassScheduler scheduler(Duration period, Runnable afterEachPass) {
    scheduler = new PassScheduler(engine.pass, period, synced::get, afterEachPass, null);
    return scheduler;
  }

  private PassScheduler scheduler(Duration period) {
    return scheduler(period, afterPass::incrementAndGet);
  }

  private List<RecordedCall> attempts() {
    return engine.spire.calls("ListEntries");
  }

  @Test
  void thePassRunsAtOnceWhenStarted() {
    scheduler(LONG).start();
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.passes.get() == 1);
  }

  @Test
  void noPassRunsBeforeTheCachesAreSynced() {
    synced.set(false);
    scheduler(LONG).start();
    await("no pass from a cold cache")
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(10))
        .until(() -> attempts().isEmpty());
  }

  @Test
  void thePassRunsOnceTheCachesAreSynced() {
    synced.set(false);
    scheduler(LONG).start();
    synced.set(true);
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.passes.get() == 1);
  }

  @Test
  void waitingForTheCachesIsNotAFailureThatLengthensTheRetry() {
    synced.set(false);
    scheduler(LONG).start();
    await("caches stay cold")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> attempts().isEmpty());
    engine.spire.failNext("ListEntries", 1, Status.Code.UNAVAILABLE);
    synced.set(true);
    await("the first failure is retried after the first backoff step")
        .atMost(Duration.ofSeconds(4))
        .until(() -> engine.passes.get() == 1);
  }

  @Test
  void aFailedPassIsRetriedLongBeforeThePeriod() {
    engine.spire.failNext("ListEntries", 1, Status.Code.UNAVAILABLE);
    scheduler(LONG).start();
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.passes.get() == 1);
  }

  @Test
  void aFailedPassIsRetriedAfterABackoffNotAtOnce() {
    engine.spire.failNext("ListEntries", 1, Status.Code.UNAVAILABLE);
    scheduler(LONG).start();
    await().atMost(Duration.ofSeconds(10)).until(() -> attempts().size() == 2);
    assertThat(Duration.between(attempts().get(0).at(), attempts().get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aFailedPassSkipsTheStepAfterIt() {
    engine.spire.failNext("ListEntries", 2, Status.Code.UNAVAILABLE);
    scheduler(LONG).start();
    await().atMost(Duration.ofSeconds(10)).until(() -> attempts().size() == 2);
    assertThat(afterPass).hasValue(0);
  }

  @Test
  void passesRepeatEveryPeriod() {
    scheduler(Duration.ofMillis(100)).start();
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.passes.get() >= 3);
  }

  @Test
  void aStoppedSchedulerStartsNoFurtherPass() {
    scheduler(
            Duration.ofMillis(50),
            () -> {
              if (engine.passes.get() == 2) {
                scheduler.stop();
              }
            })
        .start();
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.passes.get() == 2);
    await("no pass after stop")
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(10))
        .until(() -> engine.passes.get() == 2);
  }

  @Test
  void aStoppedSchedulerPassesAgainWhenStartedAgain() {
    scheduler(
            LONG,
            () -> {
              if (engine.passes.get() == 1) {
                scheduler.stop();
              }
            })
        .start();
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.passes.get() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.running().isZero());
    scheduler.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.passes.get() == 2);
  }

  /** A k8s_psat agent attested on node-1, a pod on node-1 and one on node-2. */
  private PassScheduler.AgentFollower followerOfANewAgentOnNode1() {
    engine.cluster.node(TestEngine.NODE_1).node(TestEngine.NODE_2);
    engine.cluster.pod("shop", "web-0", TestEngine.NODE_1, "web");
    engine.cluster.pod("shop", "api-0", TestEngine.NODE_2, "api");
    engine.spire.addAgent(
        new Agent(
            SpiffeId.parse("spiffe://example.org/spire/agent/k8s_psat/demo/0b1c7d7e"),
            "k8s_psat",
            new TreeSet<>(
                List.of(
                    new Selector("k8s_psat", "cluster:demo"),
                    new Selector("k8s_psat", "agent_node_name:node-1"))),
            false,
            0,
            true));
    return PassScheduler.following(engine.agents, engine.cluster, engine.queue, engine.owned);
  }

  @Test
  void theAgentFollowerQueuesThePodsOfANodeWhoseAgentChanged() throws InterruptedException {
    PassScheduler.AgentFollower follower = followerOfANewAgentOnNode1();
    engine.owned.markLoaded();
    follower.follow();
    engine.queue.open();
    assertThat(engine.queue.take(10)).containsExactly(new PodKey("shop", "web-0"));
  }

  @Test
  void theAgentFollowerWaitsForTheFirstPass() {
    PassScheduler.AgentFollower follower = followerOfANewAgentOnNode1();
    follower.follow();
    assertThat(engine.queue.isIdle()).isTrue();
  }

  @Test
  void noPassRunsBeforeStart() {
    scheduler(LONG);
    assertThat(scheduler.running()).isZero();
  }
}
