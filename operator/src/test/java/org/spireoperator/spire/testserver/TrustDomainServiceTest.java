package org.spireoperator.spire.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import spire.api.server.trustdomain.v1.BatchCreateFederationRelationshipRequest;
import spire.api.server.trustdomain.v1.BatchDeleteFederationRelationshipRequest;
import spire.api.server.trustdomain.v1.BatchUpdateFederationRelationshipRequest;
import spire.api.server.trustdomain.v1.GetFederationRelationshipRequest;
import spire.api.server.trustdomain.v1.ListFederationRelationshipsRequest;
import spire.api.server.trustdomain.v1.TrustDomainGrpc;
import spire.api.types.Bundle;
import spire.api.types.FederationRelationship;
import spire.api.types.FederationRelationshipMask;
import spire.api.types.HTTPSSPIFFEProfile;
import spire.api.types.HTTPSWebProfile;

/**
 * The TrustDomain service's raw answers (paging tokens, masks, messages) as spire-server 1.10.4's
 * code gives them; the SpireClient contract checks the rest against the real server too.
 */
class TrustDomainServiceTest {

  private final SpireTestServer spire = SpireTestServer.start("example.org");
  private final TrustDomainGrpc.TrustDomainBlockingStub api =
      TrustDomainGrpc.newBlockingStub(spire.channel());

  @AfterEach
  void close() {
    spire.close();
  }

  private static FederationRelationship web(String td) {
    return FederationRelationship.newBuilder()
        .setTrustDomain(td)
        .setBundleEndpointUrl("https://" + td + "/bundle")
        .setHttpsWeb(HTTPSWebProfile.getDefaultInstance())
        .build();
  }

  private spire.api.types.Status create(FederationRelationship r) {
    return api.batchCreateFederationRelationship(
            BatchCreateFederationRelationshipRequest.newBuilder()
                .addFederationRelationships(r)
                .build())
        .getResults(0)
        .getStatus();
  }

  @Test
  void everyPageWithRelationshipsCarriesATokenAndTheLastEmptyPageNone() {
    for (String td : List.of("a.org", "b.org", "c.org")) {
      create(web(td));
    }
    List<String> pages = new ArrayList<>();
    String token = "";
    do {
      var page =
          api.listFederationRelationships(
              ListFederationRelationshipsRequest.newBuilder()
                  .setPageSize(2)
                  .setPageToken(token)
                  .build());
      token = page.getNextPageToken();
      pages.add(
          page.getFederationRelationshipsCount()
              + (token.isEmpty() ? " without token" : " with token"));
    } while (!token.isEmpty());

    assertThat(pages).containsExactly("2 with token", "1 with token", "0 without token");
  }

  @Test
  void anOutputMaskKeepsTheTrustDomainAndTheMaskedFields() {
    create(web("a.org"));

    var page =
        api.listFederationRelationships(
            ListFederationRelationshipsRequest.newBuilder()
                .setOutputMask(FederationRelationshipMask.newBuilder().setBundleEndpointUrl(true))
                .build());

    assertThat(page.getFederationRelationshipsList())
        .containsExactly(
            FederationRelationship.newBuilder()
                .setTrustDomain("a.org")
                .setBundleEndpointUrl("https://a.org/bundle")
                .build());
  }

  @Test
  void aRelationshipIsFoundByItsTrustDomainWrittenAsASpiffeId() {
    create(web("a.org"));

    assertThat(
            api.getFederationRelationship(
                GetFederationRelationshipRequest.newBuilder()
                    .setTrustDomain("spiffe://a.org")
                    .build()))
        .isEqualTo(web("a.org"));
  }

  @Test
  void anUnknownRelationshipIsNotFound() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                api.getFederationRelationship(
                    GetFederationRelationshipRequest.newBuilder().setTrustDomain("a.org").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void theUrlSchemeIsStoredInLowerCase() {
    create(web("a.org").toBuilder().setBundleEndpointUrl("HTTPS://a.org/bundle").build());

    assertThat(spire.federationRelationships().get(0).bundleEndpointUrl())
        .isEqualTo("https://a.org/bundle");
  }

  @Test
  void anUpdateWithoutInputMaskChangesEveryField() {
    create(web("a.org"));

    var result =
        api.batchUpdateFederationRelationship(
                BatchUpdateFederationRelationshipRequest.newBuilder()
                    .addFederationRelationships(
                        web("a.org").toBuilder()
                            .setBundleEndpointUrl("https://other.org/b")
                            .setHttpsSpiffe(
                                HTTPSSPIFFEProfile.newBuilder()
                                    .setEndpointSpiffeId("spiffe://a.org/server")))
                    .build())
            .getResults(0);

    assertThat(result.getStatus().getCode()).isZero();
    assertThat(result.getFederationRelationship().getHttpsSpiffe().getEndpointSpiffeId())
        .isEqualTo("spiffe://a.org/server");
  }

  @Test
  void deleteAnswersEachTrustDomainInOrder() {
    create(web("a.org"));

    var results =
        api.batchDeleteFederationRelationship(
                BatchDeleteFederationRelationshipRequest.newBuilder()
                    .addTrustDomains("")
                    .addTrustDomains("spiffe://a.org")
                    .addTrustDomains("b.org")
                    .addTrustDomains("B.org")
                    .build())
            .getResultsList();

    assertThat(results)
        .extracting(
            r -> r.getTrustDomain() + " " + Status.fromCodeValue(r.getStatus().getCode()).getCode())
        .containsExactly(
            " INVALID_ARGUMENT", "a.org OK", "b.org NOT_FOUND", "B.org INVALID_ARGUMENT");
  }

  @Test
  void aDeletedRelationshipLeavesItsBundle() {
    create(
        web("a.org").toBuilder()
            .setTrustDomainBundle(Bundle.newBuilder().setTrustDomain("a.org"))
            .build());

    api.batchDeleteFederationRelationship(
        BatchDeleteFederationRelationshipRequest.newBuilder().addTrustDomains("a.org").build());

    assertThat(spire.federatedTrustDomains()).containsExactly("a.org");
  }
}
