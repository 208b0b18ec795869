package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
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
    assertThat(EntryDiff.forSubject(new Desired.Wanted(WANTED), List.of()).creates())
        .containsExactly(WANTED);
  }

  @Test
  void equalEntryNeedsNoWrite() {
    assertThat(
            EntryDiff.forSubject(new Desired.Wanted(WANTED), List.of(WANTED.withId("1"))).isEmpty())
        .isTrue();
  }

  @Test
  void differingEntryIsUpdatedInPlace() {
    Entry current = WANTED.withDnsNames(List.of("old.example")).withId("7");
    assertThat(EntryDiff.forSubject(new Desired.Wanted(WANTED), List.of(current)).updates())
        .containsExactly(WANTED.withId("7"));
  }

  @Test
  void duplicatesCollapseToTheLowestId() {
    var diff =
        EntryDiff.forSubject(
            new Desired.Wanted(WANTED), List.of(WANTED.withId("b"), WANTED.withId("a")));
    assertThat(diff.deletes()).extracting(Entry::id).containsExactly("b");
  }

  @Test
  void unwantedSubjectLosesEveryEntry() {
    var diff =
        EntryDiff.forSubject(
            new Desired.Unwanted("gone"), List.of(WANTED.withId("a"), WANTED.withId("b")));
    assertThat(diff.deletes()).hasSize(2);
  }

  @Test
  void rejectedSubjectKeepsItsEntries() {
    assertThat(
            EntryDiff.forSubject(new Desired.Rejected("bad label"), List.of(WANTED.withId("a")))
                .isEmpty())
        .isTrue();
  }

  @Test
  void subjectsMissingFromDesiredStateAreDeleted() {
    var diff =
        EntryDiff.compute(
            Map.<String, Desired>of(), Map.of("gone-pod", List.of(WANTED.withId("x"))));
    assertThat(diff.deletes()).extracting(Entry::id).containsExactly("x");
  }
}
