package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.EntryIds;
import org.spireoperator.registration.NodeEntries;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.registration.Takeover;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/**
 * The rule that gives an upstream SpiffeID entry to its SpiffeID ({@link
 * Ownership#isUpstreamEntryOf}): every SpiffeID's status names {@code 5b1e}; namespace {@code
 * spire} is privileged, {@code shop} confined.
 */
class OwnershipUpstreamSpiffeIdTest {

  private static final RegistrationSettings SETTINGS =
      RegistrationSettings.defaults("example.org", "demo");
  private static final NodeEntries NODES = new NodeEntries(SETTINGS);
  private static final EntryIds OURS = EntryIds.forCluster("spire-k8s-registrar", "demo");
  private static final SpiffeIdKey SHOP = new SpiffeIdKey("shop", "web");
  private static final SpiffeIdKey SPIRE = new SpiffeIdKey("spire", "web");
  private static final Entry WANTED =
      Entry.of(
              SpiffeId.parse("spiffe://example.org/ns/shop/sa/web"),
              NODES.idFor("node-1"),
              List.of(Selector.k8s("ns", "shop"), Selector.k8s("sa", "web")))
          .withDnsNames(List.of("web.shop.svc", "web"));

  private static final Ownership ADOPTING =
      new Ownership(
          OURS,
          NODES,
          NODES::isClusterAgent,
          Takeover.of("scm"),
          true,
          new Ownership.UpstreamSpiffeIds(
              true, key -> Optional.of("5b1e"), namespace -> !namespace.equals("spire")));

  private static boolean adopts(SpiffeIdKey key, UnaryOperator<Entry> upstream) {
    return ADOPTING.isUpstreamEntryOf(
        key, upstream.apply(WANTED.withId("5b1e")), new Desired.Wanted(WANTED));
  }

  static Stream<Arguments> entriesAConfinedSpiffeIdDoesNotAdopt() {
    return Stream.of(
        Arguments.of("another ID than its status names", op(e -> e.withId("9a0d"))),
        Arguments.of("another SPIFFE ID", op(e -> withSpiffeId(e, "/ns/shop/sa/api"))),
        Arguments.of("another parent", op(e -> e.withParentId(NODES.idFor("node-2")))),
        Arguments.of("other selectors", op(e -> withSelectors(e, Selector.k8s("ns", "shop")))),
        Arguments.of("admin", op(e -> e.withFlags(true, false, false))),
        Arguments.of("downstream", op(e -> e.withFlags(false, true, false))),
        Arguments.of("a DNS name it does not ask for", op(e -> e.withDnsNames(List.of("bank")))),
        Arguments.of("our mark", op(e -> e.withId(OURS.idFor(SHOP)))),
        Arguments.of("spire-controller-manager's prefix", op(e -> e.withId("scm.5b1e"))));
  }

  private static UnaryOperator<Entry> op(UnaryOperator<Entry> change) {
    return change;
  }

  private static Entry withSpiffeId(Entry e, String path) {
    return Entry.of(new SpiffeId("example.org", path), e.parentId(), e.selectors()).withId(e.id());
  }

  private static Entry withSelectors(Entry e, Selector... selectors) {
    return Entry.of(e.spiffeId(), e.parentId(), List.of(selectors)).withId(e.id());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entriesAConfinedSpiffeIdDoesNotAdopt")
  @DisplayName("a confined SpiffeID does not adopt an entry with")
  void aConfinedSpiffeIdDoesNotAdopt(String what, UnaryOperator<Entry> upstream) {
    assertThat(adopts(SHOP, upstream)).isFalse();
  }

  @Test
  @DisplayName("a confined SpiffeID adopts the entry its status names, wanting its very triple")
  void aConfinedSpiffeIdAdoptsWhatItCouldHaveWritten() {
    assertThat(adopts(SHOP, e -> e.withDnsNames(List.of("web")).withTtls(600, 0))).isTrue();
  }

  @Test
  @DisplayName("a privileged SpiffeID adopts an admin, downstream entry with other DNS names")
  void aPrivilegedSpiffeIdAdoptsMorePower() {
    assertThat(adopts(SPIRE, e -> e.withFlags(true, true, false).withDnsNames(List.of("x.y"))))
        .isTrue();
  }

  @Test
  @DisplayName("a SpiffeID that wants no entry (refused, gone) adopts nothing")
  void aSpiffeIdWantingNothingAdoptsNothing() {
    assertThat(
            ADOPTING.isUpstreamEntryOf(
                SHOP, WANTED.withId("5b1e"), new Desired.Rejected("forbidden")))
        .isFalse();
  }

  @Test
  @DisplayName("with the key off nothing is adopted")
  void offAdoptsNothing() {
    Ownership off = new Ownership(OURS, NODES, NODES::isClusterAgent);

    assertThat(off.isUpstreamEntryOf(SHOP, WANTED.withId("5b1e"), new Desired.Wanted(WANTED)))
        .isFalse();
  }

  @Test
  @DisplayName("with the key off, the Conflict says which key would keep upstream's entry")
  void offNamesTheKeyInTheRefusal() {
    Ownership off = new Ownership(OURS, NODES, NODES::isClusterAgent);

    assertThat(off.upstreamRefusal(SHOP, WANTED.withId("5b1e"), new Desired.Wanted(WANTED)))
        .hasValueSatisfying(why -> assertThat(why).contains("adopt_upstream_spiffeid_entries"));
  }

  @Test
  @DisplayName("upstream's pod-shaped entry stays its pod's, whatever a SpiffeID's status names")
  void theShapesOfUpstreamPodEntriesComeFirst() {
    Entry podShaped =
        withSelectors(
            WANTED.withId("5b1e"), Selector.k8s("ns", "shop"), Selector.k8s("pod-name", "web-0"));

    assertThat(ADOPTING.ownerOf(podShaped, id -> null, id -> SHOP))
        .contains(new org.spireoperator.registration.PodKey("shop", "web-0"));
  }
}
