package org.spireoperator.apistubs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import org.junit.jupiter.api.Test;
import spire.api.server.agent.v1.ListAgentsRequest;
import spire.api.server.bundle.v1.ListFederatedBundlesRequest;
import spire.api.server.entry.v1.BatchUpdateEntryRequest;
import spire.api.server.entry.v1.EntryGrpc;
import spire.api.server.entry.v1.EntryServiceProto;
import spire.api.server.entry.v1.ListEntriesRequest;
import spire.api.server.trustdomain.v1.BatchCreateFederationRelationshipRequest;
import spire.api.server.trustdomain.v1.BatchCreateFederationRelationshipResponse;
import spire.api.server.trustdomain.v1.BatchDeleteFederationRelationshipRequest;
import spire.api.server.trustdomain.v1.BatchDeleteFederationRelationshipResponse;
import spire.api.server.trustdomain.v1.BatchUpdateFederationRelationshipRequest;
import spire.api.server.trustdomain.v1.BatchUpdateFederationRelationshipResponse;
import spire.api.server.trustdomain.v1.GetFederationRelationshipRequest;
import spire.api.server.trustdomain.v1.ListFederationRelationshipsRequest;
import spire.api.server.trustdomain.v1.ListFederationRelationshipsResponse;
import spire.api.server.trustdomain.v1.TrustDomainGrpc;
import spire.api.server.trustdomain.v1.TrustDomainServiceProto;
import spire.api.types.Entry;
import spire.api.types.EntryMask;
import spire.api.types.FederationRelationship;
import spire.api.types.FederationRelationshipMask;
import spire.api.types.HTTPSSPIFFEProfile;
import spire.api.types.SelectorMatch;

/**
 * Pins the parts of the SPIRE server API v1 wire contract the operator relies on, so that a
 * renumbered or renamed field in our own protos fails the build instead of silently talking garbage
 * to a real server.
 */
class WireContractTest {

  @Test
  void entryFieldsKeepTheirUpstreamNumbers() {
    Descriptor entry = Entry.getDescriptor();

    assertThat(entry.getFullName()).isEqualTo("spire.api.types.Entry");
    assertThat(numberOf(entry, "id")).isEqualTo(1);
    assertThat(numberOf(entry, "spiffe_id")).isEqualTo(2);
    assertThat(numberOf(entry, "parent_id")).isEqualTo(3);
    assertThat(numberOf(entry, "selectors")).isEqualTo(4);
    assertThat(numberOf(entry, "x509_svid_ttl")).isEqualTo(5);
    assertThat(numberOf(entry, "federates_with")).isEqualTo(6);
    assertThat(numberOf(entry, "admin")).isEqualTo(7);
    assertThat(numberOf(entry, "downstream")).isEqualTo(8);
    assertThat(numberOf(entry, "expires_at")).isEqualTo(9);
    assertThat(numberOf(entry, "dns_names")).isEqualTo(10);
    assertThat(numberOf(entry, "revision_number")).isEqualTo(11);
    assertThat(numberOf(entry, "store_svid")).isEqualTo(12);
    assertThat(numberOf(entry, "jwt_svid_ttl")).isEqualTo(13);
    assertThat(numberOf(entry, "hint")).isEqualTo(14);
    assertThat(numberOf(entry, "created_at")).isEqualTo(15);
    assertThat(numberOf(entry, "additional_attributes")).isEqualTo(16);
  }

  @Test
  void entryMaskBitsShareTheEntryFieldNumbers() {
    Descriptor mask = EntryMask.getDescriptor();

    assertThat(numberOf(mask, "hint")).isEqualTo(14);
    assertThat(numberOf(mask, "created_at")).isEqualTo(15);
    assertThat(numberOf(mask, "jwt_svid_ttl")).isEqualTo(13);
  }

