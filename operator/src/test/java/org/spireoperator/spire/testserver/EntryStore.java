package org.spireoperator.spire.testserver;

import io.grpc.Status;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import spire.api.types.Entry;
import spire.api.types.EntryMask;
import spire.api.types.Selector;

/**
 * The registration entries, kept as SPIRE's SQL datastore keeps them: row order, random UUIDs (or
 * the caller's custom ID), "similar" entries (same SPIFFE ID, parent and selector set) refused on
 * create, revision numbers from 0 counting updates, created_at in seconds. Datastore failures are
 * answered with the codes of the configured {@link ServerSemantics}. Thread-safe: one lock for
 * everything.
 */
final class EntryStore {

  /** The created entry, or the existing similar one. */
  record Created(Entry entry, boolean existing) {}

  private record SimilarityKey(String spiffeId, String parentId, Set<Selector> selectors) {
    static SimilarityKey of(Entry e) {
      return new SimilarityKey(
          EntryQuery.idString(e.getSpiffeId()),
          EntryQuery.idString(e.getParentId()),
          Set.copyOf(e.getSelectorsList()));
    }
  }

  private static final String MIXED_SELECTOR_TYPES =
      "invalid registration entry: selector types must be the same when store SVID is enabled";
  private static final Pattern ENTRY_ID = Pattern.compile("[-._0-9A-Za-z]*");

  private final ServerSemantics semantics;
  private final Predicate<String> hasBundle;
  private final Clock clock;
  private final RowTable<Entry> table = new RowTable<>();
  private final Map<String, Long> rowsById = new HashMap<>();
  private final Map<SimilarityKey, TreeSet<Long>> rowsBySimilarity = new HashMap<>();

  /**
   * @param hasBundle whether the datastore has a bundle for a trust domain name (federates_with
   *     must name one)
   */
  EntryStore(ServerSemantics semantics, Predicate<String> hasBundle, Clock clock) {
    this.semantics = semantics;
    this.hasBundle = hasBundle;
    this.clock = clock;
  }

  // ------------------------------------------------------------------ the API's operations

  synchronized Created create(Entry e) {
    String failure = "failed to create entry: ";
    validate(e, null, true, failure);
    TreeSet<Long> similar = rowsBySimilarity.get(SimilarityKey.of(e));
    if (similar != null && !similar.isEmpty()) {
      return new Created(table.get(similar.first()), true);
    }
    String id = e.getId().isEmpty() ? UUID.randomUUID().toString() : e.getId();
    if (rowsById.containsKey(id)) {
      throw constraint(failure, "registered_entries.entry_id");
    }
    requireBundles(e.getFederatesWithList(), failure);
    requireDistinct(e, failure);
    Entry stored =
        e.toBuilder()
            .setId(id)
            .setRevisionNumber(0)
            .setCreatedAt(clock.instant().getEpochSecond())
            .build();
    insert(stored);
    return new Created(stored, false);
  }

  /**
   * @param mask the input mask; null replaces every field
   */
  synchronized Entry update(Entry e, EntryMask mask) {
    String failure = "failed to update entry: ";
    validate(e, mask, false, failure);
    Long row = rowsById.get(e.getId());
    if (row == null) {
      throw new ItemFailure(
          semantics.unknownEntryOnUpdate(), failure + "datastore-sql: record not found");
    }
    Entry current = table.get(row);
    var b = current.toBuilder();
    boolean all = mask == null;
    if (all || mask.getStoreSvid()) {
      b.setStoreSvid(e.getStoreSvid());
    }
    if (all || mask.getSelectors()) {
      b.clearSelectors().addAllSelectors(e.getSelectorsList());
      if (b.getStoreSvid() && !sameSelectorType(b.getSelectorsList())) {
        throw invalid(failure, MIXED_SELECTOR_TYPES);
      }
    }
    if (all || mask.getDnsNames()) {
      b.clearDnsNames().addAllDnsNames(e.getDnsNamesList());
    }
    if (all || mask.getSpiffeId()) {
      b.setSpiffeId(e.getSpiffeId());
    }
    if (all || mask.getParentId()) {
      b.setParentId(e.getParentId());
    }
    if (all || mask.getX509SvidTtl()) {
      b.setX509SvidTtl(e.getX509SvidTtl());
    }
    if (all || mask.getAdmin()) {
      b.setAdmin(e.getAdmin());
    }
    if (all || mask.getDownstream()) {
      b.setDownstream(e.getDownstream());
    }
    if (all || mask.getExpiresAt()) {
      b.setExpiresAt(e.getExpiresAt());
    }
    if (all || mask.getJwtSvidTtl()) {
      b.setJwtSvidTtl(e.getJwtSvidTtl());
    }
    if (all || mask.getHint()) {
      b.setHint(e.getHint());
    }
    if (all || mask.getAdditionalAttributes()) {
      if (e.hasAdditionalAttributes()) {
        b.setAdditionalAttributes(e.getAdditionalAttributes());
      } else {
        b.clearAdditionalAttributes();
      }
    }
    b.setRevisionNumber(current.getRevisionNumber() + 1);
    requireDistinct(b.build(), failure);
    if (all || mask.getFederatesWith()) {
      requireBundles(e.getFederatesWithList(), failure);
      b.clearFederatesWith().addAllFederatesWith(e.getFederatesWithList());
    }
    Entry updated = b.build();
    replace(row, current, updated);
    return updated;
  }

