package org.spireoperator.spire.testserver;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import spire.api.server.bundle.v1.BundleGrpc;
import spire.api.server.bundle.v1.CountBundlesRequest;
import spire.api.server.bundle.v1.CountBundlesResponse;
import spire.api.server.bundle.v1.GetBundleRequest;
import spire.api.server.bundle.v1.GetFederatedBundleRequest;
import spire.api.server.bundle.v1.ListFederatedBundlesRequest;
import spire.api.server.bundle.v1.ListFederatedBundlesResponse;
import spire.api.types.Bundle;

/**
 * The read side of SPIRE's Bundle service over a {@link BundleStore}: the server's own bundle,
 * federated bundles (paged), counting. Bundles carry no key material. Writes are not implemented
 * (UNIMPLEMENTED): tests add federated bundles through {@link
 * SpireTestServer#addFederatedBundle(String)}.
 */
final class TestBundleService extends BundleGrpc.BundleImplBase {

  private final BundleStore store;
  private final String trustDomain;

  TestBundleService(BundleStore store, String trustDomain) {
    this.store = store;
    this.trustDomain = trustDomain;
  }

  @Override
  public void getBundle(GetBundleRequest request, StreamObserver<Bundle> response) {
    TestEntryService.answer(
        response,
        () ->
            OutputMasks.apply(
                store.own(), request.hasOutputMask() ? request.getOutputMask() : null));
  }

  @Override
  public void countBundles(
      CountBundlesRequest request, StreamObserver<CountBundlesResponse> response) {
    TestEntryService.answer(
        response, () -> CountBundlesResponse.newBuilder().setCount(store.count()).build());
  }

  @Override
  public void listFederatedBundles(
      ListFederatedBundlesRequest request, StreamObserver<ListFederatedBundlesResponse> response) {
    TestEntryService.answer(
        response,
        () -> {
          var page = store.listFederated(request.getPageSize(), request.getPageToken());
          var b = ListFederatedBundlesResponse.newBuilder().setNextPageToken(page.nextToken());
          page.items()
              .forEach(
                  bundle ->
                      b.addBundles(
                          OutputMasks.apply(
                              bundle, request.hasOutputMask() ? request.getOutputMask() : null)));
          return b.build();
        });
  }

  @Override
  public void getFederatedBundle(
      GetFederatedBundleRequest request, StreamObserver<Bundle> response) {
    TestEntryService.answer(
        response,
        () -> {
          String td;
          try {
            td = SpiffeIdRules.trustDomainName(request.getTrustDomain());
          } catch (IllegalArgumentException e) {
            throw new ItemFailure(
                Status.Code.INVALID_ARGUMENT,
                "trust domain argument is not valid: " + e.getMessage());
          }
          if (td.equals(trustDomain)) {
            throw new ItemFailure(
                Status.Code.INVALID_ARGUMENT,
                "getting a federated bundle for the server's own trust domain is not allowed");
          }
          if (!store.has(td)) {
            throw new ItemFailure(Status.Code.NOT_FOUND, "bundle not found");
          }
          return OutputMasks.apply(
              Bundle.newBuilder().setTrustDomain(td).setSequenceNumber(1).build(),
              request.hasOutputMask() ? request.getOutputMask() : null);
        });
  }
}