  @Test
  void listRequestsKeepPagingAndMaskNumbers() {
    Descriptor listEntries = ListEntriesRequest.getDescriptor();
    assertThat(numberOf(listEntries, "filter")).isEqualTo(1);
    assertThat(numberOf(listEntries, "output_mask")).isEqualTo(2);
    assertThat(numberOf(listEntries, "page_size")).isEqualTo(3);
    assertThat(numberOf(listEntries, "page_token")).isEqualTo(4);
    assertThat(numberOf(ListEntriesRequest.Filter.getDescriptor(), "by_hint")).isEqualTo(5);

    assertThat(numberOf(BatchUpdateEntryRequest.getDescriptor(), "input_mask")).isEqualTo(2);
    assertThat(numberOf(ListAgentsRequest.Filter.getDescriptor(), "by_can_reattest")).isEqualTo(4);
    assertThat(numberOf(ListFederatedBundlesRequest.getDescriptor(), "page_token")).isEqualTo(3);
  }

  @Test
  void selectorMatchBehavioursKeepTheirUpstreamValues() {
    assertThat(SelectorMatch.MatchBehavior.MATCH_EXACT.getNumber()).isZero();
    assertThat(SelectorMatch.MatchBehavior.MATCH_SUBSET.getNumber()).isEqualTo(1);
    assertThat(SelectorMatch.MatchBehavior.MATCH_SUPERSET.getNumber()).isEqualTo(2);
    assertThat(SelectorMatch.MatchBehavior.MATCH_ANY.getNumber()).isEqualTo(3);
  }

  @Test
  void entryServiceIsAddressedByItsUpstreamGrpcName() {
    ServiceDescriptor service = EntryServiceProto.getDescriptor().findServiceByName("Entry");

    assertThat(EntryGrpc.SERVICE_NAME).isEqualTo("spire.api.server.entry.v1.Entry");
    assertThat(EntryGrpc.getListEntriesMethod().getFullMethodName())
        .isEqualTo("spire.api.server.entry.v1.Entry/ListEntries");
    assertThat(service).isNotNull();
    assertThat(service.getMethods())
        .extracting(MethodDescriptor::getName)
        .contains(
            "CountEntries",
            "ListEntries",
            "GetEntry",
            "BatchCreateEntry",
            "BatchUpdateEntry",
            "BatchDeleteEntry",
            "GetAuthorizedEntries",
            "SyncAuthorizedEntries");
  }

  @Test
  void federationRelationshipFieldsKeepTheirUpstreamNumbers() {
    Descriptor relationship = FederationRelationship.getDescriptor();

    assertThat(relationship.getFullName()).isEqualTo("spire.api.types.FederationRelationship");
    assertThat(numberOf(relationship, "trust_domain")).isEqualTo(1);
    assertThat(numberOf(relationship, "bundle_endpoint_url")).isEqualTo(2);
    assertThat(numberOf(relationship, "https_web")).isEqualTo(3);
    assertThat(numberOf(relationship, "https_spiffe")).isEqualTo(4);
    assertThat(numberOf(relationship, "trust_domain_bundle")).isEqualTo(5);
    assertThat(relationship.findFieldByName("https_web").getContainingOneof().getName())
        .isEqualTo("bundle_endpoint_profile");
    assertThat(relationship.findFieldByName("https_spiffe").getContainingOneof().getName())
        .isEqualTo("bundle_endpoint_profile");
    assertThat(numberOf(HTTPSSPIFFEProfile.getDescriptor(), "endpoint_spiffe_id")).isEqualTo(1);
    assertThat(relationship.findFieldByName("https_web").getMessageType().getFullName())
        .isEqualTo("spire.api.types.HTTPSWebProfile");
  }

  @Test
  void federationRelationshipMaskBitsKeepTheirUpstreamNumbers() {
    Descriptor mask = FederationRelationshipMask.getDescriptor();

    assertThat(numberOf(mask, "bundle_endpoint_url")).isEqualTo(1);
    assertThat(numberOf(mask, "bundle_endpoint_profile")).isEqualTo(2);
    assertThat(numberOf(mask, "trust_domain_bundle")).isEqualTo(3);
  }

