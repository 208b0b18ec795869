package org.spireoperator.spire;

import com.google.protobuf.BoolValue;
import io.grpc.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import spire.api.types.EntryMask;
import spire.api.types.FederatesWithMatch;
import spire.api.types.SelectorMatch;

/** The test server's state, with the real server's rules for entries. Thread-safe by monitor. */
final class TestEntryStore {

  /** A per-item outcome: a status and, when there is one, the entry. */
  record Outcome(Status.Code code, String message, spire.api.types.Entry entry) {
  }

  private final String trustDomain;
  private final Map<String, spire.api.types.Entry> entries = new LinkedHashMap<>();
  private final Map<String, Long> order = new LinkedHashMap<>();
  private final List<Agent> agents = new ArrayList<>();
  private final Set<String> federatedBundles = new TreeSet<>();
  private long sequence;

  TestEntryStore(String trustDomain) {
    this.trustDomain = trustDomain;
  }

  String trustDomain() {
    return trustDomain;
  }

  // ------------------------------------------------------------------ seeding (no validation)

  synchronized Entry put(Entry entry) {
    String id = entry.id() == null ? UUID.randomUUID().toString() : entry.id();
    var proto = ProtoMapping.toProto(entry.withId(id)).toBuilder()
        .setCreatedAt(entry.createdAt() == 0 ? Instant.now().getEpochSecond() : entry.createdAt()).build();
    store(proto);
    return ProtoMapping.fromProto(proto);
  }

  synchronized List<Entry> entries() {
    return entries.values().stream().map(ProtoMapping::fromProto).toList();
  }

  synchronized void remove(String id) {
    entries.remove(id);
    order.remove(id);
  }

  synchronized void addAgent(Agent agent) {
    agents.removeIf(a -> a.id().equals(agent.id()));
    agents.add(agent);
  }

  synchronized void removeAgent(SpiffeId id) {
    agents.removeIf(a -> a.id().equals(id));
  }

  synchronized List<Agent> agents() {
    return List.copyOf(agents);
  }

  synchronized void addFederatedBundle(String td) {
    federatedBundles.add(td);
  }

  synchronized List<String> federatedBundles() {
    return List.copyOf(federatedBundles);
  }

  private void store(spire.api.types.Entry proto) {
    if (!order.containsKey(proto.getId())) {
      order.put(proto.getId(), ++sequence);
    }
    entries.put(proto.getId(), proto);
  }

  // ------------------------------------------------------------------ API operations

  synchronized Outcome create(spire.api.types.Entry in) {
    String problem = problem(in);
    if (problem != null) {
      return new Outcome(Status.Code.INVALID_ARGUMENT, "failed to convert entry: " + problem, null);
    }
    Set<String> selectors = selectorSet(in);
    for (spire.api.types.Entry e : entries.values()) {
      if (e.getSpiffeId().equals(in.getSpiffeId()) && e.getParentId().equals(in.getParentId())
          && selectorSet(e).equals(selectors)) {
        return new Outcome(Status.Code.ALREADY_EXISTS, "similar entry already exists", e);
      }
    }
    if (in.getX509SvidTtl() < 0 || in.getJwtSvidTtl() < 0) {
      return new Outcome(Status.Code.INTERNAL, "failed to create entry: invalid registration entry: TTL is negative",
          null);
    }
    for (String td : in.getFederatesWithList()) {
      if (!federatedBundles.contains(td)) {
        return new Outcome(Status.Code.INTERNAL, "failed to create entry: unable to find federated bundle \""
            + td + "\"", null);
      }
    }
    String id = in.getId().isEmpty() ? UUID.randomUUID().toString() : in.getId();
    if (entries.containsKey(id)) {
      return new Outcome(Status.Code.ALREADY_EXISTS, "entry with this ID already exists", entries.get(id));
    }
    var stored = in.toBuilder().setId(id).setRevisionNumber(0).setCreatedAt(Instant.now().getEpochSecond()).build();
    store(stored);
    return new Outcome(Status.Code.OK, "OK", stored);
  }

