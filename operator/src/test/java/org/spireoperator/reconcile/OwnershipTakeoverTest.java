package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.EntryIds;
import org.spireoperator.registration.NodeEntries;
import org.spireoperator.registration.OrphanKey;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.registration.Subject;
import org.spireoperator.registration.Takeover;
import org.spireoperator.registration.WorkloadKey;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/**
 * Where the take-over rule sits among the ownership rules: after the operator's own marks, before
 * the shapes of upstream's registrar, and only for entries with spire-controller-manager's prefix.
 */
class OwnershipTakeoverTest {

  private static final RegistrationSettings SETTINGS =
      RegistrationSettings.defaults("example.org", "demo");
  private static final NodeEntries NODES = new NodeEntries(SETTINGS);
  private static final EntryIds OURS = EntryIds.forCluster("spire-k8s-registrar", "demo");
  private static final WorkloadKey WEB_0 = new WorkloadKey("default", "shop", "web-0");
  private static final Entry UPSTREAM_SHAPE =
      Entry.of(
          SpiffeId.parse("spiffe://example.org/ns/shop/sa/web"),
          NODES.idFor("node-1"),
          List.of(Selector.k8s("ns", "shop"), Selector.k8s("pod-name", "web-0")));

  private static Ownership withTakeover(Takeover takeover) {
    return new Ownership(OURS, NODES, NODES::isClusterAgent, takeover, true);
  }

  private static Optional<Subject> owner(Ownership o, Entry e, Subject claimant) {
    return o.ownerOf(e, id -> null, id -> claimant);
  }

  @Test
  @DisplayName("a prefixed entry no subject claims is an orphan: it is deleted")
  void unclaimedPrefixedEntryIsAnOrphan() {
    Entry e = UPSTREAM_SHAPE.withId("demo.6f1c");

    assertThat(owner(withTakeover(Takeover.of("demo")), e, null))
        .contains(new OrphanKey("demo.6f1c"));
  }

  @Test
  @DisplayName("a prefixed entry goes to the subject that claims it")
  void claimedPrefixedEntryGoesToItsClaimant() {
    Entry e = UPSTREAM_SHAPE.withId("demo.6f1c");

    assertThat(owner(withTakeover(Takeover.of("demo")), e, WEB_0)).contains(WEB_0);
  }

  @Test
  @DisplayName("the operator's own mark wins over the take-over prefix it may start with")
  void ownMarkWins() {
    EntryIds underPrefix = new EntryIds("demo.");
    Ownership o =
        new Ownership(underPrefix, NODES, NODES::isClusterAgent, Takeover.of("demo"), true);
    PodKey pod = new PodKey("shop", "web-0");
    Entry e = UPSTREAM_SHAPE.withId(underPrefix.idFor(pod));

    assertThat(o.ownerOf(e, id -> pod, id -> WEB_0)).contains(pod);
  }

  @Test
  @DisplayName("with take-over off, a prefixed entry is judged as before (here: upstream's shape)")
  void offChangesNothing() {
    Entry e = UPSTREAM_SHAPE.withId("demo.6f1c");

    assertThat(owner(withTakeover(Takeover.OFF), e, WEB_0))
        .isEqualTo(owner(new Ownership(OURS, NODES, NODES::isClusterAgent), e, WEB_0))
        .contains(new PodKey("shop", "web-0"));
  }

  @Test
  @DisplayName(
      "serving spire-controller-manager's API alone, upstream registrar shapes are foreign")
  void aloneUpstreamShapesAreForeign() {
    Ownership alone = new Ownership(OURS, NODES, NODES::isClusterAgent, Takeover.of("demo"), false);
    Entry node =
        Entry.of(
                NODES.idFor("node-1"),
                NODES.server(),
                List.of(
                    new Selector("k8s_psat", "cluster:demo"),
                    new Selector("k8s_psat", "agent_node_name:node-1")))
            .withId("0b1c-node");

    assertThat(
            List.of(
                owner(alone, UPSTREAM_SHAPE.withId("0b1c-pod"), WEB_0), owner(alone, node, WEB_0)))
        .containsOnly(Optional.empty());
  }

  @Test
  @DisplayName("an entry without the prefix is never taken over")
  void entryWithoutPrefixIsNotTakenOver() {
    Entry foreign =
        Entry.of(
                SpiffeId.parse("spiffe://example.org/legacy"),
                SpiffeId.parse("spiffe://example.org/spire/agent/k8s_psat/demo/uid-1"),
                List.of(Selector.k8s("pod-uid", "uid-web-0")))
            .withId("0b1c7d7e-6f1c");

    assertThat(owner(withTakeover(Takeover.of("demo")), foreign, WEB_0)).isEmpty();
  }

  @Test
  @DisplayName("a subject may adopt a prefixed entry SPIRE calls similar; a SpiffeID may not")
  void adoptionOnAlreadyExists() {
    Ownership o = withTakeover(Takeover.of("demo"));
    Entry e = UPSTREAM_SHAPE.withId("demo.6f1c");

    assertThat(
            List.of(
                o.mayAdopt(WEB_0, e),
                o.mayAdopt(new org.spireoperator.registration.SpiffeIdKey("shop", "web"), e)))
        .containsExactly(true, false);
  }
}
