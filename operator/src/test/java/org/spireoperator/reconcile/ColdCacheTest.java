package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.PodKey;
import org.spireoperator.spire.Entry;

/**
 * Until the informer caches are synced the cluster view is partial: a pod missing from it is not a
 * deleted pod, and an object seen is not yet seen with its neighbours (its namespace, its pod). The
 * engine judges nothing from a cold cache: no write of any kind reaches SPIRE, whatever events
 * arrive, until the caches report synced.
 */
class ColdCacheTest {

  private static final PodKey WEB = new PodKey("shop", "web-0");
  private static final PodKey API = new PodKey("shop", "api-0");

  private final TestEngine engine = new TestEngine();
  private final AtomicBoolean synced = new AtomicBoolean(false);
  private Registrar registrar;
  private Entry webEntry;

  /** WEB's entry was written before a restart; the cold cache has seen API but not WEB yet. */
  @BeforeEach
  void setUp() {
    engine.cluster.node(TestEngine.NODE_1);
    engine.cluster.pod(WEB.namespace(), WEB.name(), TestEngine.NODE_1, "web");
    webEntry = engine.spire.put(engine.wanted(WEB));
    engine.cluster.removePod(WEB);
    engine.cluster.pod(API.namespace(), API.name(), TestEngine.NODE_1, "api");
    registrar = engine.registrar(synced::get);
    registrar.resume();
    registrar.changed(WEB);
    registrar.changed(API);
  }

  @AfterEach
  void tearDown() {
    registrar.close();
    engine.close();
  }

  @Test
  void aPodMissingFromAColdCacheKeepsItsEntry() {
    await("WEB's entry survives the cold cache")
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(10))
        .until(() -> engine.spire.entry(webEntry.id()).isPresent());
  }

  @Test
  void nothingIsWrittenFromAColdCache() {
    await("no write while the caches are cold")
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(10))
        .until(() -> engine.spire.writeCalls().isEmpty());
  }

  @Test
  void onceSyncedThePodThatIsReallyGoneLosesItsEntry() {
    synced.set(true);
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.spire.entry(webEntry.id()).isEmpty());
  }

  @Test
  void onceSyncedThePodSeenMeanwhileIsRegistered() {
    synced.set(true);
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.markedEntryOf(API).isPresent());
  }

  @Test
  void theEventsOfTheColdPeriodWaitInTheQueue() {
    assertThat(registrar.queue().depth()).isEqualTo(2);
  }
}
