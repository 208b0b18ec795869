package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.PodKey;

class RegistrarTest {

  private static final PodKey WEB = new PodKey("shop", "web-0");
  private static final PodKey API = new PodKey("shop", "api-0");

  private final TestEngine engine = new TestEngine();
  private Registrar registrar;

  @BeforeEach
  void setUp() {
    engine.cluster.node(TestEngine.NODE_1);
    engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_1, "web");
    registrar = engine.registrar(() -> true);
  }

  @AfterEach
  void tearDown() {
    registrar.close();
    engine.close();
  }

  private void resumedAndIdle() {
    registrar.resume();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> registrar.isLoaded() && registrar.queue().isIdle());
  }

  private void apiCreated() {
    engine.cluster.pod(API.namespace(), API.name(), TestEngine.NODE_1, "api");
    registrar.changed(API);
  }

  @Test
  void aChangeIsOnlyQueuedUntilThePassHasRun() {
    registrar.changed(WEB);
    assertThat(registrar.queue().depth()).isEqualTo(1);
  }

  @Test
  void aChangeReturnsAtOnceWhileSpireIsAway() {
    resumedAndIdle();
    engine.spire.stop();
    apiCreated();
    assertThat(registrar.queue().isIdle()).isFalse();
  }

  @Test
  void resumingWritesWhatTheClusterWants() {
    registrar.resume();
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.markedEntryOf(WEB).isPresent());
  }

  @Test
  void aChangeAfterThePassIsWritten() {
    resumedAndIdle();
    apiCreated();
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.markedEntryOf(API).isPresent());
  }

  @Test
  void aSuspendedRegistrarWritesNothing() {
    resumedAndIdle();
    registrar.suspend();
    engine.spire.resetCalls();
    apiCreated();
    await("nothing written while suspended")
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(10))
        .until(() -> engine.spire.writeCalls().isEmpty());
  }

  @Test
  void aSuspendedRegistrarCountsItsIndexAsStale() {
    resumedAndIdle();
    registrar.suspend();
    assertThat(registrar.isLoaded()).isFalse();
  }

  @Test
  void aResumedRegistrarWritesWhatChangedWhileItWasSuspended() {
    resumedAndIdle();
    registrar.suspend();
    apiCreated();
    registrar.resume();
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.markedEntryOf(API).isPresent());
  }
}