  synchronized Outcome update(spire.api.types.Entry in, EntryMask mask, boolean hasMask) {
    spire.api.types.Entry old = entries.get(in.getId());
    if (old == null) {
      return new Outcome(Status.Code.NOT_FOUND, "entry not found", null);
    }
    var b = old.toBuilder();
    if (!hasMask || mask.getSpiffeId()) {
      b.setSpiffeId(in.getSpiffeId());
    }
    if (!hasMask || mask.getParentId()) {
      b.setParentId(in.getParentId());
    }
    if (!hasMask || mask.getSelectors()) {
      b.clearSelectors().addAllSelectors(in.getSelectorsList());
    }
    if (!hasMask || mask.getX509SvidTtl()) {
      b.setX509SvidTtl(in.getX509SvidTtl());
    }
    if (!hasMask || mask.getJwtSvidTtl()) {
      b.setJwtSvidTtl(in.getJwtSvidTtl());
    }
    if (!hasMask || mask.getFederatesWith()) {
      b.clearFederatesWith().addAllFederatesWith(in.getFederatesWithList());
    }
    if (!hasMask || mask.getAdmin()) {
      b.setAdmin(in.getAdmin());
    }
    if (!hasMask || mask.getDownstream()) {
      b.setDownstream(in.getDownstream());
    }
    if (!hasMask || mask.getExpiresAt()) {
      b.setExpiresAt(in.getExpiresAt());
    }
    if (!hasMask || mask.getDnsNames()) {
      b.clearDnsNames().addAllDnsNames(in.getDnsNamesList());
    }
    if (!hasMask || mask.getStoreSvid()) {
      b.setStoreSvid(in.getStoreSvid());
    }
    if (!hasMask || mask.getHint()) {
      b.setHint(in.getHint());
    }
    var next = b.setRevisionNumber(old.getRevisionNumber() + 1).build();
    String problem = problem(next);
    if (problem != null) {
      return new Outcome(Status.Code.INVALID_ARGUMENT, "failed to convert entry: " + problem, null);
    }
    for (String td : next.getFederatesWithList()) {
      if (!federatedBundles.contains(td)) {
        return new Outcome(Status.Code.INTERNAL, "failed to update entry: unable to find federated bundle \""
            + td + "\"", null);
      }
    }
    store(next);
    return new Outcome(Status.Code.OK, "OK", next);
  }

  synchronized Outcome delete(String id) {
    if (entries.remove(id) == null) {
      return new Outcome(Status.Code.NOT_FOUND, "entry not found", null);
    }
    order.remove(id);
    return new Outcome(Status.Code.OK, "OK", null);
  }

  synchronized Optional<spire.api.types.Entry> get(String id) {
    return Optional.ofNullable(entries.get(id));
  }

  /** Entries matching, in creation order, after the given position (0: from the start); returns at most limit. */
  synchronized List<spire.api.types.Entry> list(Predicate<spire.api.types.Entry> filter, long after, int limit) {
    List<spire.api.types.Entry> out = new ArrayList<>();
    for (var e : entries.values()) {
      if (order.get(e.getId()) > after && filter.test(e)) {
        out.add(e);
        if (limit > 0 && out.size() == limit) {
          break;
        }
      }
    }
    return out;
  }

  synchronized long positionOf(String id) {
    return order.getOrDefault(id, 0L);
  }

  synchronized int count(Predicate<spire.api.types.Entry> filter) {
    return (int) entries.values().stream().filter(filter).count();
  }

  // ------------------------------------------------------------------ validation as the real server

