package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

class SubjectOutcomesTest {

  private static final Subject SID = new SpiffeIdKey("shop", "sid");
  private static final SubjectOutcome PENDING =
      new SubjectOutcome(List.of(), false, "Pending", "entry not written yet", true);

  private final SubjectOutcomes outcomes = new SubjectOutcomes();
  private final List<Subject> told = new CopyOnWriteArrayList<>();

  private static Entry entry(String id) {
    return Entry.of(
            SpiffeId.parse("spiffe://example.org/ns/shop/sa/web"),
            SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/demo/node/node-1"),
            List.of(Selector.k8s("ns", "shop"), Selector.k8s("sa", "web")))
        .withId(id);
  }

  @Test
  void theLastRecordedOutcomeIsTheSubjects() {
    SubjectOutcome registered =
        new SubjectOutcome(List.of(entry("a")), true, "Registered", "entry a registered", true);
    outcomes.record(SID, PENDING);
    outcomes.record(SID, registered);
    assertThat(outcomes.get(SID)).contains(registered);
  }

  @Test
  void listenersHearOfANewOutcome() {
    outcomes.onChange(told::add);
    outcomes.record(SID, PENDING);
    assertThat(told).containsExactly(SID);
  }

  @Test
  void listenersDoNotHearOfAnOutcomeRecordedAgainUnchanged() {
    outcomes.record(SID, PENDING);
    outcomes.onChange(told::add);
    outcomes.record(SID, PENDING);
    assertThat(told).isEmpty();
  }

  @Test
  void listenersHearThatASubjectWasForgotten() {
    outcomes.record(SID, PENDING);
    outcomes.onChange(told::add);
    outcomes.forget(SID);
    assertThat(told).containsExactly(SID);
  }

  @Test
  void forgettingAnUnknownSubjectTellsNobody() {
    outcomes.onChange(told::add);
    outcomes.forget(SID);
    assertThat(told).isEmpty();
  }

  @Test
  void theEntryOfAnOutcomeWithDuplicatesIsTheLowestId() {
    assertThat(
            new SubjectOutcome(List.of(entry("b"), entry("a")), true, "Registered", "", true)
                .entryId())
        .contains("a");
  }
}
