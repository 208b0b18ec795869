package org.spireoperator.spire;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import spire.api.server.agent.v1.AgentGrpc;
import spire.api.server.agent.v1.GetAgentRequest;
import spire.api.server.agent.v1.ListAgentsRequest;
import spire.api.server.agent.v1.ListAgentsResponse;
import spire.api.server.bundle.v1.BundleGrpc;
import spire.api.server.bundle.v1.GetBundleRequest;
import spire.api.server.bundle.v1.ListFederatedBundlesRequest;
import spire.api.server.bundle.v1.ListFederatedBundlesResponse;
import spire.api.server.entry.v1.BatchCreateEntryRequest;
import spire.api.server.entry.v1.BatchDeleteEntryRequest;
import spire.api.server.entry.v1.BatchUpdateEntryRequest;
import spire.api.server.entry.v1.CountEntriesRequest;
import spire.api.server.entry.v1.EntryGrpc;
import spire.api.server.entry.v1.GetAuthorizedEntriesRequest;
import spire.api.server.entry.v1.GetEntryRequest;
import spire.api.server.entry.v1.ListEntriesRequest;
import spire.api.server.entry.v1.ListEntriesResponse;
import spire.api.server.trustdomain.v1.BatchCreateFederationRelationshipRequest;
import spire.api.server.trustdomain.v1.BatchDeleteFederationRelationshipRequest;
import spire.api.server.trustdomain.v1.BatchUpdateFederationRelationshipRequest;
import spire.api.server.trustdomain.v1.GetFederationRelationshipRequest;
import spire.api.server.trustdomain.v1.ListFederationRelationshipsRequest;
import spire.api.server.trustdomain.v1.ListFederationRelationshipsResponse;
import spire.api.server.trustdomain.v1.TrustDomainGrpc;

/**
 * The one door to the SPIRE server's Entry, Agent, Bundle and TrustDomain APIs. Speaks domain
 * records; protobuf stays inside.
 *
 * <p>Every RPC has a deadline and, by default, one attempt: a failure is a {@link SpireException}
 * with the code, and the caller's owner of retries (the engine's subject queue for writes, the pass
 * scheduler for reads) decides when to try again. Harnesses may ask for retries of UNAVAILABLE,
 * RESOURCE_EXHAUSTED and DEADLINE_EXCEEDED with backoff ({@link SpireClientSettings#maxAttempts}).
 * Lists are always paged; batch writes are sent as given (callers chunk them) and answered item by
 * item.
 */
public final class SpireClient {

  private final EntryGrpc.EntryBlockingStub entries;
  private final EntryGrpc.EntryFutureStub entriesAhead;
  private final AgentGrpc.AgentBlockingStub agents;
  private final BundleGrpc.BundleBlockingStub bundles;
  private final TrustDomainGrpc.TrustDomainBlockingStub trustDomains;
  private final SpireClientSettings settings;
  private final SpireCallObserver observer;
  private final Backoff backoff;

  public SpireClient(Channel channel, SpireClientSettings settings, SpireCallObserver observer) {
    this.entries = EntryGrpc.newBlockingStub(channel);
    this.entriesAhead = EntryGrpc.newFutureStub(channel);
    this.agents = AgentGrpc.newBlockingStub(channel);
    this.bundles = BundleGrpc.newBlockingStub(channel);
    this.trustDomains = TrustDomainGrpc.newBlockingStub(channel);
    this.settings = settings;
    this.observer = observer;
    this.backoff =
        new Backoff(settings.initialBackoff(), settings.maxBackoff(), RandomGenerator.getDefault());
  }

  public SpireClientSettings settings() {
    return settings;
  }

  // ------------------------------------------------------------------ entries