  @Test
  void trustDomainRequestsAndResultsKeepTheirUpstreamNumbers() {
    assertThat(numberOf(ListFederationRelationshipsRequest.getDescriptor(), "output_mask"))
        .isEqualTo(1);
    assertThat(numberOf(ListFederationRelationshipsRequest.getDescriptor(), "page_size"))
        .isEqualTo(2);
    assertThat(numberOf(ListFederationRelationshipsRequest.getDescriptor(), "page_token"))
        .isEqualTo(3);
    assertThat(
            numberOf(
                ListFederationRelationshipsResponse.getDescriptor(), "federation_relationships"))
        .isEqualTo(1);
    assertThat(numberOf(ListFederationRelationshipsResponse.getDescriptor(), "next_page_token"))
        .isEqualTo(2);
    assertThat(numberOf(GetFederationRelationshipRequest.getDescriptor(), "trust_domain"))
        .isEqualTo(1);
    assertThat(numberOf(GetFederationRelationshipRequest.getDescriptor(), "output_mask"))
        .isEqualTo(2);
    assertThat(
            numberOf(
                BatchCreateFederationRelationshipRequest.getDescriptor(),
                "federation_relationships"))
        .isEqualTo(1);
    assertThat(numberOf(BatchCreateFederationRelationshipRequest.getDescriptor(), "output_mask"))
        .isEqualTo(2);
    assertThat(numberOf(BatchCreateFederationRelationshipResponse.Result.getDescriptor(), "status"))
        .isEqualTo(1);
    assertThat(
            numberOf(
                BatchCreateFederationRelationshipResponse.Result.getDescriptor(),
                "federation_relationship"))
        .isEqualTo(2);
    assertThat(numberOf(BatchUpdateFederationRelationshipRequest.getDescriptor(), "input_mask"))
        .isEqualTo(2);
    assertThat(numberOf(BatchUpdateFederationRelationshipRequest.getDescriptor(), "output_mask"))
        .isEqualTo(3);
    assertThat(
            numberOf(
                BatchUpdateFederationRelationshipResponse.Result.getDescriptor(),
                "federation_relationship"))
        .isEqualTo(2);
    assertThat(numberOf(BatchDeleteFederationRelationshipRequest.getDescriptor(), "trust_domains"))
        .isEqualTo(1);
    assertThat(numberOf(BatchDeleteFederationRelationshipResponse.Result.getDescriptor(), "status"))
        .isEqualTo(1);
    assertThat(
            numberOf(
                BatchDeleteFederationRelationshipResponse.Result.getDescriptor(), "trust_domain"))
        .isEqualTo(2);
  }

  @Test
  void trustDomainServiceIsAddressedByItsUpstreamGrpcName() {
    ServiceDescriptor service =
        TrustDomainServiceProto.getDescriptor().findServiceByName("TrustDomain");

    assertThat(TrustDomainGrpc.SERVICE_NAME)
        .isEqualTo("spire.api.server.trustdomain.v1.TrustDomain");
    assertThat(TrustDomainGrpc.getBatchCreateFederationRelationshipMethod().getFullMethodName())
        .isEqualTo("spire.api.server.trustdomain.v1.TrustDomain/BatchCreateFederationRelationship");
    assertThat(service.getMethods())
        .extracting(MethodDescriptor::getName)
        .containsExactly(
            "ListFederationRelationships",
            "GetFederationRelationship",
            "BatchCreateFederationRelationship",
            "BatchUpdateFederationRelationship",
            "BatchDeleteFederationRelationship",
            "RefreshBundle");
  }

  private static int numberOf(Descriptor message, String fieldName) {
    FieldDescriptor field = message.findFieldByName(fieldName);
    assertThat(field).as("%s.%s", message.getFullName(), fieldName).isNotNull();
    return field.getNumber();
  }
}
