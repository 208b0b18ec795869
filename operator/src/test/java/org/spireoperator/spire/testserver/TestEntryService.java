package org.spireoperator.spire.testserver;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import spire.api.server.entry.v1.BatchCreateEntryRequest;
import spire.api.server.entry.v1.BatchCreateEntryResponse;
import spire.api.server.entry.v1.BatchDeleteEntryRequest;
import spire.api.server.entry.v1.BatchDeleteEntryResponse;
import spire.api.server.entry.v1.BatchUpdateEntryRequest;
import spire.api.server.entry.v1.BatchUpdateEntryResponse;
import spire.api.server.entry.v1.CountEntriesRequest;
import spire.api.server.entry.v1.CountEntriesResponse;
import spire.api.server.entry.v1.EntryGrpc;
import spire.api.server.entry.v1.GetAuthorizedEntriesRequest;
import spire.api.server.entry.v1.GetAuthorizedEntriesResponse;
import spire.api.server.entry.v1.GetEntryRequest;
import spire.api.server.entry.v1.ListEntriesRequest;
import spire.api.server.entry.v1.ListEntriesResponse;
import spire.api.types.Entry;
import spire.api.types.EntryMask;

/**
 * The Entry service of SPIRE's server API v1 over an {@link EntryStore}. Batches answer one result
 * per item, in request order; GetAuthorizedEntries is denied (PERMISSION_DENIED, as for any caller
 * on the real admin socket), SyncAuthorizedEntries is not implemented (UNIMPLEMENTED).
 */
final class TestEntryService extends EntryGrpc.EntryImplBase {

  private static final spire.api.types.Status OK =
      spire.api.types.Status.newBuilder().setCode(Status.Code.OK.value()).setMessage("OK").build();
  private static final spire.api.types.Status SIMILAR =
      spire.api.types.Status.newBuilder()
          .setCode(Status.Code.ALREADY_EXISTS.value())
          .setMessage("similar entry already exists")
          .build();

  private final EntryStore store;
  private final SpiffeIdRules ids;
  private final EntryValidation validation;
  private final CallLog callLog;

  TestEntryService(
      EntryStore store, SpiffeIdRules ids, ServerSemantics semantics, CallLog callLog) {
    this.store = store;
    this.ids = ids;
    this.validation = new EntryValidation(ids, semantics);
    this.callLog = callLog;
  }

  @Override
  public void countEntries(
      CountEntriesRequest request, StreamObserver<CountEntriesResponse> response) {
    answer(
        response,
        () -> {
          EntryQuery query = request.hasFilter() ? query(request.getFilter()) : EntryQuery.ALL;
          return CountEntriesResponse.newBuilder().setCount(store.count(query)).build();
        });
  }

  @Override
  public void listEntries(
      ListEntriesRequest request, StreamObserver<ListEntriesResponse> response) {
    answer(
        response,
        () -> {
          EntryQuery query = request.hasFilter() ? query(request.getFilter()) : EntryQuery.ALL;
          var page = store.list(query, request.getPageSize(), request.getPageToken());
          EntryMask mask = request.hasOutputMask() ? request.getOutputMask() : null;
          var b = ListEntriesResponse.newBuilder().setNextPageToken(page.nextToken());
          page.items().forEach(e -> b.addEntries(OutputMasks.apply(e, mask)));
          callLog.listed(page.items().stream().map(Entry::getId).toList());
          return b.build();
        });
  }

  @Override
  public void getEntry(GetEntryRequest request, StreamObserver<Entry> response) {
    answer(
        response,
        () -> {
          if (request.getId().isEmpty()) {
            throw new ItemFailure(Status.Code.INVALID_ARGUMENT, "missing ID");
          }
          Entry entry =
              store
                  .get(request.getId())
                  .orElseThrow(() -> new ItemFailure(Status.Code.NOT_FOUND, "entry not found"));
          return OutputMasks.apply(entry, request.hasOutputMask() ? request.getOutputMask() : null);
        });
  }

