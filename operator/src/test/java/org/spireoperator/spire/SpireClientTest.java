package org.spireoperator.spire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.testserver.RecordedCall;
import org.spireoperator.spire.testserver.ServerSemantics;
import org.spireoperator.spire.testserver.SpireTestServer;
import spire.api.server.entry.v1.BatchCreateEntryRequest;
import spire.api.server.entry.v1.BatchUpdateEntryRequest;
import spire.api.server.entry.v1.EntryGrpc;
import spire.api.server.entry.v1.ListEntriesRequest;

class SpireClientTest {

  private static final SpiffeId NODE = SpiffeId.parse("spiffe://example.org/k8s/node/n1");

  private final SpireTestServer server = SpireTestServer.start("example.org");
  private final SpireClient client = server.client();

  @AfterEach
  void close() {
    server.close();
  }

  private static Entry workload(String name, String... selectors) {
    List<Selector> list = new ArrayList<>();
    for (String s : selectors) {
      list.add(Selector.parse(s));
    }
    return Entry.of(SpiffeId.parse("spiffe://example.org/ns/default/sa/" + name), NODE, list);
  }

  private List<Entry> createThousand() {
    List<Entry> created = new ArrayList<>();
    for (int batch = 0; batch < 20; batch++) {
      List<Entry> toCreate = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        toCreate.add(workload("w" + (batch * 50 + i), "k8s:pod-uid:" + (batch * 50 + i)));
      }
      client.createEntries(toCreate).forEach(o -> created.add(o.entry()));
    }
    return created;
  }

  // ------------------------------------------------------------------ listing

  @Test
  void listingAThousandEntriesInPagesOf200TakesFiveFullPagesAndTheEmptyLastOne() {
    List<Entry> created = createThousand();
    server.resetCalls();

    List<Entry> listed = client.listEntries(EntryFilter.byParent(NODE));

    assertThat(listed).containsExactlyElementsOf(created);
    List<RecordedCall> calls = server.calls("ListEntries");
    assertThat(calls).hasSize(6);
    assertThat(calls)
        .allSatisfy(
            c -> assertThat(c.request(ListEntriesRequest.class).getPageSize()).isEqualTo(200));
  }

  @Test
  void listingByParentEndsAtAShortPageWithoutAskingForTheEmptyOne() {
    List<Entry> created = createThousand();
    client.deleteEntries(List.of(created.get(999).id()));
    server.resetCalls();

    List<Entry> listed = client.listEntries(EntryFilter.byParent(NODE));

    assertThat(listed.size() + " entries in " + server.calls("ListEntries").size() + " calls")
        .isEqualTo("999 entries in 5 calls");
  }

  @Test
  void aListingWhosePageAskedAheadFailsFailsWholeWithThatPagesCode() {
    createThousand();
    server.onNext(
        "ListEntries", () -> server.failNext("ListEntries", 1, Status.Code.PERMISSION_DENIED));

    var failure =
        catchThrowableOfType(
            SpireException.class, () -> client.listEntries(EntryFilter.byParent(NODE)));

    assertThat(failure.method() + " " + failure.code()).isEqualTo("ListEntries PERMISSION_DENIED");
  }

  @Test
  void aPageAskedAheadIsAskedAgainOnATransientFailureLikeAnyCall() {
    List<Entry> created = createThousand();
    server.onNext("ListEntries", () -> server.failNext("ListEntries", 1, Status.Code.UNAVAILABLE));

    assertThat(client.listEntries(EntryFilter.byParent(NODE))).containsExactlyElementsOf(created);
  }

  @Test
  void listingBySelectorsReadsOnToTheEmptyPage() {
    client.createEntries(List.of(workload("a", "k8s:ns:a"), workload("b", "k8s:ns:a", "k8s:sa:b")));
    server.resetCalls();

    client.listEntries(
        EntryFilter.bySelectors(Set.of(Selector.parse("k8s:ns:a")), EntryFilter.Match.SUPERSET));

    assertThat(server.calls("ListEntries")).hasSize(2);
  }

  @Test
  void listingFiltersOnTheServerBySelectors() {
    client.createEntries(
        List.of(workload("a", "k8s:ns:a"), workload("ab", "k8s:ns:a", "k8s:sa:b")));

    var superset =
        client.listEntries(
            EntryFilter.bySelectors(
                Set.of(Selector.parse("k8s:ns:a")), EntryFilter.Match.SUPERSET));
    var exact =
        client.listEntries(
            EntryFilter.bySelectors(Set.of(Selector.parse("k8s:ns:a")), EntryFilter.Match.EXACT));

    assertThat(superset).hasSize(2);
    assertThat(exact).extracting(e -> e.spiffeId().path()).containsExactly("/ns/default/sa/a");
  }

  @Test
  void countAndGetEntry() {
    Entry e = client.createEntries(List.of(workload("a", "k8s:ns:a"))).get(0).entry();

    assertThat(client.countEntries()).isEqualTo(1);
    assertThat(client.getEntry(e.id())).contains(e);
    assertThat(client.getEntry("unknown")).isEmpty();
  }

  // ------------------------------------------------------------------ creating

  @Test
  void createdEntriesComeBackWithIdRevisionZeroAndCreationTime() {
    var outcome =
        client
            .createEntries(
                List.of(workload("a", "k8s:ns:a").withDnsNames(List.of("a.example.org"))))
            .get(0);

    assertThat(outcome.succeeded()).isTrue();
    assertThat(outcome.entry().id()).isNotBlank();
    assertThat(outcome.entry().revisionNumber()).isZero();
    assertThat(outcome.entry().createdAt()).isPositive();
    assertThat(outcome.entry().sameRegistration(outcome.requested())).isTrue();
  }

  @Test
  void creatingASimilarEntryAnswersAlreadyExistsCarryingTheExistingEntry() {
    Entry existing =
        client.createEntries(List.of(workload("a", "k8s:ns:a", "k8s:sa:a"))).get(0).entry();

    var outcome =
        client
            .createEntries(List.of(workload("a", "k8s:sa:a", "k8s:ns:a").withHint("other")))
            .get(0);

    assertThat(outcome.code()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(outcome.alreadyExists()).isTrue();
    assertThat(outcome.hasEntry()).isTrue();
    assertThat(outcome.entry()).isEqualTo(existing);
  }

  @Test
  void anInvalidSpiffeIdIsAnInvalidArgumentOutcomeAndNeverRetried() {
    Entry reserved =
        Entry.of(
            SpiffeId.parse("spiffe://example.org/spire/oops"),
            NODE,
            List.of(Selector.parse("k8s:ns:a")));
    Entry foreign =
        Entry.of(
            SpiffeId.parse("spiffe://other.org/web"), NODE, List.of(Selector.parse("k8s:ns:a")));

    var outcomes = client.createEntries(List.of(reserved, workload("ok", "k8s:ns:a"), foreign));

    assertThat(outcomes)
        .extracting(EntryOutcome::code)
        .containsExactly(
            Status.Code.INVALID_ARGUMENT, Status.Code.OK, Status.Code.INVALID_ARGUMENT);
    assertThat(outcomes.get(0).entry()).isNull();
    assertThat(outcomes.get(0).hasEntry()).isFalse();
    assertThat(server.calls("BatchCreateEntry")).hasSize(1);
  }

  @Test
  void federatingWithATrustDomainWithoutBundleIsAnInternalOutcome() {
    var outcome =
        client
            .createEntries(
                List.of(workload("a", "k8s:ns:a").withFederatesWith(List.of("other.org"))))
            .get(0);

    assertThat(outcome.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(server.calls("BatchCreateEntry")).hasSize(1);
  }

  @Test
  void createsAreSentAsOneBatchInTheGivenOrder() {
    client.createEntries(List.of(workload("b", "k8s:ns:b"), workload("a", "k8s:ns:a")));

    var request = server.calls("BatchCreateEntry").get(0).request(BatchCreateEntryRequest.class);
    assertThat(request.getEntriesList())
        .extracting(e -> e.getSpiffeId().getPath())
        .containsExactly("/ns/default/sa/b", "/ns/default/sa/a");
    assertThat(request.getEntriesList()).allMatch(e -> e.getId().isEmpty());
  }

  // ------------------------------------------------------------------ updating

  @Test
  void updatesAlwaysCarryAnInputMaskOfTheManagedFields() {
    Entry e = client.createEntries(List.of(workload("a", "k8s:ns:a"))).get(0).entry();

    client.updateEntries(List.of(e.withHint("h")));

    var request = server.calls("BatchUpdateEntry").get(0).request(BatchUpdateEntryRequest.class);
    assertThat(request.hasInputMask()).isTrue();
    var mask = request.getInputMask();
    assertThat(
            List.of(
                mask.getSpiffeId(),
                mask.getParentId(),
                mask.getSelectors(),
                mask.getDnsNames(),
                mask.getFederatesWith(),
                mask.getX509SvidTtl(),
                mask.getJwtSvidTtl(),
                mask.getAdmin(),
                mask.getDownstream(),
                mask.getHint(),
                mask.getStoreSvid(),
                mask.getExpiresAt()))
        .containsOnly(true);
    assertThat(
            List.of(mask.getRevisionNumber(), mask.getCreatedAt(), mask.getAdditionalAttributes()))
        .containsOnly(false);
  }

  @Test
  void anUpdateLeavesFieldsOutsideTheManagedOnesAlone() {
    var raw = EntryGrpc.newBlockingStub(server.channel());
    var stored =
        raw.batchCreateEntry(
                BatchCreateEntryRequest.newBuilder()
                    .addEntries(
                        spire.api.types.Entry.newBuilder()
                            .setSpiffeId(
                                spire
                                    .api
                                    .types
                                    .SPIFFEID
                                    .newBuilder()
                                    .setTrustDomain("example.org")
                                    .setPath("/web"))
                            .setParentId(
                                spire
                                    .api
                                    .types
                                    .SPIFFEID
                                    .newBuilder()
                                    .setTrustDomain("example.org")
                                    .setPath("/node"))
                            .addSelectors(
                                spire.api.types.Selector.newBuilder()
                                    .setType("k8s")
                                    .setValue("ns:a"))
                            .setAdditionalAttributes(
                                spire.api.types.Entry.AdditionalAttributes.newBuilder()
                                    .setJwtSvidIncludeJti(true)))
                    .build())
            .getResults(0)
            .getEntry();
    Entry e = client.getEntry(stored.getId()).orElseThrow();

    var outcome = client.updateEntries(List.of(e.withDnsNames(List.of("web.example.org")))).get(0);

    assertThat(outcome.succeeded()).isTrue();
    assertThat(outcome.entry().dnsNames()).containsExactly("web.example.org");
    assertThat(outcome.entry().revisionNumber()).isEqualTo(1);
    assertThat(outcome.entry().createdAt()).isEqualTo(e.createdAt());
    var after =
        raw.getEntry(spire.api.server.entry.v1.GetEntryRequest.newBuilder().setId(e.id()).build());
    assertThat(after.getAdditionalAttributes().getJwtSvidIncludeJti()).isTrue();
  }

  @Test
  void updatingAnEntryThatIsGoneIsANotFoundOutcomeSince111AndInternalOn110() {
    Entry gone = workload("a", "k8s:ns:a").withId("gone");
    try (var old = SpireTestServer.start("example.org", ServerSemantics.V1_10)) {
      assertThat(client.updateEntries(List.of(gone)).get(0).code())
          .isEqualTo(Status.Code.NOT_FOUND);
      assertThat(old.client().updateEntries(List.of(gone)).get(0).code())
          .isEqualTo(Status.Code.INTERNAL);
    }
  }

  // ------------------------------------------------------------------ deleting

  @Test
  void deletingAnUnknownEntryCountsAsDeleted() {
    Entry e = client.createEntries(List.of(workload("a", "k8s:ns:a"))).get(0).entry();

    var outcomes = client.deleteEntries(List.of("unknown", e.id()));

    assertThat(outcomes)
        .extracting(DeleteOutcome::code)
        .containsExactly(Status.Code.NOT_FOUND, Status.Code.OK);
    assertThat(outcomes).allMatch(DeleteOutcome::deleted);
    assertThat(server.entries()).isEmpty();
  }

  // ------------------------------------------------------------------ retries and deadlines

  @Test
  void unavailableTwiceThenSuccessGivesOneResultAfterThreeCalls() {
    server.failNext("BatchCreateEntry", 2, Status.Code.UNAVAILABLE);

    var outcomes = client.createEntries(List.of(workload("a", "k8s:ns:a")));

    assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.succeeded()).isTrue());
    assertThat(server.calls("BatchCreateEntry")).hasSize(3);
    assertThat(server.entries()).hasSize(1);
  }

  @Test
  void resourceExhaustedIsRetriedToo() {
    server.failNext("ListEntries", 1, Status.Code.RESOURCE_EXHAUSTED);

    assertThat(client.listEntries(EntryFilter.all())).isEmpty();
    assertThat(server.calls("ListEntries")).hasSize(2);
  }

  @Test
  void whenRetriesAreExhaustedASpireExceptionNamesMethodAndCode() {
    server.failNext(10, Status.Code.UNAVAILABLE);

    var failure =
        catchThrowableOfType(
            SpireException.class, () -> client.listEntries(EntryFilter.byParent(NODE)));

    assertThat(failure.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(failure.method()).isEqualTo("ListEntries");
    assertThat(failure.isTransient()).isTrue();
    assertThat(server.calls("ListEntries")).hasSize(3);
  }

  @Test
  void aFailureThatIsNotTransientIsNotRetried() {
    server.failNext(10, Status.Code.PERMISSION_DENIED);

    var failure = catchThrowableOfType(SpireException.class, () -> client.countEntries());

    assertThat(failure.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(server.calls()).hasSize(1);
  }

  @Test
  void aServerSlowerThanTheDeadlineEndsInDeadlineExceededAfterEveryAttempt() {
    server.latency(Duration.ofSeconds(30));
    SpireClient impatient =
        server.client(SpireTestServer.testSettings().withTimeout(Duration.ofMillis(100)));

    var failure =
        catchThrowableOfType(
            SpireException.class,
            () -> impatient.createEntries(List.of(workload("a", "k8s:ns:a"))));

    assertThat(failure.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(failure.method()).isEqualTo("BatchCreateEntry");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.calls("BatchCreateEntry").size() == 3);
    server.clearFaults();
    assertThat(server.entries()).isEmpty();
  }

  @Test
  void aStoppedServerIsUnavailableAndTheClientWorksAgainAfterRestart() {
    server.stop();

    var failure = catchThrowableOfType(SpireException.class, () -> client.countEntries());
    assertThat(failure.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(client.isReachable()).isFalse();

    server.restart();
    await().atMost(Duration.ofSeconds(10)).until(client::isReachable);
  }

  @Test
  void getAuthorizedEntriesIsDeniedOnTheAdminSocket() {
    var failure = catchThrowableOfType(SpireException.class, () -> client.getAuthorizedEntries());

    assertThat(failure.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  // ------------------------------------------------------------------ agents and bundles

  @Test
  void listAgentsByAttestationTypeLeavesOutOtherTypesAndBannedAgents() {
    Agent sat = server.addK8sSatAgent("demo", "spire", "spire-agent");
    Agent banned = server.addK8sSatAgent("demo", "spire", "old-agent");
    server.addAgent(new Agent(banned.id(), "k8s_sat", banned.selectors(), true, 0, false));
    server.addAgent(
        new Agent(
            SpiffeId.parse("spiffe://example.org/spire/agent/k8s_psat/demo/n1"),
            "k8s_psat",
            new TreeSet<>(List.of(Selector.parse("k8s_psat:cluster:demo"))),
            false,
            0,
            true));

    assertThat(client.listAgents(AgentFilter.byAttestationType("k8s_sat"))).containsExactly(sat);
  }

  @Test
  void listAgentsBySelectorsUsesTheMatchBehaviour() {
    Agent a = server.addK8sSatAgent("demo", "spire", "spire-agent");
    server.addK8sSatAgent("other", "spire", "spire-agent");

    var superset =
        client.listAgents(
            new AgentFilter(
                null,
                Set.of(Selector.parse("k8s_sat:cluster:demo")),
                EntryFilter.Match.SUPERSET,
                null));
    var exact =
        client.listAgents(
            new AgentFilter(
                null,
                Set.of(Selector.parse("k8s_sat:cluster:demo")),
                EntryFilter.Match.EXACT,
                null));

    assertThat(superset).containsExactly(a);
    assertThat(exact).isEmpty();
    assertThat(a.selectorValue("k8s_sat", "agent_ns")).isEqualTo("spire");
  }

  @Test
  void anAttestedAgentIsFoundById() {
    Agent a = server.addK8sSatAgent("demo", "spire", "spire-agent");
    assertThat(client.getAgent(a.id())).contains(a);
  }

  @Test
  void anUnknownAgentIsNotFound() {
    server.addK8sSatAgent("demo", "spire", "spire-agent");
    assertThat(
            client.getAgent(SpiffeId.parse("spiffe://example.org/spire/agent/k8s_sat/demo/nope")))
        .isEmpty();
  }

  @Test
  void theTrustDomainIsTheOneOfTheServersBundle() {
    assertThat(client.trustDomain()).isEqualTo("example.org");
  }

  @Test
  void federatedTrustDomainsAreReadThroughAllPages() {
    server.addFederatedBundle("a.org").addFederatedBundle("b.org").addFederatedBundle("c.org");
    SpireClient smallPages = server.client(SpireTestServer.testSettings().withPageSize(2));

    assertThat(smallPages.federatedTrustDomains()).containsExactly("a.org", "b.org", "c.org");
    assertThat(server.calls("ListFederatedBundles")).hasSize(3);
  }
}