  private String problem(spire.api.types.Entry e) {
    SpiffeId id;
    try {
      id = new SpiffeId(e.getSpiffeId().getTrustDomain(), e.getSpiffeId().getPath());
      new SpiffeId(e.getParentId().getTrustDomain(), e.getParentId().getPath());
    } catch (InvalidSpiffeIdException ex) {
      return ex.getMessage();
    }
    if (!id.trustDomain().equals(trustDomain)) {
      return "invalid spiffe ID: \"" + id + "\" is not a member of trust domain \"" + trustDomain + "\"";
    }
    if (id.path().isEmpty()) {
      return "invalid spiffe ID: path is empty";
    }
    if (id.path().equals("/spire") || id.path().startsWith("/spire/")) {
      return "invalid spiffe ID: \"" + id + "\" is reserved";
    }
    if (e.getSelectorsCount() == 0) {
      return "selector list is empty";
    }
    for (var s : e.getSelectorsList()) {
      if (s.getType().isEmpty()) {
        return "invalid selector: missing selector type";
      }
      if (s.getType().contains(":")) {
        return "invalid selector: selector type contains ':'";
      }
      if (s.getValue().isEmpty()) {
        return "invalid selector: missing selector value";
      }
    }
    for (String dns : e.getDnsNamesList()) {
      if (dns.isEmpty() || dns.length() > 255 || dns.contains(" ") || dns.startsWith(".") || dns.endsWith(".")) {
        return "invalid DNS name \"" + dns + "\"";
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ filters as the real server

  static Set<String> selectorSet(spire.api.types.Entry e) {
    Set<String> out = new HashSet<>();
    e.getSelectorsList().forEach(s -> out.add(s.getType() + ":" + s.getValue()));
    return out;
  }

  static boolean matches(Set<String> have, Set<String> want, int behaviour) {
    return switch (behaviour) {
      case 0 -> have.equals(want);
      case 1 -> want.containsAll(have);
      case 2 -> have.containsAll(want);
      case 3 -> have.stream().anyMatch(want::contains);
      default -> false;
    };
  }

  static Predicate<spire.api.types.Entry> filter(spire.api.server.entry.v1.ListEntriesRequest.Filter f) {
    Predicate<spire.api.types.Entry> p = e -> true;
    if (f.hasBySpiffeId()) {
      p = p.and(e -> e.getSpiffeId().equals(f.getBySpiffeId()));
    }
    if (f.hasByParentId()) {
      p = p.and(e -> e.getParentId().equals(f.getByParentId()));
    }
    if (f.hasBySelectors()) {
      SelectorMatch m = f.getBySelectors();
      Set<String> want = new HashSet<>();
      m.getSelectorsList().forEach(s -> want.add(s.getType() + ":" + s.getValue()));
      p = p.and(e -> matches(selectorSet(e), want, m.getMatchValue()));
    }
    if (f.hasByFederatesWith()) {
      FederatesWithMatch m = f.getByFederatesWith();
      Set<String> want = new HashSet<>(m.getTrustDomainsList());
      p = p.and(e -> matches(new HashSet<>(e.getFederatesWithList()), want, m.getMatchValue()));
    }
    if (f.hasByHint()) {
      p = p.and(e -> e.getHint().equals(f.getByHint().getValue()));
    }
    if (f.hasByDownstream()) {
      BoolValue d = f.getByDownstream();
      p = p.and(e -> e.getDownstream() == d.getValue());
    }
    return p;
  }

  /** Applies an output mask: the ID always, other fields only when masked. */
  static spire.api.types.Entry mask(spire.api.types.Entry e, EntryMask m, boolean hasMask) {
    if (!hasMask) {
      return e;
    }
    var b = spire.api.types.Entry.newBuilder().setId(e.getId());
    if (m.getSpiffeId()) {
      b.setSpiffeId(e.getSpiffeId());
    }
    if (m.getParentId()) {
      b.setParentId(e.getParentId());
    }
    if (m.getSelectors()) {
      b.addAllSelectors(e.getSelectorsList());
    }
    if (m.getX509SvidTtl()) {
      b.setX509SvidTtl(e.getX509SvidTtl());
    }
    if (m.getJwtSvidTtl()) {
      b.setJwtSvidTtl(e.getJwtSvidTtl());
    }
    if (m.getFederatesWith()) {
      b.addAllFederatesWith(e.getFederatesWithList());
    }
    if (m.getAdmin()) {
      b.setAdmin(e.getAdmin());
    }
    if (m.getDownstream()) {
      b.setDownstream(e.getDownstream());
    }
    if (m.getExpiresAt()) {
      b.setExpiresAt(e.getExpiresAt());
    }
    if (m.getDnsNames()) {
      b.addAllDnsNames(e.getDnsNamesList());
    }
    if (m.getRevisionNumber()) {
      b.setRevisionNumber(e.getRevisionNumber());
    }
    if (m.getStoreSvid()) {
      b.setStoreSvid(e.getStoreSvid());
    }
    if (m.getHint()) {
      b.setHint(e.getHint());
    }
    if (m.getCreatedAt()) {
      b.setCreatedAt(e.getCreatedAt());
    }
    return b.build();
  }
}
