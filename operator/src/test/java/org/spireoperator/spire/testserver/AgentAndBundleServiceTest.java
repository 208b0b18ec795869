package org.spireoperator.spire.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.spireoperator.spire.testserver.ProtoFixtures.id;
import static org.spireoperator.spire.testserver.ProtoFixtures.selectors;

import com.google.protobuf.BoolValue;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.Agent;
import org.spireoperator.spire.ProtoMapping;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import spire.api.server.agent.v1.AgentGrpc;
import spire.api.server.agent.v1.CountAgentsRequest;
import spire.api.server.agent.v1.GetAgentRequest;
import spire.api.server.agent.v1.ListAgentsRequest;
import spire.api.server.bundle.v1.BundleGrpc;
import spire.api.server.bundle.v1.GetBundleRequest;
import spire.api.server.bundle.v1.ListFederatedBundlesRequest;
import spire.api.types.SelectorMatch;

class AgentAndBundleServiceTest {

  private final SpireTestServer spire = SpireTestServer.start("example.org");
  private final AgentGrpc.AgentBlockingStub agents = AgentGrpc.newBlockingStub(spire.channel());
  private final BundleGrpc.BundleBlockingStub bundles = BundleGrpc.newBlockingStub(spire.channel());

  @AfterEach
  void close() {
    spire.close();
  }

  private Agent agent(
      String name, String type, boolean banned, boolean canReattest, String... selectors) {
    var set = new TreeSet<Selector>();
    for (String s : selectors) {
      set.add(Selector.parse(s));
    }
    return spire.addAgent(
        new Agent(
            new SpiffeId("example.org", "/spire/agent/" + type + "/" + name),
            type,
            set,
            banned,
            2_000_000_000L,
            canReattest));
  }

  private List<String> names(Consumer<ListAgentsRequest.Filter.Builder> filter) {
    var f = ListAgentsRequest.Filter.newBuilder();
    filter.accept(f);
    return agents
        .listAgents(ListAgentsRequest.newBuilder().setFilter(f).build())
        .getAgentsList()
        .stream()
        .map(a -> a.getId().getPath().substring(a.getId().getPath().lastIndexOf('/') + 1))
        .toList();
  }

  @Test
  void aK8sSatAgentLooksLikeOneTheRealAttestorRegisters() {
    Agent a = spire.addK8sSatAgent("demo", "spire", "spire-agent");

    assertThat(a.id().toString())
        .matches("spiffe://example\\.org/spire/agent/k8s_sat/demo/[0-9a-f-]{36}");
    assertThat(a.attestationType()).isEqualTo("k8s_sat");
    assertThat(a.selectors())
        .extracting(Selector::toString)
        .containsExactlyInAnyOrder(
            "k8s_sat:cluster:demo", "k8s_sat:agent_ns:spire", "k8s_sat:agent_sa:spire-agent");
    assertThat(a.canReattest()).isFalse();
  }

  @Test
  void agentsAreFilteredByAttestationTypeBannedAndCanReattest() {
    agent("a", "k8s_psat", false, true, "k8s_psat:cluster:c1");
    agent("b", "k8s_psat", true, true, "k8s_psat:cluster:c1");
    agent("c", "k8s_sat", false, false, "k8s_sat:cluster:c1");

    assertThat(names(f -> f.setByAttestationType("k8s_psat"))).containsExactly("a", "b");
    assertThat(names(f -> f.setByBanned(BoolValue.of(true)))).containsExactly("b");
    assertThat(names(f -> f.setByBanned(BoolValue.of(false)))).containsExactly("a", "c");
    assertThat(names(f -> f.setByCanReattest(BoolValue.of(false)))).containsExactly("c");
    assertThat(names(f -> f.setByAttestationType("k8s_psat").setByBanned(BoolValue.of(false))))
        .containsExactly("a");
  }

