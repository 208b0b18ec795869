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
import spire.api.types.Entry;
import spire.api.types.EntryMask;
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

  private static int numberOf(Descriptor message, String fieldName) {
    FieldDescriptor field = message.findFieldByName(fieldName);
    assertThat(field).as("%s.%s", message.getFullName(), fieldName).isNotNull();
    return field.getNumber();
  }
}
