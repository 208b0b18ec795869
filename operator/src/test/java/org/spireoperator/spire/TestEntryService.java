package org.spireoperator.spire;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
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

/** The Entry service of the test server. */
final class TestEntryService extends EntryGrpc.EntryImplBase {

  private final TestEntryStore store;

  TestEntryService(TestEntryStore store) {
    this.store = store;
  }

  private static spire.api.types.Status status(TestEntryStore.Outcome o) {
    return spire.api.types.Status.newBuilder().setCode(o.code().value()).setMessage(o.message()).build();
  }

  @Override
  public void countEntries(CountEntriesRequest request, StreamObserver<CountEntriesResponse> out) {
    var f = request.getFilter();
    var asList = ListEntriesRequest.Filter.newBuilder();
    if (f.hasBySpiffeId()) {
      asList.setBySpiffeId(f.getBySpiffeId());
    }
    if (f.hasByParentId()) {
      asList.setByParentId(f.getByParentId());
    }
    if (f.hasBySelectors()) {
      asList.setBySelectors(f.getBySelectors());
    }
    out.onNext(CountEntriesResponse.newBuilder().setCount(store.count(TestEntryStore.filter(asList.build())))
        .build());
    out.onCompleted();
  }

  @Override
  public void listEntries(ListEntriesRequest request, StreamObserver<ListEntriesResponse> out) {
    long after = 0;
    if (!request.getPageToken().isEmpty()) {
      try {
        after = Long.parseLong(request.getPageToken());
      } catch (NumberFormatException e) {
        out.onError(Status.INVALID_ARGUMENT.withDescription("could not parse token").asRuntimeException());
        return;
      }
    }
    List<spire.api.types.Entry> page = store.list(TestEntryStore.filter(request.getFilter()), after,
        request.getPageSize());
    var b = ListEntriesResponse.newBuilder();
    page.forEach(e -> b.addEntries(TestEntryStore.mask(e, request.getOutputMask(), request.hasOutputMask())));
    if (request.getPageSize() > 0 && !page.isEmpty()) {
      b.setNextPageToken(Long.toString(store.positionOf(page.get(page.size() - 1).getId())));
    }
    out.onNext(b.build());
    out.onCompleted();
  }

  @Override
  public void getEntry(GetEntryRequest request, StreamObserver<spire.api.types.Entry> out) {
    var e = store.get(request.getId());
    if (e.isEmpty()) {
      out.onError(Status.NOT_FOUND.withDescription("entry not found").asRuntimeException());
      return;
    }
    out.onNext(TestEntryStore.mask(e.get(), request.getOutputMask(), request.hasOutputMask()));
    out.onCompleted();
  }

  @Override
  public void batchCreateEntry(BatchCreateEntryRequest request, StreamObserver<BatchCreateEntryResponse> out) {
    var b = BatchCreateEntryResponse.newBuilder();
    for (var in : request.getEntriesList()) {
      var o = store.create(in);
      var r = BatchCreateEntryResponse.Result.newBuilder().setStatus(status(o));
      if (o.entry() != null) {
        r.setEntry(TestEntryStore.mask(o.entry(), request.getOutputMask(), request.hasOutputMask()));
      }
      b.addResults(r);
    }
    out.onNext(b.build());
    out.onCompleted();
  }

  @Override
  public void batchUpdateEntry(BatchUpdateEntryRequest request, StreamObserver<BatchUpdateEntryResponse> out) {
    var b = BatchUpdateEntryResponse.newBuilder();
    for (var in : request.getEntriesList()) {
      var o = store.update(in, request.getInputMask(), request.hasInputMask());
      var r = BatchUpdateEntryResponse.Result.newBuilder().setStatus(status(o));
      if (o.entry() != null) {
        r.setEntry(TestEntryStore.mask(o.entry(), request.getOutputMask(), request.hasOutputMask()));
      }
      b.addResults(r);
    }
    out.onNext(b.build());
    out.onCompleted();
  }

  @Override
  public void batchDeleteEntry(BatchDeleteEntryRequest request, StreamObserver<BatchDeleteEntryResponse> out) {
    var b = BatchDeleteEntryResponse.newBuilder();
    for (String id : request.getIdsList()) {
      var o = store.delete(id);
      b.addResults(BatchDeleteEntryResponse.Result.newBuilder().setId(id).setStatus(status(o)));
    }
    out.onNext(b.build());
    out.onCompleted();
  }

  @Override
  public void getAuthorizedEntries(GetAuthorizedEntriesRequest request,
      StreamObserver<GetAuthorizedEntriesResponse> out) {
    out.onNext(GetAuthorizedEntriesResponse.getDefaultInstance());
    out.onCompleted();
  }
}
