package org.spireoperator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.reconcile.PassReport;
import org.spireoperator.spire.testserver.ListingHold;
import org.spireoperator.testing.OperatorFixture;

/**
 * A full pass lists SPIRE without holding up pod changes: they are written while the listing runs,
 * and the pass neither repeats nor undoes them although its listing may predate them.
 */
class PassBesideChangesTest {

  private OperatorFixture f;
  private ListingHold hold;

  @BeforeEach
  void setUp() {
    f = new OperatorFixture();
    f.cluster().node("node-1");
    f.cluster().node("node-2");
    f.start(OperatorFixture.defaults());
    await().atMost(Duration.ofSeconds(20)).until(f::loaded);
    f.awaitEntry("spiffe://example.org/spire-k8s-registrar/demo/node/node-2");
  }

  @AfterEach
  void tearDown() {
    if (hold != null) {
      hold.release();
    }
    f.close();
  }

  /**
   * Starts a full pass whose listing is held once the children of both node entries are being
   * listed.
   */
  private CompletableFuture<PassReport> passHeldAtItsLastListCall() {
    f.spire().resetCalls();
    hold = ListingHold.onceNodeEntriesListed(f.spire(), 2);
    CompletableFuture<PassReport> pass =
        CompletableFuture.supplyAsync(() -> f.operator().registrar().runPass());
    await().atMost(Duration.ofSeconds(20)).until(hold::isHolding);
    return pass;
  }

  @Test
  void podCreatedWhileAPassListsGetsItsEntryBeforeThePassEnds() {
    CompletableFuture<PassReport> pass = passHeldAtItsLastListCall();
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.awaitEntry("spiffe://example.org/ns/shop/sa/web");
    assertThat(pass).isNotDone();
  }

  @Test
  void passMakesNoWriteForPodsRegisteredWhileItListed() {
    CompletableFuture<PassReport> pass = passHeldAtItsLastListCall();
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.cluster().pod("shop", "api-0", "node-2", "api");
    f.awaitEntry("spiffe://example.org/ns/shop/sa/web");
    f.awaitEntry("spiffe://example.org/ns/shop/sa/api");
    int writesBefore = f.spire().writeCalls().size();
    hold.release();
    pass.join();
    assertThat(f.spire().writeCalls()).hasSize(writesBefore);
  }

  @Test
  void passMakesNoWriteForPodsDeletedWhileItListed() {
    f.cluster().pod("shop", "web-0", "node-1", "web");
    f.cluster().pod("shop", "api-0", "node-2", "api");
    f.awaitEntry("spiffe://example.org/ns/shop/sa/web");
    f.awaitEntry("spiffe://example.org/ns/shop/sa/api");
    CompletableFuture<PassReport> pass = passHeldAtItsLastListCall();
    f.cluster().deletePod("shop", "web-0");
    f.cluster().deletePod("shop", "api-0");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                f.entry("spiffe://example.org/ns/shop/sa/web").isEmpty()
                    && f.entry("spiffe://example.org/ns/shop/sa/api").isEmpty());
    int writesBefore = f.spire().writeCalls().size();
    hold.release();
    pass.join();
    assertThat(f.spire().writeCalls()).hasSize(writesBefore);
  }
}
