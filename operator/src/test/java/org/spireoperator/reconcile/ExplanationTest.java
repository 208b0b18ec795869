package org.spireoperator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.PodKey;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

class ExplanationTest {

  private static final PodKey WEB = new PodKey("shop", "web-0");
  private static final Entry ENTRY =
      Entry.of(
              SpiffeId.parse("spiffe://example.org/ns/shop/sa/web"),
              SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/demo/node/node-1"),
              List.of(Selector.k8s("ns", "shop"), Selector.k8s("pod-name", "web-0")))
          .withId("e1");

  private static String render(Desired desired, List<Entry> current) {
    return new Explanation(
            WEB,
            desired,
            current,
            EntryDiff.forSubject(desired, current, "new-id"),
            "the agent(s) matching node entry of node node-1")
        .render();
  }

  @Test
  void aPodWithItsEntryIsInSync() {
    assertThat(render(new Desired.Wanted(ENTRY), List.of(ENTRY))).contains("  in sync\n");
  }

  @Test
  void aPodWithoutItsEntryCountsTheWriteAReconcileWouldMake() {
    assertThat(render(new Desired.Wanted(ENTRY), List.of()))
        .contains("a reconcile would write: 1 create, 0 update, 0 delete");
  }

  @Test
  void aWantedEntryNamesWhoReceivesIt() {
    assertThat(render(new Desired.Wanted(ENTRY), List.of(ENTRY)))
        .contains("received by   the agent(s) matching node entry of node node-1");
  }

  @Test
  void aRejectedPodSaysItsEntriesAreLeftAsTheyAre() {
    assertThat(render(new Desired.Rejected("bad label"), List.of(ENTRY)))
        .contains("REJECTED (existing entries left as they are): bad label");
  }

  @Test
  void anUnwantedPodSaysWhy() {
    assertThat(render(new Desired.Unwanted("pod is gone"), List.of()))
        .contains("wants no entry: pod is gone");
  }
}
