package org.spireoperator.spire.testserver;

import io.grpc.Status;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import spire.api.types.FederationRelationship;
import spire.api.types.FederationRelationshipMask;

/**
 * The federated trust domains table: one relationship per trust domain, in creation (row) order.
 * Relationships are stored without bundle: a relationship's bundle is the trust domain's row in the
 * {@link BundleStore} (written with the relationship when one is given, kept when it is deleted),
 * as in SPIRE's SQL datastore. Thread-safe.
 */
final class FederationStore {

  private final RowTable<FederationRelationship> table = new RowTable<>();
  private final Map<String, Long> rowsByTrustDomain = new HashMap<>();
  private final BundleStore bundles;

  FederationStore(BundleStore bundles) {
    this.bundles = bundles;
  }

  /** Creates; a trust domain that has a relationship fails as the datastore's unique index does. */
  synchronized FederationRelationship create(FederationRelationship relationship) {
    String td = relationship.getTrustDomain();
    if (rowsByTrustDomain.containsKey(td)) {
      throw new ItemFailure(
          Status.Code.INTERNAL,
          "failed to create federation relationship: datastore-sql: UNIQUE constraint failed: "
              + "federated_trust_domains.trust_domain");
    }
    if (relationship.hasTrustDomainBundle()) {
      bundles.set(relationship.getTrustDomainBundle());
    }
    rowsByTrustDomain.put(
        td, table.insert(relationship.toBuilder().clearTrustDomainBundle().build()).id());
    return relationship;
  }

  /** Updates the masked fields; the stored relationship with its current bundle is answered. */
  synchronized FederationRelationship update(
      FederationRelationship relationship, FederationRelationshipMask mask) {
    Long row = rowsByTrustDomain.get(relationship.getTrustDomain());
    if (row == null) {
      throw new ItemFailure(
          Status.Code.INTERNAL,
          "failed to update federation relationship: unable to fetch federation relationship: "
              + "record not found");
    }
    var b = table.get(row).toBuilder();
    if (mask.getBundleEndpointUrl()) {
      b.setBundleEndpointUrl(relationship.getBundleEndpointUrl());
    }
    if (mask.getBundleEndpointProfile()) {
      if (relationship.hasHttpsSpiffe()) {
        b.setHttpsSpiffe(relationship.getHttpsSpiffe());
      } else {
        b.setHttpsWeb(relationship.getHttpsWeb());
      }
    }
    if (mask.getTrustDomainBundle() && relationship.hasTrustDomainBundle()) {
      bundles.set(relationship.getTrustDomainBundle());
    }
    table.replace(row, b.build());
    return withBundle(b.build());
  }

  synchronized boolean delete(String trustDomain) {
    Long row = rowsByTrustDomain.remove(trustDomain);
    if (row == null) {
      return false;
    }
    table.remove(row);
    return true;
  }

  synchronized FederationRelationship get(String trustDomain) {
    Long row = rowsByTrustDomain.get(trustDomain);
    return row == null ? null : withBundle(table.get(row));
  }

  synchronized PagedScan.Page<FederationRelationship> list(int pageSize, String token) {
    PagedScan.Page<FederationRelationship> page =
        PagedScan.once(
            table,
            PagedScan.Query.of(r -> true),
            pageSize,
            token,
            "failed to list federation relationships");
    return new PagedScan.Page<>(
        page.items().stream().map(this::withBundle).toList(), page.nextToken());
  }

  /** Stores a relationship as given, without any check (for relationships made elsewhere). */
  synchronized void put(FederationRelationship relationship) {
    delete(relationship.getTrustDomain());
    create(relationship);
  }

  synchronized List<FederationRelationship> all() {
    return table.values().stream().map(this::withBundle).toList();
  }

  synchronized void clear() {
    table.clear();
    rowsByTrustDomain.clear();
  }

  private FederationRelationship withBundle(FederationRelationship stored) {
    var bundle = bundles.get(stored.getTrustDomain());
    return bundle == null ? stored : stored.toBuilder().setTrustDomainBundle(bundle).build();
  }
}