  /**
   * Every entry matching the filter, read page by page.
   *
   * <p>SPIRE answers every page that holds entries with a next-page token, so a listing ends with
   * an empty page, except where a page shorter than the page size is known to be the last one: for
   * a filter without selectors, SPIRE's SQL datastore cuts each page with {@code LIMIT} over the
   * very rows it returns and filters nothing afterwards (1.10 and 1.15 alike), so fewer entries
   * than asked for means none are left (see {@link #shortPageIsLast}). Selector filters are
   * filtered again after the page is cut (EXACT and SUBSET), so they are read to the empty page.
   */
  public List<Entry> listEntries(EntryFilter filter) {
    List<Entry> out = new ArrayList<>();
    var protoFilter = ProtoMapping.toProto(filter);
    boolean shortPageIsLast = shortPageIsLast(filter);
    int pageSize = settings.pageSize();
    PageAhead pending = askPage(filter, protoFilter, "");
    while (pending != null) {
      ListEntriesResponse page = await(pending);
      String token = page.getNextPageToken();
      boolean last = token.isEmpty() || (shortPageIsLast && page.getEntriesCount() < pageSize);
      pending = last ? null : askPage(filter, protoFilter, token);
      convert(page, out, pending);
    }
    return out;
  }

  /**
   * Every entry of the server, page by page, if it holds at most {@code budget} of them; empty once
   * a listing goes past the budget (having read at most {@code budget} plus one page).
   */
  public Optional<EntryPages> listAllEntriesUpTo(int budget) {
    List<Entry> out = new ArrayList<>();
    var protoFilter = ProtoMapping.toProto(EntryFilter.all());
    int pageSize = settings.pageSize();
    int pages = 0;
    PageAhead pending = askPage(EntryFilter.all(), protoFilter, "");
    while (pending != null) {
      ListEntriesResponse page = await(pending);
      pages++;
      if (out.size() + page.getEntriesCount() > budget) {
        return Optional.empty();
      }
      String token = page.getNextPageToken();
      // a filter without selectors: a short page is the last (see shortPageIsLast)
      boolean last = token.isEmpty() || page.getEntriesCount() < pageSize;
      pending = last ? null : askPage(EntryFilter.all(), protoFilter, token);
      convert(page, out, pending);
    }
    return Optional.of(new EntryPages(List.copyOf(out), pages));
  }

  /**
   * A ListEntries page asked for before the previous one is converted: the server reads it while
   * this client turns the previous page into entries (the next page's token comes last in an
   * answer, so the request cannot leave earlier). One page ahead at most.
   */
  private record PageAhead(
      ListEntriesRequest request, String subject, ListenableFuture<ListEntriesResponse> answer) {}

  private PageAhead askPage(
      EntryFilter filter, ListEntriesRequest.Filter protoFilter, String token) {
    var request =
        ListEntriesRequest.newBuilder()
            .setFilter(protoFilter)
            .setPageSize(settings.pageSize())
            .setPageToken(token)
            .build();
    long sent = System.nanoTime();
    var answer =
        entriesAhead
            .withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
            .listEntries(request);
    answer.addListener(
        () ->
            observer.called(
                "ListEntries", codeOf(answer), Duration.ofNanos(System.nanoTime() - sent)),
        Runnable::run);
    return new PageAhead(request, describe(filter), answer);
  }

  /**
   * The page's answer; a retryable failure is asked again (through {@link #call}) while attempts
   * remain, as any other call.
   */
  private ListEntriesResponse await(PageAhead p) {
    try {
      return p.answer().get();
    } catch (ExecutionException e) {
      Status status = Status.fromThrowable(e.getCause());
      if (!retryable(status.getCode()) || settings.maxAttempts() < 2) {
        throw new SpireException(
            "ListEntries", status.getCode(), p.subject(), status.getDescription(), e.getCause());
      }
      sleep(backoff.delay(0));
      return call("ListEntries", p.subject(), () -> entries().listEntries(p.request()), 1);
    } catch (InterruptedException e) {
      p.answer().cancel(true);
      Thread.currentThread().interrupt();
      throw new SpireException("ListEntries", Status.Code.CANCELLED, p.subject(), "interrupted", e);
    }
  }

