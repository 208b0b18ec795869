package org.spireoperator.spire.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.spireoperator.spire.testserver.ProtoFixtures.created;
import static org.spireoperator.spire.testserver.ProtoFixtures.entry;
import static org.spireoperator.spire.testserver.ProtoFixtures.id;
import static org.spireoperator.spire.testserver.ProtoFixtures.selectors;

import com.google.protobuf.BoolValue;
import com.google.protobuf.StringValue;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import spire.api.server.entry.v1.CountEntriesRequest;
import spire.api.server.entry.v1.EntryGrpc;
import spire.api.server.entry.v1.ListEntriesRequest;
import spire.api.server.entry.v1.ListEntriesResponse;
import spire.api.types.Entry;
import spire.api.types.EntryMask;
import spire.api.types.FederatesWithMatch;
import spire.api.types.SelectorMatch;

class EntryListingTest {

  private final SpireTestServer spire = SpireTestServer.start("example.org");
  private final EntryGrpc.EntryBlockingStub entries = EntryGrpc.newBlockingStub(spire.channel());

  @AfterEach
  void close() {
    spire.close();
  }

  private void createWithId(String id, String path, String... selectors) {
    created(entries, entry(path, "/node", List.of(selectors), b -> b.setId(id)));
  }

  private List<String> ids(Consumer<ListEntriesRequest.Filter.Builder> filter) {
    var f = ListEntriesRequest.Filter.newBuilder();
    filter.accept(f);
    return entries
        .listEntries(ListEntriesRequest.newBuilder().setFilter(f).build())
        .getEntriesList()
        .stream()
        .map(Entry::getId)
        .toList();
  }

  private List<String> bySelectors(SelectorMatch.MatchBehavior match, String... selectors) {
    return ids(
        f ->
            f.setBySelectors(
                SelectorMatch.newBuilder().addAllSelectors(selectors(selectors)).setMatch(match)));
  }

  private List<String> byFederatesWith(
      FederatesWithMatch.MatchBehavior match, String... trustDomains) {
    return ids(
        f ->
            f.setByFederatesWith(
                FederatesWithMatch.newBuilder()
                    .addAllTrustDomains(List.of(trustDomains))
                    .setMatch(match)));
  }

  @Test
  void entriesAreListedInCreationOrderNotByTheirId() {
    createWithId("zz", "/1", "k8s:ns:a");
    createWithId("aa", "/2", "k8s:ns:a");
    createWithId("mm", "/3", "k8s:ns:a");

    assertThat(ids(f -> {})).containsExactly("zz", "aa", "mm");
  }

  @Test
  void pageSizeZeroAnswersEverythingAtOnceWithAnEmptyToken() {
    for (int i = 0; i < 5; i++) {
      created(entries, entry("/w" + i, "/node", "k8s:ns:a"));
    }

    ListEntriesResponse page = entries.listEntries(ListEntriesRequest.getDefaultInstance());

    assertThat(page.getEntriesCount()).isEqualTo(5);
    assertThat(page.getNextPageToken()).isEmpty();
  }

  @Test
  void everyPageWithEntriesCarriesATokenAndOnlyTheEmptyLastPageHasNone() {
    for (int i = 0; i < 5; i++) {
      created(entries, entry("/w" + i, "/node", "k8s:ns:a"));
    }

    List<Integer> sizes = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    String token = "";
    do {
      var page =
          entries.listEntries(
              ListEntriesRequest.newBuilder().setPageSize(2).setPageToken(token).build());
      sizes.add(page.getEntriesCount());
      token = page.getNextPageToken();
      tokens.add(token);
    } while (!token.isEmpty());

    assertThat(sizes).containsExactly(2, 2, 1, 0);
    assertThat(tokens.subList(0, 3)).allMatch(t -> !t.isEmpty());
    assertThat(tokens.get(3)).isEmpty();
  }

  @Test
  void thePageTokenIsTheLastRowNumber() {
    created(entries, entry("/a", "/node", "k8s:ns:a"));
    created(entries, entry("/b", "/node", "k8s:ns:a"));

    var page = entries.listEntries(ListEntriesRequest.newBuilder().setPageSize(1).build());

    assertThat(page.getNextPageToken()).isEqualTo("1");
  }

