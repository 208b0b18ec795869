package org.spireoperator.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/**
 * Which subject each of spire-controller-manager's entries goes to when this operator takes them
 * over: a pure function of the entries and of what the live subjects want.
 */
class TakeoverTest {

  private static final Takeover DEMO = Takeover.of("demo");
  private static final SpiffeId AGENT =
      SpiffeId.parse("spiffe://example.org/spire/agent/k8s_psat/demo/uid-node-1");
  private static final SpiffeId OTHER_AGENT =
      SpiffeId.parse("spiffe://example.org/spire/agent/k8s_psat/demo/uid-node-2");
  private static final SpiffeId NODE_ENTRY =
      SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/demo/node/node-1");
  private static final SpiffeId WEB = SpiffeId.parse("spiffe://example.org/ns/shop/sa/web");
  private static final WorkloadKey WEB_0 = new WorkloadKey("default", "shop", "web-0");
  private static final Selector WEB_0_UID = Selector.k8s("pod-uid", "uid-web-0");

  private static Entry web0(SpiffeId parent) {
    return Entry.of(WEB, parent, List.of(WEB_0_UID));
  }

  private static Entry scm(String uuid, Entry entry) {
    return entry.withId("demo." + uuid);
  }

  @Test
  @DisplayName("an entry a subject wants exactly goes to that subject")
  void exactEntryGoesToItsSubject() {
    Entry found = scm("1", web0(AGENT));

    assertThat(DEMO.claims(List.of(found), Map.of(WEB_0, web0(AGENT))))
        .isEqualTo(Map.of("demo.1", WEB_0));
  }

  @Test
  @DisplayName("an entry that differs from what the subject wants only in other fields goes to it")
  void entryWithOtherFieldsGoesToItsSubject() {
    Entry found = scm("1", web0(AGENT).withHint("old"));

    assertThat(DEMO.claims(List.of(found), Map.of(WEB_0, web0(AGENT).withTtls(3600, 0))))
        .isEqualTo(Map.of("demo.1", WEB_0));
  }

  @Test
  @DisplayName("an entry under another parent goes to the subject that wants its ID and selectors")
  void entryUnderAnotherParentGoesToItsSubject() {
    Entry found = scm("1", web0(AGENT));

    assertThat(DEMO.claims(List.of(found), Map.of(WEB_0, web0(NODE_ENTRY))))
        .isEqualTo(Map.of("demo.1", WEB_0));
  }

  @Test
  @DisplayName("an entry of the same pod with other selectors goes to the subject of that pod")
  void entryOfTheSamePodWithOtherSelectorsGoesToItsSubject() {
    Entry found = scm("1", web0(AGENT));
    Entry wanted = Entry.of(WEB, AGENT, List.of(WEB_0_UID, Selector.k8s("sa", "web")));

    assertThat(DEMO.claims(List.of(found), Map.of(WEB_0, wanted)))
        .isEqualTo(Map.of("demo.1", WEB_0));
  }

  @Test
  @DisplayName("an entry of another pod goes to nobody")
  void entryOfAnotherPodGoesToNobody() {
    Entry found = scm("1", Entry.of(WEB, AGENT, List.of(Selector.k8s("pod-uid", "uid-gone"))));

    assertThat(DEMO.claims(List.of(found), Map.of(WEB_0, web0(AGENT)))).isEmpty();
  }

  @Test
  @DisplayName("an entry with another SPIFFE ID goes to nobody")
  void entryWithAnotherSpiffeIdGoesToNobody() {
    Entry found =
        scm(
            "1",
            Entry.of(
                SpiffeId.parse("spiffe://example.org/ns/shop/sa/old"), AGENT, List.of(WEB_0_UID)));

    assertThat(DEMO.claims(List.of(found), Map.of(WEB_0, web0(AGENT)))).isEmpty();
  }

  @Test
  @DisplayName("entries without the prefix are never claimed, even when a subject wants them")
  void entriesWithoutThePrefixAreNeverClaimed() {
    List<Entry> found =
        List.of(
            web0(AGENT).withId("0b1c7d7e-unprefixed"),
            web0(AGENT).withId("demo-other.1"),
            web0(AGENT).withId("demo"));

    assertThat(DEMO.claims(found, Map.of(WEB_0, web0(AGENT)))).isEmpty();
  }

  @Test
  @DisplayName("a SpiffeID (tenant input) never claims an entry")
  void aSpiffeIdNeverClaims() {
    Entry found = scm("1", web0(AGENT));

    assertThat(DEMO.claims(List.of(found), Map.of(new SpiffeIdKey("shop", "web"), web0(AGENT))))
        .isEmpty();
  }

  @Test
  @DisplayName("an exact match wins over a subject that wants the entry under another parent")
  void exactMatchWinsOverAnotherParent() {
    WorkloadKey other = new WorkloadKey("another", "shop", "web-0");
    Entry found = scm("1", web0(AGENT));
    Map<Subject, Entry> wanted = new LinkedHashMap<>();
    wanted.put(WEB_0, web0(OTHER_AGENT));
    wanted.put(other, web0(AGENT));

    assertThat(DEMO.claims(List.of(found), wanted)).isEqualTo(Map.of("demo.1", other));
  }

  @Test
  @DisplayName("the choice between equal candidates does not depend on the order of subjects")
  void choiceDoesNotDependOnOrder() {
    List<Subject> subjects =
        new ArrayList<>(
            List.of(
                new WorkloadKey("b", "shop", "web-0"),
                new WorkloadKey("a", "shop", "web-0"),
                new PodKey("shop", "web-0")));
    Entry found = scm("1", web0(AGENT));
    List<Map<String, Subject>> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Collections.rotate(subjects, 1);
      Map<Subject, Entry> wanted = new LinkedHashMap<>();
      subjects.forEach(s -> wanted.put(s, web0(AGENT)));
      answers.add(DEMO.claims(List.of(found), wanted));
    }

    assertThat(answers).containsOnly(answers.get(0)).doesNotContainNull();
  }

  @Test
  @DisplayName("with take-over off nothing is claimed")
  void offClaimsNothing() {
    assertThat(Takeover.OFF.claims(List.of(scm("1", web0(AGENT))), Map.of(WEB_0, web0(AGENT))))
        .isEmpty();
  }

  @Test
  @DisplayName("the prefix gets spire-controller-manager's dot, once")
  void prefixGetsTheDotOnce() {
    assertThat(List.of(Takeover.of("demo").prefix(), Takeover.of("demo.").prefix()))
        .containsExactly("demo.", "demo.");
  }

  @Test
  @DisplayName("a prefix SPIRE could not take in an entry ID is refused")
  void badPrefixIsRefused() {
    assertThatThrownBy(() -> Takeover.of("de mo")).isInstanceOf(IllegalArgumentException.class);
  }
}
