package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.DeleteOutcome;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

class AppliedTest {

  private static Entry entry(String id) {
    return Entry.of(
            SpiffeId.parse("spiffe://example.org/ns/shop/sa/" + id),
            SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/demo/node/node-1"),
            List.of(Selector.k8s("ns", "shop"), Selector.k8s("pod-name", id)))
        .withId(id);
  }

  private static EntryOutcome ok(Entry e) {
    return new EntryOutcome(e, e, Status.Code.OK, "");
  }

  private static EntryOutcome failed(Entry e, Status.Code code) {
    return new EntryOutcome(e, null, code, "refused");
  }

  private static EntryOutcome similarExists(Entry requested, Entry existing) {
    return new EntryOutcome(requested, existing, Status.Code.ALREADY_EXISTS, "similar");
  }

  private static Applied created(EntryOutcome... outcomes) {
    return new Applied(List.of(outcomes), List.of(), List.of());
  }

  @Test
  void deletedEntriesLeaveTheSubject() {
    Applied applied =
        new Applied(List.of(), List.of(), List.of(new DeleteOutcome("a", Status.Code.OK, "")));
    assertThat(applied.applyTo(List.of(entry("a"), entry("b")), e -> false))
        .containsExactly(entry("b"));
  }

  @Test
  void anEntryTheServerNoLongerHadCountsAsDeleted() {
    Applied applied =
        new Applied(
            List.of(), List.of(), List.of(new DeleteOutcome("a", Status.Code.NOT_FOUND, "")));
    assertThat(applied.applyTo(List.of(entry("a")), e -> false)).isEmpty();
  }

  @Test
  void updatedEntriesReplaceTheirOldSelves() {
    Entry updated = entry("a").withDnsNames(List.of("a.example"));
    Applied applied = new Applied(List.of(), List.of(ok(updated)), List.of());
    assertThat(applied.applyTo(List.of(entry("a")), e -> false)).containsExactly(updated);
  }

  @Test
  void createdEntriesJoinTheSubject() {
    assertThat(created(ok(entry("a"))).applyTo(List.of(), e -> false)).containsExactly(entry("a"));
  }

  @Test
  void anAdoptableSimilarEntryJoinsTheSubject() {
    Entry existing = entry("upstream");
    assertThat(created(similarExists(entry("a"), existing)).applyTo(List.of(), e -> true))
        .containsExactly(existing);
  }

  @Test
  void aSimilarEntryThatMayNotBeAdoptedStaysOut() {
    assertThat(created(similarExists(entry("a"), entry("foreign"))).applyTo(List.of(), e -> false))
        .isEmpty();
  }

  @Test
  void failedItemsLeaveTheSubjectAsItWas() {
    Applied applied =
        new Applied(
            List.of(failed(entry("c"), Status.Code.INTERNAL)),
            List.of(failed(entry("b").withDnsNames(List.of("b.example")), Status.Code.NOT_FOUND)),
            List.of(new DeleteOutcome("a", Status.Code.UNAVAILABLE, "")));
    assertThat(applied.applyTo(List.of(entry("a"), entry("b")), e -> true))
        .containsExactly(entry("a"), entry("b"));
  }

  @Test
  void aFailureThatMayHealIsToBeRetried() {
    assertThat(created(failed(entry("a"), Status.Code.UNAVAILABLE)).transientFailure())
        .extracting(e -> e.code())
        .isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void aRefusalIsNotToBeRetried() {
    assertThat(created(failed(entry("a"), Status.Code.INVALID_ARGUMENT)).transientFailure())
        .isNull();
  }

  @Test
  void aRefusalShowsTheServerAnswers() {
    assertThat(created(failed(entry("a"), Status.Code.INVALID_ARGUMENT)).anyAnswered()).isTrue();
  }

  @Test
  void onlyUnavailableItemsShowNoAnswer() {
    assertThat(
            created(
                    failed(entry("a"), Status.Code.UNAVAILABLE),
                    failed(entry("b"), Status.Code.DEADLINE_EXCEEDED))
                .anyAnswered())
        .isFalse();
  }
}
