package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.crd.SpiffeIDStatus;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.spire.Entry;
import org.spireoperator.testing.OperatorFixture;

/**
 * The rule that gives upstream's SpiffeID entries to their SpiffeIDs ({@link
 * Ownership#isUpstreamEntryOf}) on each path of the engine: the full pass, the incremental path (a
 * create answered ALREADY_EXISTS) and {@code plan}. Tenant confinement is on; namespace {@code
 * spire} is privileged.
 */
class UpstreamSpiffeIdEntriesTest {

  private static final SpiffeIdKey WEB = new SpiffeIdKey("shop", "web");

  private final TestEngine engine =
      new TestEngine(
          OperatorFixture.defaults().withAdoptUpstreamSpiffeIds(true), Clock.systemUTC());

  @AfterEach
  void tearDown() {
    engine.close();
  }

  /** A SpiffeID for service account {@code sa} under node-1 whose status names {@code entryId}. */
  private SpiffeIdKey spiffeId(String namespace, String name, String sa, String entryId) {
    engine.cluster.node(TestEngine.NODE_1);
    SpiffeID s = engine.spiffeId(namespace, name, sa, TestEngine.NODE_1);
    if (entryId != null) {
      SpiffeIDStatus status = new SpiffeIDStatus();
      status.setEntryId(entryId);
      s.setStatus(status);
      engine.cluster.spiffeId(s);
    }
    return new SpiffeIdKey(namespace, name);
  }

  /** Upstream's entry for what {@code key} wants now, under a server-chosen ID. */
  private Entry upstreamEntryOf(SpiffeIdKey key, String id) {
    return engine.spire.put(engine.wanted(key).withId(id));
  }

  @Test
  @DisplayName("a SpiffeID created after the first pass adopts, on ALREADY_EXISTS, what it names")
  void theIncrementalPathAdoptsTheNamedEntry() {
    engine.pass.run();
    spiffeId("shop", "web", "web", "5b1e-upstream");
    Entry upstream = upstreamEntryOf(WEB, "5b1e-upstream");
    engine.writers().process(List.of(WEB));

    assertThat(engine.owned.get(WEB)).containsExactly(upstream);
  }

  @Test
  @DisplayName("on ALREADY_EXISTS, a similar entry its status does not name stays a Conflict")
  void theIncrementalPathLeavesAnUnnamedEntryAlone() {
    engine.pass.run();
    spiffeId("shop", "web", "web", null);
    upstreamEntryOf(WEB, "5b1e-upstream");
    engine.writers().process(List.of(WEB));

    assertThat(engine.outcomes.get(WEB))
        .get()
        .extracting(SubjectOutcome::reason)
        .isEqualTo("Conflict");
  }

  @Test
  @DisplayName("a SpiffeID of a privileged namespace adopts an admin entry it names")
  void aPrivilegedNamespaceAdoptsAnAdminEntry() {
    SpiffeIdKey operator = spiffeId("spire", "operator", "operator", "5b1e-upstream");
    Entry admin =
        engine.spire.put(
            engine.wanted(operator).withFlags(true, false, false).withId("5b1e-upstream"));
    engine.pass.run();

    assertThat(engine.owned.get(operator)).containsExactly(admin);
  }

  @Test
  @DisplayName("two SpiffeIDs naming one entry: the first by namespace and name adopts it")
  void twoClaimantsTheFirstWins() {
    SpiffeIdKey second = spiffeId("shop", "web-b", "web", "5b1e-upstream");
    SpiffeIdKey first = spiffeId("shop", "web-a", "web", "5b1e-upstream");
    Entry upstream = upstreamEntryOf(first, "5b1e-upstream");
    engine.pass.run();

    assertThat(List.of(engine.owned.get(first), engine.owned.get(second)))
        .containsExactly(List.of(upstream), List.of());
  }

  @Test
  @DisplayName(
      "a pass while a spec change waits to be written keeps the adopted entry, then updated in"
          + " place")
  void aPendingSpecChangeKeepsTheAdoptedEntry() {
    spiffeId("shop", "web", "web", "5b1e-upstream");
    upstreamEntryOf(WEB, "5b1e-upstream");
    engine.pass.run();
    SpiffeID changed = engine.cluster.spiffeId(WEB).orElseThrow();
    changed.getSpec().getSelector().setServiceAccount("api");
    engine.cluster.spiffeId(changed);
    engine.pass.run();
    engine.writers().process(List.of(WEB));

    assertThat(engine.spire.entry("5b1e-upstream"))
        .get()
        .extracting(Entry::selectors)
        .isEqualTo(engine.wanted(WEB).selectors());
  }

  @Test
  @DisplayName("an adopted entry whose SpiffeID vanished while the operator runs is deleted")
  void anAdoptedEntryOfAVanishedSpiffeIdIsDeleted() {
    spiffeId("shop", "web", "web", "5b1e-upstream");
    upstreamEntryOf(WEB, "5b1e-upstream");
    engine.pass.run();
    engine.cluster.removeSpiffeId(WEB);
    engine.pass.run();
    engine.writers().process(List.of(WEB));

    assertThat(engine.spire.entry("5b1e-upstream")).isEmpty();
  }

  @Test
  @DisplayName("plan shows an adopted upstream entry as an adoption, with no write")
  void planShowsTheAdoption() {
    spiffeId("shop", "web", "web", "5b1e-upstream");
    Entry upstream = upstreamEntryOf(WEB, "5b1e-upstream");

    assertThat(engine.planner().plan().adoptions()).containsExactly(upstream);
  }
}
