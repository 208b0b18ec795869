package org.spireoperator.spire.testserver;

import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import spire.api.server.agent.v1.AgentGrpc;
import spire.api.server.agent.v1.BanAgentRequest;
import spire.api.server.agent.v1.CountAgentsRequest;
import spire.api.server.agent.v1.CountAgentsResponse;
import spire.api.server.agent.v1.DeleteAgentRequest;
import spire.api.server.agent.v1.GetAgentRequest;
import spire.api.server.agent.v1.ListAgentsRequest;
import spire.api.server.agent.v1.ListAgentsResponse;
import spire.api.types.Agent;

/**
 * The Agent service of SPIRE's server API v1 over an {@link AgentStore}: listing, counting,
 * getting, deleting and banning agents that tests added. Attestation, renewal, join tokens are not
 * implemented (UNIMPLEMENTED).
 */
final class TestAgentService extends AgentGrpc.AgentImplBase {

  private final AgentStore store;
  private final SpiffeIdRules ids;

  TestAgentService(AgentStore store, SpiffeIdRules ids) {
    this.store = store;
    this.ids = ids;
  }

  @Override
  public void countAgents(
      CountAgentsRequest request, StreamObserver<CountAgentsResponse> response) {
    TestEntryService.answer(
        response,
        () -> {
          AgentQuery query = request.hasFilter() ? query(request.getFilter()) : AgentQuery.ALL;
          return CountAgentsResponse.newBuilder().setCount(store.count(query)).build();
        });
  }

  @Override
  public void listAgents(ListAgentsRequest request, StreamObserver<ListAgentsResponse> response) {
    TestEntryService.answer(
        response,
        () -> {
          AgentQuery query = request.hasFilter() ? query(request.getFilter()) : AgentQuery.ALL;
          var page = store.list(query, request.getPageSize(), request.getPageToken());
          var b = ListAgentsResponse.newBuilder().setNextPageToken(page.nextToken());
          page.items()
              .forEach(
                  a ->
                      b.addAgents(
                          OutputMasks.apply(
                              a, request.hasOutputMask() ? request.getOutputMask() : null)));
          return b.build();
        });
  }

  @Override
  public void getAgent(GetAgentRequest request, StreamObserver<Agent> response) {
    TestEntryService.answer(
        response,
        () -> {
          Agent agent =
              store
                  .get(agentId(request.getId(), request.hasId()))
                  .orElseThrow(() -> new ItemFailure(Status.Code.NOT_FOUND, "agent not found"));
          return OutputMasks.apply(agent, request.hasOutputMask() ? request.getOutputMask() : null);
        });
  }

  @Override
  public void deleteAgent(DeleteAgentRequest request, StreamObserver<Empty> response) {
    TestEntryService.answer(
        response,
        () -> {
          if (!store.remove(agentId(request.getId(), request.hasId()))) {
            throw new ItemFailure(Status.Code.NOT_FOUND, "agent not found");
          }
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void banAgent(BanAgentRequest request, StreamObserver<Empty> response) {
    TestEntryService.answer(
        response,
        () -> {
          Agent agent =
              store
                  .get(agentId(request.getId(), request.hasId()))
                  .orElseThrow(() -> new ItemFailure(Status.Code.NOT_FOUND, "agent not found"));
          store.put(agent.toBuilder().setBanned(true).clearX509SvidSerialNumber().build());
          return Empty.getDefaultInstance();
        });
  }

  private static AgentQuery query(CountAgentsRequest.Filter f) {
    return AgentQuery.parse(
        f.getByAttestationType(),
        f.hasByBanned() ? f.getByBanned().getValue() : null,
        f.hasByCanReattest() ? f.getByCanReattest().getValue() : null,
        f.getByExpiresBefore(),
        f.hasBySelectorMatch() ? f.getBySelectorMatch() : null,
        "failed to count agents");
  }

  private static AgentQuery query(ListAgentsRequest.Filter f) {
    return AgentQuery.parse(
        f.getByAttestationType(),
        f.hasByBanned() ? f.getByBanned().getValue() : null,
        f.hasByCanReattest() ? f.getByCanReattest().getValue() : null,
        f.getByExpiresBefore(),
        f.hasBySelectorMatch() ? f.getBySelectorMatch() : null,
        "failed to list agents");
  }

  private String agentId(spire.api.types.SPIFFEID id, boolean present) {
    try {
      return ids.agent(id, present).toString();
    } catch (IllegalArgumentException e) {
      throw new ItemFailure(Status.Code.INVALID_ARGUMENT, "invalid agent ID: " + e.getMessage());
    }
  }
}
