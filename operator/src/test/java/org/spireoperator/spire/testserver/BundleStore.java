package org.spireoperator.spire.testserver;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import spire.api.types.Bundle;

/**
 * The bundles table: the server's own bundle in the first row, then federated bundles added by
 * tests (no key material: the test server signs nothing). Thread-safe.
 */
final class BundleStore {

  private final String ownTrustDomain;
  private final RowTable<Bundle> table = new RowTable<>();
  private final Map<String, Long> rowsByTrustDomain = new HashMap<>();

  BundleStore(String ownTrustDomain) {
    this.ownTrustDomain = ownTrustDomain;
    add(ownTrustDomain);
  }

  synchronized Bundle own() {
    return table.get(rowsByTrustDomain.get(ownTrustDomain));
  }

  /** Adds a bundle for the trust domain (no-op if it has one). */
  synchronized void add(String trustDomain) {
    if (!rowsByTrustDomain.containsKey(trustDomain)) {
      Bundle bundle = Bundle.newBuilder().setTrustDomain(trustDomain).setSequenceNumber(1).build();
      rowsByTrustDomain.put(trustDomain, table.insert(bundle).id());
    }
  }

  /**
   * Stores {@code bundle} as its trust domain's bundle (replacing one, keeping its row), as the
   * datastore's SetBundle does.
   */
  synchronized void set(Bundle bundle) {
    Long row = rowsByTrustDomain.get(bundle.getTrustDomain());
    if (row == null) {
      rowsByTrustDomain.put(bundle.getTrustDomain(), table.insert(bundle).id());
    } else {
      table.replace(row, bundle);
    }
  }

  /** The stored bundle of a trust domain, or null. */
  synchronized Bundle get(String trustDomain) {
    Long row = rowsByTrustDomain.get(trustDomain);
    return row == null ? null : table.get(row);
  }

  synchronized boolean remove(String trustDomain) {
    if (trustDomain.equals(ownTrustDomain)) {
      throw new IllegalArgumentException("the server's own bundle cannot be removed");
    }
    Long row = rowsByTrustDomain.remove(trustDomain);
    if (row == null) {
      return false;
    }
    table.remove(row);
    return true;
  }

  /** Any bundle, the server's own included: what {@code federates_with} may name. */
  synchronized boolean has(String trustDomain) {
    return rowsByTrustDomain.containsKey(trustDomain);
  }

  synchronized List<String> federated() {
    return table.values().stream()
        .map(Bundle::getTrustDomain)
        .filter(td -> !td.equals(ownTrustDomain))
        .toList();
  }

  /**
   * A page of ListFederatedBundles: the datastore pages over all bundles (the server's own
   * included) and the API then leaves out the server's own, so a page may be empty and still carry
   * a token.
   */
  synchronized PagedScan.Page<Bundle> listFederated(int pageSize, String token) {
    PagedScan.Page<Bundle> page =
        PagedScan.once(
            table, PagedScan.Query.of(b -> true), pageSize, token, "failed to list bundles");
    return new PagedScan.Page<>(
        page.items().stream().filter(b -> !b.getTrustDomain().equals(ownTrustDomain)).toList(),
        page.nextToken());
  }

  synchronized int count() {
    return table.size();
  }
}