  @Test
  void agentSelectorsMatchLikeEntrySelectors() {
    agent("a", "x", false, false, "t:a");
    agent("ab", "x", false, false, "t:a", "t:b");
    agent("abc", "x", false, false, "t:a", "t:b", "t:c");

    var match = SelectorMatch.newBuilder().addAllSelectors(selectors("t:a", "t:b"));
    assertThat(
            names(
                f -> f.setBySelectorMatch(match.setMatch(SelectorMatch.MatchBehavior.MATCH_EXACT))))
        .containsExactly("ab");
    assertThat(
            names(
                f ->
                    f.setBySelectorMatch(match.setMatch(SelectorMatch.MatchBehavior.MATCH_SUBSET))))
        .containsExactly("a", "ab");
    assertThat(
            names(
                f ->
                    f.setBySelectorMatch(
                        match.setMatch(SelectorMatch.MatchBehavior.MATCH_SUPERSET))))
        .containsExactly("ab", "abc");
    assertThat(
            names(f -> f.setBySelectorMatch(match.setMatch(SelectorMatch.MatchBehavior.MATCH_ANY))))
        .containsExactly("a", "ab", "abc");
  }

  @Test
  void anEmptySelectorMatchFailsWithInternalLikeTheRealServer() {
    var failure =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> names(f -> f.setBySelectorMatch(SelectorMatch.getDefaultInstance())));

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
  }

  @Test
  void agentsArePagedLikeEntries() {
    for (int i = 0; i < 3; i++) {
      agent("n" + i, "x", false, false, "t:a");
    }

    List<Integer> sizes = new ArrayList<>();
    String token = "";
    do {
      var page =
          agents.listAgents(
              ListAgentsRequest.newBuilder().setPageSize(2).setPageToken(token).build());
      sizes.add(page.getAgentsCount());
      token = page.getNextPageToken();
    } while (!token.isEmpty());

    assertThat(sizes).containsExactly(2, 1, 0);
  }

  @Test
  void countAgentsCountsWhatTheFilterLists() {
    agent("a", "k8s_psat", false, true, "t:a");
    agent("b", "k8s_sat", false, false, "t:a");

    assertThat(agents.countAgents(CountAgentsRequest.getDefaultInstance()).getCount()).isEqualTo(2);
    assertThat(
            agents
                .countAgents(
                    CountAgentsRequest.newBuilder()
                        .setFilter(
                            CountAgentsRequest.Filter.newBuilder().setByAttestationType("k8s_sat"))
                        .build())
                .getCount())
        .isEqualTo(1);
  }

  @Test
  void getAgentAnswersNotFoundForAnUnknownAgentAndInvalidArgumentOutsideTheAgentNamespace() {
    var unknown =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                agents.getAgent(
                    GetAgentRequest.newBuilder().setId(id("/spire/agent/x/y")).build()));
    var outside =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> agents.getAgent(GetAgentRequest.newBuilder().setId(id("/x/y")).build()));

    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(outside.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void getAgentAnswersTheAgent() {
    Agent a = agent("a", "k8s_psat", false, true, "t:a");

    var got =
        agents.getAgent(GetAgentRequest.newBuilder().setId(ProtoMapping.toProto(a.id())).build());

    assertThat(ProtoMapping.fromProto(got)).isEqualTo(a);
    assertThat(got.getX509SvidSerialNumber()).isNotEmpty();
  }

  @Test
  void getBundleAnswersTheServersTrustDomain() {
    assertThat(bundles.getBundle(GetBundleRequest.getDefaultInstance()).getTrustDomain())
        .isEqualTo("example.org");
  }

  @Test
  void federatedBundlesArePagedOverAllBundlesLeavingOutTheServersOwn() {
    spire.addFederatedBundle("a.org").addFederatedBundle("b.org");

    var first =
        bundles.listFederatedBundles(
            ListFederatedBundlesRequest.newBuilder().setPageSize(1).build());
    var second =
        bundles.listFederatedBundles(
            ListFederatedBundlesRequest.newBuilder()
                .setPageSize(1)
                .setPageToken(first.getNextPageToken())
                .build());

    assertThat(first.getBundlesList()).isEmpty();
    assertThat(first.getNextPageToken()).isNotEmpty();
    assertThat(second.getBundlesList())
        .extracting(b -> b.getTrustDomain())
        .containsExactly("a.org");
    assertThat(
            bundles
                .listFederatedBundles(ListFederatedBundlesRequest.getDefaultInstance())
                .getBundlesList())
        .extracting(b -> b.getTrustDomain())
        .containsExactly("a.org", "b.org");
  }
}
