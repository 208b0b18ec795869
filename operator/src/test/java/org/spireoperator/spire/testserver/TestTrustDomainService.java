package org.spireoperator.spire.testserver;

import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import spire.api.server.trustdomain.v1.BatchCreateFederationRelationshipRequest;
import spire.api.server.trustdomain.v1.BatchCreateFederationRelationshipResponse;
import spire.api.server.trustdomain.v1.BatchDeleteFederationRelationshipRequest;
import spire.api.server.trustdomain.v1.BatchDeleteFederationRelationshipResponse;
import spire.api.server.trustdomain.v1.BatchUpdateFederationRelationshipRequest;
import spire.api.server.trustdomain.v1.BatchUpdateFederationRelationshipResponse;
import spire.api.server.trustdomain.v1.GetFederationRelationshipRequest;
import spire.api.server.trustdomain.v1.ListFederationRelationshipsRequest;
import spire.api.server.trustdomain.v1.ListFederationRelationshipsResponse;
import spire.api.server.trustdomain.v1.RefreshBundleRequest;
import spire.api.server.trustdomain.v1.TrustDomainGrpc;
import spire.api.types.FederationRelationship;
import spire.api.types.FederationRelationshipMask;

/**
 * SPIRE's TrustDomain service over a {@link FederationStore}, answering as spire-server 1.10–1.15
 * does: per-item results in request order; a create for a trust domain that has a relationship and
 * an update of one that has none fail with INTERNAL (the datastore's errors, not ALREADY_EXISTS or
 * NOT_FOUND); a delete of an unknown one is NOT_FOUND; the server's own trust domain cannot be
 * federated with; an update without input mask changes every field. RefreshBundle answers OK for a
 * known relationship (nothing is fetched).
 */
final class TestTrustDomainService extends TrustDomainGrpc.TrustDomainImplBase {

  private static final FederationRelationshipMask ALL =
      FederationRelationshipMask.newBuilder()
          .setBundleEndpointUrl(true)
          .setBundleEndpointProfile(true)
          .setTrustDomainBundle(true)
          .build();
  private static final spire.api.types.Status OK =
      spire.api.types.Status.newBuilder().setCode(Status.Code.OK.value()).setMessage("OK").build();

  private final FederationStore store;
  private final String serverTrustDomain;

  TestTrustDomainService(FederationStore store, String serverTrustDomain) {
    this.store = store;
    this.serverTrustDomain = serverTrustDomain;
  }

  @Override
  public void listFederationRelationships(
      ListFederationRelationshipsRequest request,
      StreamObserver<ListFederationRelationshipsResponse> response) {
    TestEntryService.answer(
        response,
        () -> {
          var page = store.list(request.getPageSize(), request.getPageToken());
          var mask = request.hasOutputMask() ? request.getOutputMask() : null;
          var b =
              ListFederationRelationshipsResponse.newBuilder().setNextPageToken(page.nextToken());
          page.items().forEach(r -> b.addFederationRelationships(masked(r, mask)));
          return b.build();
        });
  }

  @Override
  public void getFederationRelationship(
      GetFederationRelationshipRequest request, StreamObserver<FederationRelationship> response) {
    TestEntryService.answer(
        response,
        () -> {
          String td;
          try {
            td = SpiffeIdRules.trustDomainName(request.getTrustDomain());
          } catch (IllegalArgumentException e) {
            throw new ItemFailure(
                Status.Code.INVALID_ARGUMENT, "failed to parse trust domain: " + e.getMessage());
          }
          FederationRelationship r = store.get(td);
          if (r == null) {
            throw new ItemFailure(Status.Code.NOT_FOUND, "federation relationship does not exist");
          }
          return masked(r, request.hasOutputMask() ? request.getOutputMask() : null);
        });
  }

