package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

class OwnedEntriesTest {

  private static final Subject WEB = new PodKey("shop", "web-0");
  private static final Subject API = new PodKey("shop", "api-0");
  private static final Subject NODE = new NodeKey("node-1");

  private final OwnedEntries owned = new OwnedEntries();

  private static Entry entry(String id) {
    return Entry.of(
            SpiffeId.parse("spiffe://example.org/ns/shop/sa/" + id),
            SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/demo/node/node-1"),
            List.of(Selector.k8s("ns", "shop"), Selector.k8s("pod-name", id)))
        .withId(id);
  }

  @Test
  void aSubjectHasTheEntriesLastPutForIt() {
    owned.put(WEB, List.of(entry("a")));
    owned.put(WEB, List.of(entry("b")));
    assertThat(owned.get(WEB)).containsExactly(entry("b"));
  }

  @Test
  void aSubjectPutWithoutEntriesOwnsNothing() {
    owned.put(WEB, List.of(entry("a")));
    owned.put(WEB, List.of());
    assertThat(owned.subjects()).doesNotContain(WEB);
  }

  @Test
  void aListingBegunBeforeAPutDoesNotReplaceWhatThePutRecorded() {
    long listingBegan = owned.stamp();
    owned.put(WEB, List.of(entry("a")));
    owned.mergeListed(WEB, List.of(), listingBegan);
    assertThat(owned.get(WEB)).containsExactly(entry("a"));
  }

  @Test
  void aListingBegunAfterAPutReplacesWhatThePutRecorded() {
    owned.put(WEB, List.of(entry("a")));
    long listingBegan = owned.stamp();
    owned.mergeListed(WEB, List.of(entry("b")), listingBegan);
    assertThat(owned.get(WEB)).containsExactly(entry("b"));
  }

  @Test
  void mergeListedTellsWhetherItReplacedTheEntries() {
    long listingBegan = owned.stamp();
    owned.put(WEB, List.of(entry("a")));
    assertThat(owned.mergeListed(WEB, List.of(), listingBegan)).isFalse();
  }

  @Test
  void aListingReplacesTheEntriesOfASubjectNeverWritten() {
    owned.mergeListed(API, List.of(entry("c")), owned.stamp());
    assertThat(owned.get(API)).containsExactly(entry("c"));
  }

  @Test
  void anEntryCreatedAfterAListingBeganCountsAsWrittenSince() {
    long listingBegan = owned.stamp();
    owned.put(WEB, List.of(entry("a")));
    assertThat(owned.writtenSince("a", listingBegan)).isTrue();
  }

  @Test
  void anEntryRemovedAfterAListingBeganCountsAsWrittenSince() {
    owned.put(WEB, List.of(entry("a")));
    long listingBegan = owned.stamp();
    owned.put(WEB, List.of());
    assertThat(owned.writtenSince("a", listingBegan)).isTrue();
  }

  @Test
  void anEntryWrittenBeforeAListingBeganDoesNotCountAsWrittenSince() {
    owned.put(WEB, List.of(entry("a")));
    assertThat(owned.writtenSince("a", owned.stamp())).isFalse();
  }

  @Test
  void anEntryNeverWrittenDoesNotCountAsWrittenSince() {
    assertThat(owned.writtenSince("a", 0)).isFalse();
  }

  @Test
  void forgettingStampsUpToAMarkForgetsTheWritesUpToIt() {
    owned.put(WEB, List.of(entry("a")));
    owned.forgetStampsUpTo(owned.stamp());
    assertThat(owned.writtenSince("a", 0)).isFalse();
  }

  @Test
  void forgettingStampsUpToAMarkKeepsTheWritesAfterIt() {
    owned.put(WEB, List.of(entry("a")));
    long mark = owned.stamp();
    owned.put(API, List.of(entry("b")));
    owned.forgetStampsUpTo(mark);
    assertThat(owned.writtenSince("b", mark)).isTrue();
  }

  @Test
  void forgettingStampsUpToAMarkKeepsTheSubjectsWrittenAfterItFromOlderListings() {
    long listingBegan = owned.stamp();
    owned.put(WEB, List.of(entry("a")));
    owned.forgetStampsUpTo(listingBegan);
    owned.mergeListed(WEB, List.of(), listingBegan);
    assertThat(owned.get(WEB)).containsExactly(entry("a"));
  }

  @Test
  void countTalliesTheEntriesOfOneKind() {
    owned.put(WEB, List.of(entry("a"), entry("b")));
    owned.put(NODE, List.of(entry("n")));
    assertThat(owned.count("pod")).isEqualTo(2);
  }

  @Test
  void allListsEveryOwnedEntry() {
    owned.put(WEB, List.of(entry("a")));
    owned.put(NODE, List.of(entry("n")));
    assertThat(owned.all()).containsExactlyInAnyOrder(entry("a"), entry("n"));
  }

  @Test
  void theIndexIsNotLoadedUntilAPassSaysSo() {
    owned.put(WEB, List.of(entry("a")));
    assertThat(owned.isLoaded()).isFalse();
  }

  @Test
  void aStaleIndexCountsAsNotLoaded() {
    owned.markLoaded();
    owned.markStale();
    assertThat(owned.isLoaded()).isFalse();
  }
}