  @Override
  public void batchCreateEntry(
      BatchCreateEntryRequest request, StreamObserver<BatchCreateEntryResponse> response) {
    EntryMask mask = request.hasOutputMask() ? request.getOutputMask() : null;
    var b = BatchCreateEntryResponse.newBuilder();
    for (Entry requested : request.getEntriesList()) {
      var result = BatchCreateEntryResponse.Result.newBuilder();
      try {
        EntryStore.Created created = store.create(validation.convert(requested, null));
        result
            .setStatus(created.existing() ? SIMILAR : OK)
            .setEntry(OutputMasks.apply(created.entry(), mask));
      } catch (ItemFailure failure) {
        result.setStatus(failure.toProto());
      }
      b.addResults(result);
    }
    response.onNext(b.build());
    response.onCompleted();
  }

  @Override
  public void batchUpdateEntry(
      BatchUpdateEntryRequest request, StreamObserver<BatchUpdateEntryResponse> response) {
    EntryMask inputMask = request.hasInputMask() ? request.getInputMask() : null;
    EntryMask outputMask = request.hasOutputMask() ? request.getOutputMask() : null;
    var b = BatchUpdateEntryResponse.newBuilder();
    for (Entry requested : request.getEntriesList()) {
      var result = BatchUpdateEntryResponse.Result.newBuilder();
      try {
        Entry updated = store.update(validation.convert(requested, inputMask), inputMask);
        result.setStatus(OK).setEntry(OutputMasks.apply(updated, outputMask));
      } catch (ItemFailure failure) {
        result.setStatus(failure.toProto());
      }
      b.addResults(result);
    }
    response.onNext(b.build());
    response.onCompleted();
  }

  @Override
  public void batchDeleteEntry(
      BatchDeleteEntryRequest request, StreamObserver<BatchDeleteEntryResponse> response) {
    var b = BatchDeleteEntryResponse.newBuilder();
    for (String id : request.getIdsList()) {
      ItemFailure failure = store.delete(id);
      b.addResults(
          BatchDeleteEntryResponse.Result.newBuilder()
              .setId(id)
              .setStatus(failure == null ? OK : failure.toProto()));
    }
    response.onNext(b.build());
    response.onCompleted();
  }

  /**
   * Like the real server for a caller on the admin socket: no agent or downstream identity, so
   * denied.
   */
  @Override
  public void getAuthorizedEntries(
      GetAuthorizedEntriesRequest request, StreamObserver<GetAuthorizedEntriesResponse> response) {
    response.onError(
        Status.PERMISSION_DENIED
            .withDescription(
                "authorization denied for method /"
                    + EntryGrpc.getGetAuthorizedEntriesMethod().getFullMethodName())
            .asRuntimeException());
  }

  private EntryQuery query(ListEntriesRequest.Filter f) {
    return EntryQuery.parse(
        ids,
        f.hasBySpiffeId() ? f.getBySpiffeId() : null,
        f.hasByParentId() ? f.getByParentId() : null,
        f.hasBySelectors() ? f.getBySelectors() : null,
        f.hasByFederatesWith() ? f.getByFederatesWith() : null,
        f.hasByHint() ? f.getByHint() : null,
        f.hasByDownstream() ? f.getByDownstream() : null);
  }

  private EntryQuery query(CountEntriesRequest.Filter f) {
    return EntryQuery.parse(
        ids,
        f.hasBySpiffeId() ? f.getBySpiffeId() : null,
        f.hasByParentId() ? f.getByParentId() : null,
        f.hasBySelectors() ? f.getBySelectors() : null,
        f.hasByFederatesWith() ? f.getByFederatesWith() : null,
        f.hasByHint() ? f.getByHint() : null,
        f.hasByDownstream() ? f.getByDownstream() : null);
  }

  /** Answers the value, or the failure as the call's status. */
  static <T> void answer(StreamObserver<T> response, Supplier<T> call) {
    T value;
    try {
      value = call.get();
    } catch (ItemFailure failure) {
      response.onError(failure.toStatusException());
      return;
    }
    response.onNext(value);
    response.onCompleted();
  }
}
