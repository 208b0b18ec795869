package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.Desired;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

class EntryDiffTest {

  private static final SpiffeId PARENT =
      SpiffeId.parse("spiffe://td/spire-k8s-registrar/demo/node/n1");
  private static final Entry WANTED =
      Entry.of(
          SpiffeId.parse("spiffe://td/ns/a/sa/b"),
          PARENT,
          List.of(Selector.parse("k8s:ns:a"), Selector.parse("k8s:pod-name:p")));

  @Test
  void missingEntryIsCreated() {
    assertThat(EntryDiff.forSubject(new Desired.Wanted(WANTED), List.of(), "new-id").creates())
        .containsExactly(WANTED.withId("new-id"));
  }

  @Test
  void equalEntryNeedsNoWrite() {
    assertThat(
            EntryDiff.forSubject(new Desired.Wanted(WANTED), List.of(WANTED.withId("1")), "new-id")
                .isEmpty())
        .isTrue();
  }

  @Test
  void differingEntryIsUpdatedInPlace() {
    Entry current = WANTED.withDnsNames(List.of("old.example")).withId("7");
    assertThat(
            EntryDiff.forSubject(new Desired.Wanted(WANTED), List.of(current), "new-id").updates())
        .containsExactly(WANTED.withId("7"));
  }

  @Test
  void duplicatesCollapseToTheLowestId() {
    var diff =
        EntryDiff.forSubject(
            new Desired.Wanted(WANTED), List.of(WANTED.withId("b"), WANTED.withId("a")), "new-id");
    assertThat(diff.deletes()).extracting(Entry::id).containsExactly("b");
  }

  @Test
  void unwantedSubjectLosesEveryEntry() {
    var diff =
        EntryDiff.forSubject(
            new Desired.Unwanted("gone"),
            List.of(WANTED.withId("a"), WANTED.withId("b")),
            "new-id");
    assertThat(diff.deletes()).hasSize(2);
  }

  @Test
  void rejectedSubjectKeepsItsEntries() {
    assertThat(
            EntryDiff.forSubject(
                    new Desired.Rejected("bad label"), List.of(WANTED.withId("a")), "new-id")
                .isEmpty())
        .isTrue();
  }

  @Test
  void rejectedSubjectLosesOnlyTheEntriesItsRejectionNoLongerRetains() {
    Entry stillAllowed = WANTED.withId("a");
    Entry nowForbidden = WANTED.withDnsNames(List.of("kubernetes.default.svc")).withId("b");
    var diff =
        EntryDiff.forSubject(
            new Desired.Rejected("forbidden", "Forbidden", e -> e.dnsNames().isEmpty()),
            List.of(stillAllowed, nowForbidden),
            "new-id");
    assertThat(diff.deletes()).extracting(Entry::id).containsExactly("b");
  }
}