  @Override
  public void batchCreateFederationRelationship(
      BatchCreateFederationRelationshipRequest request,
      StreamObserver<BatchCreateFederationRelationshipResponse> response) {
    TestEntryService.answer(
        response,
        () -> {
          var mask = request.hasOutputMask() ? request.getOutputMask() : null;
          var b = BatchCreateFederationRelationshipResponse.newBuilder();
          for (FederationRelationship r : request.getFederationRelationshipsList()) {
            var result = BatchCreateFederationRelationshipResponse.Result.newBuilder();
            try {
              FederationRelationship checked = FederationValidation.check(r);
              if (checked.getTrustDomain().equals(serverTrustDomain)) {
                throw new ItemFailure(
                    Status.Code.INVALID_ARGUMENT,
                    "unable to create federation relationship for server trust domain");
              }
              result.setStatus(OK).setFederationRelationship(masked(store.create(checked), mask));
            } catch (ItemFailure failure) {
              result.setStatus(failure.toProto());
            }
            b.addResults(result);
          }
          return b.build();
        });
  }

  @Override
  public void batchUpdateFederationRelationship(
      BatchUpdateFederationRelationshipRequest request,
      StreamObserver<BatchUpdateFederationRelationshipResponse> response) {
    TestEntryService.answer(
        response,
        () -> {
          var input = request.hasInputMask() ? request.getInputMask() : ALL;
          var output = request.hasOutputMask() ? request.getOutputMask() : null;
          var b = BatchUpdateFederationRelationshipResponse.newBuilder();
          for (FederationRelationship r : request.getFederationRelationshipsList()) {
            var result = BatchUpdateFederationRelationshipResponse.Result.newBuilder();
            try {
              FederationRelationship checked = FederationValidation.check(r);
              result
                  .setStatus(OK)
                  .setFederationRelationship(masked(store.update(checked, input), output));
            } catch (ItemFailure failure) {
              result.setStatus(failure.toProto());
            }
            b.addResults(result);
          }
          return b.build();
        });
  }

  @Override
  public void batchDeleteFederationRelationship(
      BatchDeleteFederationRelationshipRequest request,
      StreamObserver<BatchDeleteFederationRelationshipResponse> response) {
    TestEntryService.answer(
        response,
        () -> {
          var b = BatchDeleteFederationRelationshipResponse.newBuilder();
          for (String td : request.getTrustDomainsList()) {
            var result =
                BatchDeleteFederationRelationshipResponse.Result.newBuilder().setTrustDomain(td);
            if (td.isEmpty()) {
              result.setStatus(status(Status.Code.INVALID_ARGUMENT, "missing trust domain"));
            } else {
              try {
                String name = SpiffeIdRules.trustDomainName(td);
                result.setTrustDomain(name);
                result.setStatus(
                    store.delete(name)
                        ? OK
                        : status(Status.Code.NOT_FOUND, "federation relationship not found"));
              } catch (IllegalArgumentException e) {
                result.setStatus(
                    status(
                        Status.Code.INVALID_ARGUMENT,
                        "failed to parse trust domain: " + e.getMessage()));
              }
            }
            b.addResults(result);
          }
          return b.build();
        });
  }

  @Override
  public void refreshBundle(RefreshBundleRequest request, StreamObserver<Empty> response) {
    TestEntryService.answer(
        response,
        () -> {
          String td;
          try {
            td = SpiffeIdRules.trustDomainName(request.getTrustDomain());
          } catch (IllegalArgumentException e) {
            throw new ItemFailure(
                Status.Code.INVALID_ARGUMENT, "failed to parse trust domain: " + e.getMessage());
          }
          if (store.get(td) == null) {
            throw new ItemFailure(
                Status.Code.NOT_FOUND, "no relationship with trust domain \"" + td + "\"");
          }
          return Empty.getDefaultInstance();
        });
  }

  private static spire.api.types.Status status(Status.Code code, String message) {
    return spire.api.types.Status.newBuilder().setCode(code.value()).setMessage(message).build();
  }

  /** The output mask: the trust domain always, the rest as masked (everything without mask). */
  private static FederationRelationship masked(
      FederationRelationship r, FederationRelationshipMask mask) {
    if (mask == null) {
      return r;
    }
    var b = r.toBuilder();
    if (!mask.getBundleEndpointUrl()) {
      b.clearBundleEndpointUrl();
    }
    if (!mask.getBundleEndpointProfile()) {
      b.clearBundleEndpointProfile();
    }
    if (!mask.getTrustDomainBundle()) {
      b.clearTrustDomainBundle();
    }
    return b.build();
  }
}