  /** Adds the page's entries to {@code out}; cancels the page asked ahead if that fails. */
  private static void convert(ListEntriesResponse page, List<Entry> out, PageAhead pending) {
    boolean converted = false;
    try {
      page.getEntriesList().forEach(e -> out.add(ProtoMapping.fromProto(e)));
      converted = true;
    } finally {
      if (!converted && pending != null) {
        pending.answer().cancel(true);
      }
    }
  }

  private static Status.Code codeOf(ListenableFuture<?> done) {
    if (done.isCancelled()) {
      return Status.Code.CANCELLED;
    }
    try {
      done.get(); // done: does not wait
      return Status.Code.OK;
    } catch (ExecutionException e) {
      return Status.fromThrowable(e.getCause()).getCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Status.Code.CANCELLED;
    }
  }

  /** A whole listing: its entries, in the server's order, and how many pages it took. */
  public record EntryPages(List<Entry> entries, int pages) {}

  /**
   * True when a ListEntries page shorter than the page size is the last one for this filter: no
   * selectors. SPIRE's datastore (pkg/server/datastore/sqlstore, {@code
   * appendListRegistrationEntriesFilterQuery}) selects the page's row IDs by parent, SPIFFE ID,
   * hint and federated trust domains in one SQL statement ending in {@code ORDER BY id LIMIT <page
   * size>}, and returns one entry per selected row; only {@code by_downstream} (which this client
   * never sends) and the EXACT/SUBSET selector match are applied after the cut. An entry written
   * after that statement is missed by either way of ending a listing (it could come after the empty
   * page just as well); callers already take listings as of a moment. One more thing shortens a
   * page: the API skips (and logs) an entry it cannot convert, i.e. one whose stored SPIFFE ID no
   * longer parses (written by hand or by a very old release); such an entry is invisible to every
   * client, and the entries listed after it on that page's listing would be read only by a later
   * listing that does not meet it on a short page.
   */
  static boolean shortPageIsLast(EntryFilter filter) {
    return filter.bySelectors() == null;
  }

  public long countEntries() {
    return call(
            "CountEntries",
            "",
            () -> entries().countEntries(CountEntriesRequest.getDefaultInstance()))
        .getCount();
  }

