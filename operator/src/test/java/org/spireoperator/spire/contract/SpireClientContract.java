package org.spireoperator.spire.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.Agent;
import org.spireoperator.spire.AgentFilter;
import org.spireoperator.spire.DeleteOutcome;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryFilter;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireClient;

/**
 * What {@link SpireClient} relies on from a SPIRE server, checked against the in-process test server and against a
 * real spire-server (the e2e module subclasses this). Every test works under its own path prefix and cleans up.
 */
public abstract class SpireClientContract {

  protected abstract SpireClient client();

  protected abstract String trustDomain();

  /** An agent attested with k8s_sat, cluster "demo", as {@code agentNamespace}/{@code agentServiceAccount}. */
  protected abstract void ensureK8sSatAgent();

  protected String agentNamespace() {
    return "spire";
  }

  protected String agentServiceAccount() {
    return "spire-agent";
  }

  private final String run = "contract-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<String> created = new ArrayList<>();

  private SpiffeId id(String path) {
    return SpiffeId.of(trustDomain(), "/" + run + "/" + path);
  }

  private Entry entry(int i) {
    return Entry.of(id("w" + i), id("parent"), List.of(new Selector("unix", "uid:" + i)));
  }

  private List<Entry> create(List<Entry> entries) {
    List<Entry> out = new ArrayList<>();
    for (int from = 0; from < entries.size(); from += 50) {
      for (EntryOutcome o : client().createEntries(entries.subList(from, Math.min(entries.size(), from + 50)))) {
        assertThat(o.succeeded()).as("create %s: %s %s", o.requested().spiffeId(), o.code(), o.message()).isTrue();
        created.add(o.entry().id());
        out.add(o.entry());
      }
    }
    return out;
  }

  /** Runs after each test's own entries are deleted (e.g. to stop a per-test server). */
  protected void afterCleanUp() {
  }

  @AfterEach
  void cleanUp() {
    for (int from = 0; from < created.size(); from += 200) {
      client().deleteEntries(created.subList(from, Math.min(created.size(), from + 200)));
    }
    afterCleanUp();
  }

  @Test
  void thousandEntriesAreCreatedListedPageByPageUpdatedAndDeleted() {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      entries.add(entry(i));
    }
    List<Entry> made = create(entries);
    assertThat(client().listEntries(EntryFilter.byParent(id("parent")))).hasSize(1000);
    List<Entry> updated = made.stream().map(e -> e.withDnsNames(List.of("w.example"))).toList();
    for (int from = 0; from < updated.size(); from += 50) {
      client().updateEntries(updated.subList(from, from + 50));
    }
    assertThat(client().listEntries(EntryFilter.byParent(id("parent"))))
        .allMatch(e -> e.dnsNames().equals(List.of("w.example")));
    List<DeleteOutcome> deleted = new ArrayList<>();
    for (int from = 0; from < made.size(); from += 200) {
      deleted.addAll(client().deleteEntries(made.subList(from, from + 200).stream().map(Entry::id).toList()));
    }
    assertThat(client().listEntries(EntryFilter.byParent(id("parent")))).isEmpty();
  }

  @Test
  void similarEntryIsRefusedWithTheExistingOne() {
    Entry first = create(List.of(entry(1))).get(0);
    EntryOutcome again = client().createEntries(List.of(entry(1).withDnsNames(List.of("x.example")))).get(0);
    assertThat(again.alreadyExists() && again.entry().id().equals(first.id())).isTrue();
  }

  @Test
  void idOutsideTheTrustDomainIsRefusedAsInvalidArgument() {
    Entry bad = Entry.of(SpiffeId.of("elsewhere.test", "/" + run + "/x"), id("parent"),
        List.of(new Selector("unix", "uid:1")));
    assertThat(client().createEntries(List.of(bad)).get(0).code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void negativeTtlFailsThatItemOnly() {
    Entry bad = entry(21);
    var request = new Entry(null, bad.spiffeId(), bad.parentId(), bad.selectors(), List.of(), null, -5, 0, false,
        false, "", false, 0, 0, 0);
    List<EntryOutcome> outcomes = client().createEntries(List.of(request, entry(22)));
    outcomes.stream().filter(EntryOutcome::hasEntry).forEach(o -> created.add(o.entry().id()));
    assertThat(outcomes).extracting(EntryOutcome::hasEntry).containsExactly(false, true);
  }

  @Test
  void idUnderSpireIsRefused() {
    Entry bad = Entry.of(SpiffeId.of(trustDomain(), "/spire/thing"), id("parent"),
        List.of(new Selector("unix", "uid:1")));
    assertThat(client().createEntries(List.of(bad)).get(0).code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void federatingWithAnUnknownTrustDomainFailsThatItem() {
    EntryOutcome o = client().createEntries(List.of(entry(7).withFederatesWith(List.of("unknown.example"))))
        .get(0);
    assertThat(o.hasEntry()).isFalse();
  }

  @Test
  void deletingAnUnknownEntryCountsAsDeleted() {
    assertThat(client().deleteEntries(List.of(UUID.randomUUID().toString())).get(0).deleted()).isTrue();
  }

  @Test
  void updateLeavesFieldsTheOperatorDoesNotManage() {
    Entry made = create(List.of(entry(3))).get(0);
    client().updateEntries(List.of(made.withDnsNames(List.of("a.example"))));
    assertThat(client().getEntry(made.id()).orElseThrow().createdAt()).isEqualTo(made.createdAt());
  }

  @Test
  void selectorFilterFindsEntriesBySuperset() {
    create(List.of(entry(11), entry(12)));
    assertThat(client().listEntries(EntryFilter.bySelectors(java.util.Set.of(new Selector("unix", "uid:11")),
        EntryFilter.Match.SUPERSET))).extracting(e -> e.spiffeId().path()).contains("/" + run + "/w11")
        .doesNotContain("/" + run + "/w12");
  }

  @Test
  void k8sSatAgentIsListedWithItsIdAndSelectors() {
    ensureK8sSatAgent();
    List<Agent> agents = client().listAgents(AgentFilter.byAttestationType("k8s_sat"));
    assertThat(agents).anySatisfy(a -> {
      assertThat(a.id().path()).matches("/spire/agent/k8s_sat/demo/[0-9a-f-]{36}");
      assertThat(a.selectors()).contains(new Selector("k8s_sat", "cluster:demo"),
          new Selector("k8s_sat", "agent_ns:" + agentNamespace()),
          new Selector("k8s_sat", "agent_sa:" + agentServiceAccount()));
    });
  }
}
