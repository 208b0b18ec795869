package org.spireoperator.spire;

import io.grpc.stub.StreamObserver;
import java.util.List;
import spire.api.server.bundle.v1.BundleGrpc;
import spire.api.server.bundle.v1.GetBundleRequest;
import spire.api.server.bundle.v1.ListFederatedBundlesRequest;
import spire.api.server.bundle.v1.ListFederatedBundlesResponse;
import spire.api.types.Bundle;

/** The Bundle service of the test server: the server's bundle and the federated ones tests add. */
final class TestBundleService extends BundleGrpc.BundleImplBase {

  private final TestEntryStore store;

  TestBundleService(TestEntryStore store) {
    this.store = store;
  }

  @Override
  public void getBundle(GetBundleRequest request, StreamObserver<Bundle> out) {
    out.onNext(Bundle.newBuilder().setTrustDomain(store.trustDomain()).build());
    out.onCompleted();
  }

  @Override
  public void listFederatedBundles(ListFederatedBundlesRequest request,
      StreamObserver<ListFederatedBundlesResponse> out) {
    List<String> all = store.federatedBundles();
    int from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
    int to = request.getPageSize() == 0 ? all.size() : Math.min(all.size(), from + request.getPageSize());
    var b = ListFederatedBundlesResponse.newBuilder();
    all.subList(Math.min(from, all.size()), to).forEach(td -> b.addBundles(Bundle.newBuilder().setTrustDomain(td)));
    if (request.getPageSize() > 0 && to > from) {
      b.setNextPageToken(Integer.toString(to));
    }
    out.onNext(b.build());
    out.onCompleted();
  }
}
