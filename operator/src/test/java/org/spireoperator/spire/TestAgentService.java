package org.spireoperator.spire;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import spire.api.server.agent.v1.AgentGrpc;
import spire.api.server.agent.v1.CountAgentsRequest;
import spire.api.server.agent.v1.CountAgentsResponse;
import spire.api.server.agent.v1.GetAgentRequest;
import spire.api.server.agent.v1.ListAgentsRequest;
import spire.api.server.agent.v1.ListAgentsResponse;

/** The Agent service of the test server (agents are added by tests). */
final class TestAgentService extends AgentGrpc.AgentImplBase {

  private final TestEntryStore store;

  TestAgentService(TestEntryStore store) {
    this.store = store;
  }

  private static spire.api.types.Agent toProto(Agent a) {
    var b = spire.api.types.Agent.newBuilder().setId(ProtoMapping.toProto(a.id()))
        .setAttestationType(a.attestationType()).setBanned(a.banned()).setX509SvidExpiresAt(a.x509SvidExpiresAt())
        .setCanReattest(a.canReattest());
    a.selectors().forEach(s -> b.addSelectors(ProtoMapping.toProto(s)));
    return b.build();
  }

  private static Predicate<Agent> filter(ListAgentsRequest.Filter f) {
    Predicate<Agent> p = a -> true;
    if (!f.getByAttestationType().isEmpty()) {
      p = p.and(a -> a.attestationType().equals(f.getByAttestationType()));
    }
    if (f.hasBySelectorMatch()) {
      Set<String> want = new HashSet<>();
      f.getBySelectorMatch().getSelectorsList().forEach(s -> want.add(s.getType() + ":" + s.getValue()));
      int behaviour = f.getBySelectorMatch().getMatchValue();
      p = p.and(a -> {
        Set<String> have = new HashSet<>();
        a.selectors().forEach(s -> have.add(s.toString()));
        return TestEntryStore.matches(have, want, behaviour);
      });
    }
    if (f.hasByBanned()) {
      p = p.and(a -> a.banned() == f.getByBanned().getValue());
    }
    if (f.hasByCanReattest()) {
      p = p.and(a -> a.canReattest() == f.getByCanReattest().getValue());
    }
    return p;
  }

  @Override
  public void listAgents(ListAgentsRequest request, StreamObserver<ListAgentsResponse> out) {
    int from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
    List<Agent> all = store.agents().stream().filter(filter(request.getFilter())).toList();
    int to = request.getPageSize() == 0 ? all.size() : Math.min(all.size(), from + request.getPageSize());
    var b = ListAgentsResponse.newBuilder();
    all.subList(Math.min(from, all.size()), to).forEach(a -> b.addAgents(toProto(a)));
    if (request.getPageSize() > 0 && to > from) {
      b.setNextPageToken(Integer.toString(to));
    }
    out.onNext(b.build());
    out.onCompleted();
  }

  @Override
  public void countAgents(CountAgentsRequest request, StreamObserver<CountAgentsResponse> out) {
    out.onNext(CountAgentsResponse.newBuilder().setCount(store.agents().size()).build());
    out.onCompleted();
  }

  @Override
  public void getAgent(GetAgentRequest request, StreamObserver<spire.api.types.Agent> out) {
    SpiffeId id = ProtoMapping.fromProto(request.getId());
    var found = store.agents().stream().filter(a -> a.id().equals(id)).findFirst();
    if (found.isEmpty()) {
      out.onError(Status.NOT_FOUND.withDescription("agent not found").asRuntimeException());
      return;
    }
    out.onNext(toProto(found.get()));
    out.onCompleted();
  }
}