  /** OK, NOT_FOUND, or INVALID_ARGUMENT for an empty ID. */
  synchronized ItemFailure delete(String id) {
    if (id.isEmpty()) {
      return new ItemFailure(Status.Code.INVALID_ARGUMENT, "missing entry ID");
    }
    if (!remove(id)) {
      return new ItemFailure(Status.Code.NOT_FOUND, "entry not found");
    }
    return null;
  }

  synchronized Optional<Entry> get(String id) {
    Long row = rowsById.get(id);
    return row == null ? Optional.empty() : Optional.of(table.get(row));
  }

  synchronized PagedScan.Page<Entry> list(EntryQuery q, int pageSize, String token) {
    return PagedScan.list(table, query(q), pageSize, token, "failed to list entries");
  }

  synchronized int count(EntryQuery q) {
    return PagedScan.count(table, query(q));
  }

  // ------------------------------------------------------------------ direct access for tests (no
  // validation)

  /**
   * Stores the entry as given (a new UUID if it has no ID), replacing one with the same ID in
   * place.
   */
  synchronized Entry put(Entry e) {
    Entry stored =
        e.getId().isEmpty() ? e.toBuilder().setId(UUID.randomUUID().toString()).build() : e;
    Long row = rowsById.get(stored.getId());
    if (row == null) {
      insert(stored);
    } else {
      replace(row, table.get(row), stored);
    }
    return stored;
  }

  synchronized boolean remove(String id) {
    Long row = rowsById.remove(id);
    if (row == null) {
      return false;
    }
    unindex(row, table.get(row));
    table.remove(row);
    return true;
  }

  synchronized List<Entry> all() {
    return table.values();
  }

  synchronized void clear() {
    table.clear();
    rowsById.clear();
    rowsBySimilarity.clear();
  }

  // ------------------------------------------------------------------ internals

  private static PagedScan.Query<Entry> query(EntryQuery q) {
    return new PagedScan.Query<>(q::preselects, q::keeps, q::postFilterKeeps);
  }

  /** The datastore's validateRegistrationEntry / validateRegistrationEntryForUpdate. */
  private void validate(Entry e, EntryMask mask, boolean create, String failure) {
    boolean all = mask == null;
    if (create && e.getStoreSvid() && e.getAdditionalAttributes().getDisableX509SvidPrefetch()) {
      throw invalid(failure, "specifying cache behaviour is incompatible with storable SVIDs");
    }
    if (create && e.getStoreSvid() && !sameSelectorType(e.getSelectorsList())) {
      throw invalid(failure, MIXED_SELECTOR_TYPES);
    }
    if (create && e.getId().length() > 255) {
      throw invalid(failure, "invalid registration entry: entry ID too long");
    }
    if (create && !ENTRY_ID.matcher(e.getId()).matches()) {
      throw invalid(failure, "invalid registration entry: entry ID contains invalid characters");
    }
    if ((all || mask.getX509SvidTtl()) && e.getX509SvidTtl() < 0) {
      throw invalid(failure, "invalid registration entry: X509SvidTtl is not set");
    }
    if ((all || mask.getJwtSvidTtl()) && e.getJwtSvidTtl() < 0) {
      throw invalid(failure, "invalid registration entry: JwtSvidTtl is not set");
    }
  }

  private void requireBundles(List<String> trustDomains, String failure) {
    for (String td : trustDomains) {
      if (!hasBundle.test(td)) {
        throw new ItemFailure(
            Status.Code.INTERNAL,
            failure + "unable to find federated bundle \"spiffe://" + td + "\"");
      }
    }
  }

  /** Unique indexes of the selectors and dns_names tables. */
  private void requireDistinct(Entry e, String failure) {
    if (new HashSet<>(e.getSelectorsList()).size() != e.getSelectorsCount()) {
      throw constraint(failure, "selectors.registered_entry_id, selectors.type, selectors.value");
    }
    if (new HashSet<>(e.getDnsNamesList()).size() != e.getDnsNamesCount()) {
      throw constraint(failure, "dns_names.registered_entry_id, dns_names.value");
    }
  }

  private static boolean sameSelectorType(List<Selector> selectors) {
    return selectors.stream().map(Selector::getType).distinct().count() <= 1;
  }

  private ItemFailure invalid(String failure, String message) {
    return new ItemFailure(
        semantics.invalidEntry(), failure + semantics.invalidEntrySource() + message);
  }

  private ItemFailure constraint(String failure, String columns) {
    return new ItemFailure(
        semantics.constraintViolation(),
        failure + "datastore-sql: UNIQUE constraint failed: " + columns);
  }

  private void insert(Entry e) {
    Row<Entry> row = table.insert(e);
    rowsById.put(e.getId(), row.id());
    rowsBySimilarity.computeIfAbsent(SimilarityKey.of(e), k -> new TreeSet<>()).add(row.id());
  }

  private void replace(long row, Entry old, Entry updated) {
    unindex(row, old);
    table.replace(row, updated);
    rowsById.put(updated.getId(), row);
    rowsBySimilarity.computeIfAbsent(SimilarityKey.of(updated), k -> new TreeSet<>()).add(row);
  }

  private void unindex(long row, Entry old) {
    rowsById.remove(old.getId());
    SimilarityKey key = SimilarityKey.of(old);
    TreeSet<Long> rows = rowsBySimilarity.get(key);
    if (rows != null) {
      rows.remove(row);
      if (rows.isEmpty()) {
        rowsBySimilarity.remove(key);
      }
    }
  }
}