  public Optional<Entry> getEntry(String id) {
    try {
      return Optional.of(
          ProtoMapping.fromProto(
              call(
                  "GetEntry",
                  id,
                  () -> entries().getEntry(GetEntryRequest.newBuilder().setId(id).build()))));
    } catch (SpireException e) {
      if (e.code() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Creates entries, each under its {@link Entry#id()} when set (SPIRE accepts client-chosen IDs of
   * at most 255 characters of {@code [-._0-9A-Za-z]}) or a server-chosen one when null; one outcome
   * per entry, in order. ALREADY_EXISTS carries the existing similar entry.
   */
  public List<EntryOutcome> createEntries(List<Entry> toCreate) {
    if (toCreate.isEmpty()) {
      return List.of();
    }
    var b = BatchCreateEntryRequest.newBuilder();
    toCreate.forEach(e -> b.addEntries(ProtoMapping.toProto(e)));
    var request = b.build();
    var response =
        call(
            "BatchCreateEntry",
            toCreate.get(0).spiffeId().toString(),
            () -> entries().batchCreateEntry(request));
    List<EntryOutcome> out = new ArrayList<>(toCreate.size());
    for (int i = 0; i < toCreate.size(); i++) {
      var r = response.getResults(i);
      Status.Code code = Status.fromCodeValue(r.getStatus().getCode()).getCode();
      Entry entry =
          r.hasEntry() && !r.getEntry().getId().isEmpty()
              ? ProtoMapping.fromProto(r.getEntry())
              : null;
      out.add(new EntryOutcome(toCreate.get(i), entry, code, r.getStatus().getMessage()));
    }
    return out;
  }

  /**
   * Updates entries by ID, touching only the fields the operator manages (always sent with an input
   * mask).
   */
  public List<EntryOutcome> updateEntries(List<Entry> toUpdate) {
    if (toUpdate.isEmpty()) {
      return List.of();
    }
    var b = BatchUpdateEntryRequest.newBuilder().setInputMask(ProtoMapping.MANAGED_FIELDS);
    toUpdate.forEach(e -> b.addEntries(ProtoMapping.toProto(e)));
    var request = b.build();
    var response =
        call("BatchUpdateEntry", toUpdate.get(0).id(), () -> entries().batchUpdateEntry(request));
    List<EntryOutcome> out = new ArrayList<>(toUpdate.size());
    for (int i = 0; i < toUpdate.size(); i++) {
      var r = response.getResults(i);
      Status.Code code = Status.fromCodeValue(r.getStatus().getCode()).getCode();
      Entry entry =
          r.hasEntry() && code == Status.Code.OK ? ProtoMapping.fromProto(r.getEntry()) : null;
      out.add(new EntryOutcome(toUpdate.get(i), entry, code, r.getStatus().getMessage()));
    }
    return out;
  }

  /** Deletes entries by ID; NOT_FOUND counts as deleted. */
  public List<DeleteOutcome> deleteEntries(List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    var request = BatchDeleteEntryRequest.newBuilder().addAllIds(ids).build();
    var response = call("BatchDeleteEntry", ids.get(0), () -> entries().batchDeleteEntry(request));
    List<DeleteOutcome> out = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      var r = response.getResults(i);
      out.add(
          new DeleteOutcome(
              ids.get(i),
              Status.fromCodeValue(r.getStatus().getCode()).getCode(),
              r.getStatus().getMessage()));
    }
    return out;
  }

  /**
   * The entries the caller itself is authorized for; over the admin unix socket the server answers
   * PERMISSION_DENIED.
   */
  public List<Entry> getAuthorizedEntries() {
    return call(
            "GetAuthorizedEntries",
            "",
            () -> entries().getAuthorizedEntries(GetAuthorizedEntriesRequest.getDefaultInstance()))
        .getEntriesList()
        .stream()
        .map(ProtoMapping::fromProto)
        .toList();
  }

  // ------------------------------------------------------------------ agents

  public List<Agent> listAgents(AgentFilter filter) {
    List<Agent> out = new ArrayList<>();
    String token = "";
    var protoFilter = ProtoMapping.toProto(filter);
    do {
      var request =
          ListAgentsRequest.newBuilder()
              .setFilter(protoFilter)
              .setPageSize(settings.pageSize())
              .setPageToken(token)
              .build();
      ListAgentsResponse page = call("ListAgents", "", () -> agents().listAgents(request));
      page.getAgentsList().forEach(a -> out.add(ProtoMapping.fromProto(a)));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return out;
  }

  public Optional<Agent> getAgent(SpiffeId id) {
    try {
      var request = GetAgentRequest.newBuilder().setId(ProtoMapping.toProto(id)).build();
      return Optional.of(
          ProtoMapping.fromProto(
              call("GetAgent", id.toString(), () -> agents().getAgent(request))));
    } catch (SpireException e) {
      if (e.code() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  // ------------------------------------------------------------------ bundles

  /** The server's own trust domain, as its bundle names it. */
  public String trustDomain() {
    return call("GetBundle", "", () -> bundles().getBundle(GetBundleRequest.getDefaultInstance()))
        .getTrustDomain();
  }

  /** Trust domains with a federated bundle: the only valid {@code federates_with} values. */
  public Set<String> federatedTrustDomains() {
    Set<String> out = new TreeSet<>();
    String token = "";
    do {
      var request =
          ListFederatedBundlesRequest.newBuilder()
              .setPageSize(settings.pageSize())
              .setPageToken(token)
              .build();
      ListFederatedBundlesResponse page =
          call("ListFederatedBundles", "", () -> bundles().listFederatedBundles(request));
      page.getBundlesList().forEach(b -> out.add(b.getTrustDomain()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return out;
  }

  // ------------------------------------------------------------------ federation relationships

  /** Every federation relationship of the server, read page by page. */
  public List<FederationRelationship> listFederationRelationships() {
    List<FederationRelationship> out = new ArrayList<>();
    String token = "";
    do {
      var request =
          ListFederationRelationshipsRequest.newBuilder()
              .setPageSize(settings.pageSize())
              .setPageToken(token)
              .build();
      ListFederationRelationshipsResponse page =
          call(
              "ListFederationRelationships",
              "",
              () -> trustDomains().listFederationRelationships(request));
      page.getFederationRelationshipsList().forEach(r -> out.add(ProtoMapping.fromProto(r)));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return out;
  }

  /** The relationship with {@code trustDomain}, or empty when the server has none. */
  public Optional<FederationRelationship> getFederationRelationship(String trustDomain) {
    try {
      var request =
          GetFederationRelationshipRequest.newBuilder().setTrustDomain(trustDomain).build();
      return Optional.of(
          ProtoMapping.fromProto(
              call(
                  "GetFederationRelationship",
                  trustDomain,
                  () -> trustDomains().getFederationRelationship(request))));
    } catch (SpireException e) {
      if (e.code() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Creates relationships (with their bundles, when given); one outcome per relationship, in order.
   * A relationship for a trust domain that has one already fails (SPIRE answers INTERNAL, from its
   * datastore's uniqueness check, not ALREADY_EXISTS).
   */
  public List<FederationOutcome> createFederationRelationships(
      List<FederationRelationship> toCreate) {
    if (toCreate.isEmpty()) {
      return List.of();
    }
    var b = BatchCreateFederationRelationshipRequest.newBuilder();
    toCreate.forEach(r -> b.addFederationRelationships(ProtoMapping.toProto(r)));
    var request = b.build();
    var response =
        call(
            "BatchCreateFederationRelationship",
            toCreate.get(0).trustDomain(),
            () -> trustDomains().batchCreateFederationRelationship(request));
    List<FederationOutcome> out = new ArrayList<>(toCreate.size());
    for (int i = 0; i < toCreate.size(); i++) {
      var r = response.getResults(i);
      Status.Code code = Status.fromCodeValue(r.getStatus().getCode()).getCode();
      out.add(
          new FederationOutcome(
              toCreate.get(i),
              code == Status.Code.OK && r.hasFederationRelationship()
                  ? ProtoMapping.fromProto(r.getFederationRelationship())
                  : null,
              code,
              r.getStatus().getMessage()));
    }
    return out;
  }

  /**
   * Updates relationships by trust domain: endpoint URL and profile always, the bundle only when
   * the given relationship carries one (sent with an input mask, so a bundle the server refreshed
   * is otherwise kept). An unknown trust domain fails the item (SPIRE answers INTERNAL).
   */
  public List<FederationOutcome> updateFederationRelationships(
      List<FederationRelationship> toUpdate) {
    List<FederationOutcome> out = new ArrayList<>(toUpdate.size());
    // one call per input mask: relationships with and without a bundle
    for (boolean withBundle : List.of(false, true)) {
      List<Integer> positions = new ArrayList<>();
      var b = BatchUpdateFederationRelationshipRequest.newBuilder();
      for (int i = 0; i < toUpdate.size(); i++) {
        if ((toUpdate.get(i).bundle() != null) == withBundle) {
          positions.add(i);
          b.addFederationRelationships(ProtoMapping.toProto(toUpdate.get(i)));
        }
      }
      if (positions.isEmpty()) {
        continue;
      }
      b.setInputMask(ProtoMapping.updateMask(toUpdate.get(positions.get(0))));
      var request = b.build();
      var response =
          call(
              "BatchUpdateFederationRelationship",
              toUpdate.get(positions.get(0)).trustDomain(),
              () -> trustDomains().batchUpdateFederationRelationship(request));
      for (int k = 0; k < positions.size(); k++) {
        var r = response.getResults(k);
        Status.Code code = Status.fromCodeValue(r.getStatus().getCode()).getCode();
        out.add(
            new FederationOutcome(
                toUpdate.get(positions.get(k)),
                code == Status.Code.OK && r.hasFederationRelationship()
                    ? ProtoMapping.fromProto(r.getFederationRelationship())
                    : null,
                code,
                r.getStatus().getMessage()));
      }
    }
    out.sort(java.util.Comparator.comparingInt(o -> indexOf(toUpdate, o.requested())));
    return out;
  }

  private static int indexOf(List<FederationRelationship> list, FederationRelationship r) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == r) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Deletes the relationships with these trust domains (their bundles stay); NOT_FOUND counts as
   * deleted.
   */
  public List<DeleteOutcome> deleteFederationRelationships(List<String> trustDomainNames) {
    if (trustDomainNames.isEmpty()) {
      return List.of();
    }
    var request =
        BatchDeleteFederationRelationshipRequest.newBuilder()
            .addAllTrustDomains(trustDomainNames)
            .build();
    var response =
        call(
            "BatchDeleteFederationRelationship",
            trustDomainNames.get(0),
            () -> trustDomains().batchDeleteFederationRelationship(request));
    List<DeleteOutcome> out = new ArrayList<>(trustDomainNames.size());
    for (int i = 0; i < trustDomainNames.size(); i++) {
      var r = response.getResults(i);
      out.add(
          new DeleteOutcome(
              trustDomainNames.get(i),
              Status.fromCodeValue(r.getStatus().getCode()).getCode(),
              r.getStatus().getMessage()));
    }
    return out;
  }

  /** True if the server answers a cheap call (GetBundle, constant cost) within the deadline. */
  public boolean isReachable() {
    try {
      bundles
          .withDeadlineAfter(Math.min(settings.timeout().toMillis(), 5000), TimeUnit.MILLISECONDS)
          .getBundle(GetBundleRequest.getDefaultInstance());
      return true;
    } catch (StatusRuntimeException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------ plumbing

  private EntryGrpc.EntryBlockingStub entries() {
    return entries.withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private AgentGrpc.AgentBlockingStub agents() {
    return agents.withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private BundleGrpc.BundleBlockingStub bundles() {
    return bundles.withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private TrustDomainGrpc.TrustDomainBlockingStub trustDomains() {
    return trustDomains.withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private <T> T call(String method, String subject, Supplier<T> rpc) {
    return call(method, subject, rpc, 0);
  }

  /** {@link #call}, counting {@code attemptsMade} attempts already made. */
  private <T> T call(String method, String subject, Supplier<T> rpc, int attemptsMade) {
    for (int attempt = attemptsMade; ; attempt++) {
      long start = System.nanoTime();
      try {
        T result = rpc.get();
        observer.called(method, Status.Code.OK, Duration.ofNanos(System.nanoTime() - start));
        return result;
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        observer.called(method, code, Duration.ofNanos(System.nanoTime() - start));
        if (!retryable(code) || attempt + 1 >= settings.maxAttempts()) {
          throw new SpireException(method, code, subject, e.getStatus().getDescription(), e);
        }
        sleep(backoff.delay(attempt));
      }
    }
  }

  private static boolean retryable(Status.Code code) {
    return code == Status.Code.UNAVAILABLE
        || code == Status.Code.RESOURCE_EXHAUSTED
        || code == Status.Code.DEADLINE_EXCEEDED;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SpireException("backoff", Status.Code.CANCELLED, "", "interrupted", e);
    }
  }

  private static String describe(EntryFilter f) {
    if (f.byParentId() != null) {
      return "parent " + f.byParentId();
    }
    if (f.bySpiffeId() != null) {
      return f.bySpiffeId().toString();
    }
    return "";
  }
}