  @Test
  void anUnparsablePageTokenFailsWithInternal() {
    var failure =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                entries.listEntries(
                    ListEntriesRequest.newBuilder().setPageSize(10).setPageToken("abc").build()));

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(failure.getStatus().getDescription())
        .isEqualTo(
            "failed to list entries: datastore-sql: rpc error: code = InvalidArgument desc = could not parse token 'abc'");
  }

  @Test
  void filtersBySpiffeIdParentAndHintAreAndedTogether() {
    created(entries, entry("/web", "/node-1", List.of("k8s:ns:a"), b -> b.setId("1").setHint("h")));
    created(entries, entry("/web", "/node-2", List.of("k8s:ns:a"), b -> b.setId("2").setHint("h")));
    created(entries, entry("/api", "/node-1", List.of("k8s:ns:a"), b -> b.setId("3").setHint("h")));
    created(entries, entry("/web", "/node-1", List.of("k8s:ns:b"), b -> b.setId("4")));

    assertThat(ids(f -> f.setBySpiffeId(id("/web")))).containsExactly("1", "2", "4");
    assertThat(ids(f -> f.setByParentId(id("/node-1")))).containsExactly("1", "3", "4");
    assertThat(ids(f -> f.setByHint(StringValue.of("h")))).containsExactly("1", "2", "3");
    assertThat(
            ids(
                f ->
                    f.setBySpiffeId(id("/web"))
                        .setByParentId(id("/node-1"))
                        .setByHint(StringValue.of("h"))))
        .containsExactly("1");
  }

  @Test
  void anEmptyHintFilterFiltersNothing() {
    created(entries, entry("/web", "/node", List.of("k8s:ns:a"), b -> b.setHint("h")));
    created(entries, entry("/api", "/node", "k8s:ns:a"));

    assertThat(ids(f -> f.setByHint(StringValue.of("")))).hasSize(2);
  }

  @Test
  void selectorMatchBehavioursAreTheDatastores() {
    createWithId("a", "/a", "t:a");
    createWithId("ab", "/ab", "t:a", "t:b");
    createWithId("abc", "/abc", "t:a", "t:b", "t:c");
    createWithId("b", "/b", "t:b");
    createWithId("c", "/c", "t:c");

    assertThat(bySelectors(SelectorMatch.MatchBehavior.MATCH_EXACT, "t:a", "t:b"))
        .containsExactly("ab");
    assertThat(bySelectors(SelectorMatch.MatchBehavior.MATCH_SUBSET, "t:a", "t:b"))
        .containsExactly("a", "ab", "b");
    assertThat(bySelectors(SelectorMatch.MatchBehavior.MATCH_SUPERSET, "t:a", "t:b"))
        .containsExactly("ab", "abc");
    assertThat(bySelectors(SelectorMatch.MatchBehavior.MATCH_ANY, "t:a", "t:b"))
        .containsExactly("a", "ab", "abc", "b");
  }

  @Test
  void pagesEmptiedByTheExactSelectorPostFilterAreSkipped() {
    for (int i = 0; i < 5; i++) {
      created(entries, entry("/super" + i, "/node", "t:a", "t:b"));
    }
    created(entries, entry("/exact", "/node", List.of("t:a"), b -> b.setId("exact")));

    var first =
        entries.listEntries(
            ListEntriesRequest.newBuilder()
                .setPageSize(2)
                .setFilter(
                    ListEntriesRequest.Filter.newBuilder()
                        .setBySelectors(
                            SelectorMatch.newBuilder()
                                .addAllSelectors(selectors("t:a"))
                                .setMatch(SelectorMatch.MatchBehavior.MATCH_EXACT)))
                .build());

    assertThat(first.getEntriesList()).extracting(Entry::getId).containsExactly("exact");
    assertThat(first.getNextPageToken()).isEqualTo("6");
  }

  @Test
  void anEmptySelectorFilterIsInvalid() {
    var failure =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> bySelectors(SelectorMatch.MatchBehavior.MATCH_ANY));

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(failure.getStatus().getDescription())
        .isEqualTo("malformed selectors filter: empty selector set");
  }

  @Test
  void aSpiffeIdFilterInTheReservedNamespaceIsInvalid() {
    var failure =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> ids(f -> f.setBySpiffeId(id("/spire/agent/x"))));

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void aParentFilterInTheReservedNamespaceIsFine() {
    created(entries, entry("/web", "/spire/agent/k8s_psat/demo/n1", "k8s:ns:a"));

    assertThat(ids(f -> f.setByParentId(id("/spire/agent/k8s_psat/demo/n1")))).hasSize(1);
  }

  @Test
  void federatesWithMatchBehavioursAreTheDatastores() {
    spire.addFederatedBundle("x.org").addFederatedBundle("y.org").addFederatedBundle("z.org");
    created(entries, entry("/none", "/node", List.of("t:a"), b -> b.setId("none")));
    created(
        entries, entry("/x", "/node", List.of("t:a"), b -> b.setId("x").addFederatesWith("x.org")));
    created(
        entries,
        entry(
            "/xy",
            "/node",
            List.of("t:a"),
            b -> b.setId("xy").addFederatesWith("x.org").addFederatesWith("y.org")));
    created(
        entries,
        entry(
            "/xyz",
            "/node",
            List.of("t:a"),
            b ->
                b.setId("xyz")
                    .addFederatesWith("x.org")
                    .addFederatesWith("y.org")
                    .addFederatesWith("z.org")));
    created(
        entries, entry("/z", "/node", List.of("t:a"), b -> b.setId("z").addFederatesWith("z.org")));

    assertThat(byFederatesWith(FederatesWithMatch.MatchBehavior.MATCH_EXACT, "x.org", "y.org"))
        .containsExactly("xy");
    assertThat(byFederatesWith(FederatesWithMatch.MatchBehavior.MATCH_SUBSET, "x.org", "y.org"))
        .containsExactly("x", "xy");
    assertThat(byFederatesWith(FederatesWithMatch.MatchBehavior.MATCH_SUPERSET, "x.org", "y.org"))
        .containsExactly("xy", "xyz");
    assertThat(byFederatesWith(FederatesWithMatch.MatchBehavior.MATCH_ANY, "x.org", "y.org"))
        .containsExactly("x", "xy", "xyz");
  }

  @Test
  void downstreamTrueListsOnlyDownstreamEntriesAndFalseFiltersNothing() {
    created(entries, entry("/d", "/node", List.of("t:a"), b -> b.setId("d").setDownstream(true)));
    created(entries, entry("/n", "/node", List.of("t:a"), b -> b.setId("n")));

    assertThat(ids(f -> f.setByDownstream(BoolValue.of(true)))).containsExactly("d");
    assertThat(ids(f -> f.setByDownstream(BoolValue.of(false)))).containsExactly("d", "n");
  }

  @Test
  void theOutputMaskFillsOnlyMaskedFieldsAndAlwaysTheId() {
    Entry e =
        created(
            entries,
            entry("/web", "/node", List.of("k8s:ns:a"), b -> b.setHint("h").setAdmin(true)));

    var listed =
        entries
            .listEntries(
                ListEntriesRequest.newBuilder()
                    .setOutputMask(EntryMask.newBuilder().setHint(true))
                    .build())
            .getEntries(0);

    assertThat(listed).isEqualTo(Entry.newBuilder().setId(e.getId()).setHint("h").build());
  }

  @Test
  void anEmptyOutputMaskLeavesOnlyTheId() {
    Entry e = created(entries, entry("/web", "/node", "k8s:ns:a"));

    var listed =
        entries
            .listEntries(
                ListEntriesRequest.newBuilder()
                    .setOutputMask(EntryMask.getDefaultInstance())
                    .build())
            .getEntries(0);

    assertThat(listed).isEqualTo(Entry.newBuilder().setId(e.getId()).build());
  }

  @Test
  void countEntriesCountsWhatTheFilterLists() {
    created(entries, entry("/a", "/node-1", "k8s:ns:a"));
    created(entries, entry("/b", "/node-1", "k8s:ns:a"));
    created(entries, entry("/c", "/node-2", "k8s:ns:a"));

    assertThat(entries.countEntries(CountEntriesRequest.getDefaultInstance()).getCount())
        .isEqualTo(3);
    assertThat(
            entries
                .countEntries(
                    CountEntriesRequest.newBuilder()
                        .setFilter(
                            CountEntriesRequest.Filter.newBuilder().setByParentId(id("/node-1")))
                        .build())
                .getCount())
        .isEqualTo(2);
  }
}
