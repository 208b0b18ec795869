package org.spireoperator.spire.testserver;

import io.grpc.Status;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import spire.api.server.entry.v1.BatchCreateEntryRequest;
import spire.api.server.entry.v1.BatchCreateEntryResponse;
import spire.api.server.entry.v1.EntryGrpc;
import spire.api.types.Entry;
import spire.api.types.SPIFFEID;
import spire.api.types.Selector;

/** Small builders for API messages in the test server's own tests (trust domain example.org). */
final class ProtoFixtures {

  static final String TD = "example.org";

  private ProtoFixtures() {}

  static SPIFFEID id(String path) {
    return id(TD, path);
  }

  static SPIFFEID id(String trustDomain, String path) {
    return SPIFFEID.newBuilder().setTrustDomain(trustDomain).setPath(path).build();
  }

  /** {@code "unix:uid:1"} is type {@code unix}, value {@code uid:1}. */
  static Selector selector(String text) {
    int colon = text.indexOf(':');
    return Selector.newBuilder()
        .setType(text.substring(0, colon))
        .setValue(text.substring(colon + 1))
        .build();
  }

  static List<Selector> selectors(String... texts) {
    return Arrays.stream(texts).map(ProtoFixtures::selector).toList();
  }

  /** A valid entry: SPIFFE ID and parent paths in example.org, selectors as {@code type:value}. */
  static Entry entry(String path, String parentPath, String... selectors) {
    return Entry.newBuilder()
        .setSpiffeId(id(path))
        .setParentId(id(parentPath))
        .addAllSelectors(selectors(selectors))
        .build();
  }

  static Entry entry(
      String path, String parentPath, List<String> selectors, Consumer<Entry.Builder> more) {
    var b =
        Entry.newBuilder()
            .setSpiffeId(id(path))
            .setParentId(id(parentPath))
            .addAllSelectors(selectors.stream().map(ProtoFixtures::selector).toList());
    more.accept(b);
    return b.build();
  }

  static Status.Code code(spire.api.types.Status status) {
    return Status.fromCodeValue(status.getCode()).getCode();
  }

  /** Creates the entries, asserting nothing; returns the results. */
  static List<BatchCreateEntryResponse.Result> create(
      EntryGrpc.EntryBlockingStub stub, Entry... entries) {
    return stub.batchCreateEntry(
            BatchCreateEntryRequest.newBuilder().addAllEntries(List.of(entries)).build())
        .getResultsList();
  }

  /** Creates one entry that must succeed; returns it as stored. */
  static Entry created(EntryGrpc.EntryBlockingStub stub, Entry entry) {
    var result = create(stub, entry).get(0);
    if (code(result.getStatus()) != Status.Code.OK) {
      throw new AssertionError("create failed: " + result.getStatus());
    }
    return result.getEntry();
  }
}
