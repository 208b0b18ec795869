package org.spireoperator.spire.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Channel;
import io.grpc.Status;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.Agent;
import org.spireoperator.spire.AgentFilter;
import org.spireoperator.spire.BundleEndpointProfile;
import org.spireoperator.spire.DeleteOutcome;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryFilter;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.FederationOutcome;
import org.spireoperator.spire.FederationRelationship;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireCallObserver;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.TrustBundle;
import spire.api.server.entry.v1.BatchUpdateEntryRequest;
import spire.api.server.entry.v1.EntryGrpc;
import spire.api.server.entry.v1.ListEntriesRequest;
import spire.api.types.EntryMask;

/**
 * What the operator relies on from a SPIRE server, as behaviour of {@link SpireClient} (plus a few
 * raw API facts about paging, ordering and masks). It must hold against the in-process test server
 * and against a real spire-server (the end-to-end module runs it against one), so it asserts only
 * what both answer alike, and where SPIRE versions differ it accepts each version's answer.
 *
 * <p>Subclasses connect to a server as admin (the unix socket) and provide a {@code k8s_sat} agent:
 * the test server seeds one, a real server has one attested (see {@link #seedAgentIfPossible()}).
 * Every test works under its own path prefix {@code spiffe://<td>/contract-<random>/...} with one
 * parent ID, and deletes what it created.
 */
public abstract class SpireClientContract {

  /** A client connected to the server under test as admin. */
  protected abstract SpireClient client();

  /** The channel that client uses (for the raw API facts). */
  protected abstract Channel channel();

  /** The server's trust domain. */
  protected abstract String trustDomain();

  /**
   * Makes sure a k8s_sat agent as described by the three methods below exists, if the subclass can
   * add one.
   */
  protected abstract void seedAgentIfPossible();

  /** The k8s_sat cluster name of the agent. */
  protected String agentCluster() {
    return "demo";
  }

  protected String agentNamespace() {
    return "spire";
  }

  protected String agentServiceAccount() {
    return "spire-agent";
  }

  private String run;
  private SpiffeId parent;

  @BeforeEach
  public void choosePrefix() {
    run = "contract-" + UUID.randomUUID().toString().substring(0, 8);
    parent = SpiffeId.of(trustDomain(), run + "/node");
  }

  @AfterEach
  public void deleteWhatTheTestCreated() {
    List<String> ids =
        client().listEntries(EntryFilter.byParent(parent)).stream().map(Entry::id).toList();
    for (List<String> chunk : chunks(ids, 200)) {
      client().deleteEntries(chunk);
    }
    List<String> relationships =
        client().listFederationRelationships().stream()
            .map(FederationRelationship::trustDomain)
            .filter(td -> td.endsWith("." + run + ".test"))
            .toList();
    client().deleteFederationRelationships(relationships);
  }

  // ------------------------------------------------------------------ helpers

  /** An entry under this test's prefix and parent. */
  protected Entry entry(String name, String... selectors) {
    List<Selector> list = new ArrayList<>();
    for (String s : selectors) {
      list.add(Selector.parse(s));
    }
    return Entry.of(SpiffeId.of(trustDomain(), run + "/" + name), parent, list);
  }

  /** A selector no other test run uses. */
  protected String uniqueSelector(String name) {
    return "contract:" + run + "-" + name;
  }

  private List<Entry> listed() {
    return client().listEntries(EntryFilter.byParent(parent));
  }

  private Entry createOne(Entry e) {
    EntryOutcome outcome = client().createEntries(List.of(e)).get(0);
    assertThat(outcome.succeeded())
        .as("create %s: %s %s", e.describe(), outcome.code(), outcome.message())
        .isTrue();
    return outcome.entry();
  }

  private static <T> List<List<T>> chunks(List<T> all, int size) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += size) {
      out.add(all.subList(i, Math.min(all.size(), i + size)));
    }
    return out;
  }

  private <T, R> List<R> inBatches(List<T> all, int size, Function<List<T>, List<R>> call) {
    List<R> out = new ArrayList<>();
    chunks(all, size).forEach(chunk -> out.addAll(call.apply(chunk)));
    return out;
  }

  // ------------------------------------------------------------------ entries

  @Test
  public void aThousandEntriesAreCreatedListedInPagesUpdatedAndDeleted() {
    List<Entry> desired = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      desired.add(entry("w" + i, uniqueSelector("pod-" + i)));
    }

    List<EntryOutcome> created = inBatches(desired, 50, client()::createEntries);
    assertThat(created).allSatisfy(o -> assertThat(o.succeeded()).as(o.message()).isTrue());
    List<Entry> listed = listed();
    assertThat(listed)
        .containsExactlyElementsOf(created.stream().map(EntryOutcome::entry).toList());

    List<EntryOutcome> updated =
        inBatches(
            listed,
            50,
            chunk ->
                client()
                    .updateEntries(
                        chunk.stream()
                            .map(
                                e ->
                                    e.withDnsNames(
                                        List.of(
                                            e.spiffeId()
                                                    .path()
                                                    .substring(
                                                        e.spiffeId().path().lastIndexOf('/') + 1)
                                                + ".example.org")))
                            .toList()));
    assertThat(updated).allSatisfy(o -> assertThat(o.succeeded()).as(o.message()).isTrue());
    assertThat(listed())
        .allSatisfy(
            e -> {
              assertThat(e.dnsNames()).hasSize(1);
              assertThat(e.revisionNumber()).isEqualTo(1);
            });

    List<DeleteOutcome> deleted =
        inBatches(listed.stream().map(Entry::id).toList(), 200, client()::deleteEntries);
    assertThat(deleted).hasSize(1000).allMatch(d -> d.code() == Status.Code.OK);
    assertThat(listed()).isEmpty();
  }

  @Test
  public void entriesAreListedInCreationOrder() {
    List<Entry> created = new ArrayList<>();
    for (String name : List.of("c", "a", "e", "b", "d")) {
      created.add(createOne(entry(name, uniqueSelector(name))));
    }

    assertThat(listed()).containsExactlyElementsOf(created);
  }

  @Test
  public void everyPageWithEntriesCarriesATokenAndTheLastEmptyPageNone() {
    for (int i = 0; i < 5; i++) {
      createOne(entry("p" + i, uniqueSelector("p" + i)));
    }
    var entries = EntryGrpc.newBlockingStub(channel());
    var filter =
        ListEntriesRequest.Filter.newBuilder()
            .setByParentId(
                spire
                    .api
                    .types
                    .SPIFFEID
                    .newBuilder()
                    .setTrustDomain(parent.trustDomain())
                    .setPath(parent.path()));

    List<String> pages = new ArrayList<>();
    String token = "";
    do {
      var page =
          entries.listEntries(
              ListEntriesRequest.newBuilder()
                  .setFilter(filter)
                  .setPageSize(2)
                  .setPageToken(token)
                  .build());
      token = page.getNextPageToken();
      pages.add(page.getEntriesCount() + (token.isEmpty() ? " without token" : " with token"));
    } while (!token.isEmpty());
    var unpaged = entries.listEntries(ListEntriesRequest.newBuilder().setFilter(filter).build());

    assertThat(pages)
        .containsExactly("2 with token", "2 with token", "1 with token", "0 without token");
    assertThat(unpaged.getEntriesCount()).isEqualTo(5);
    assertThat(unpaged.getNextPageToken()).isEmpty();
  }

  /**
   * What {@link SpireClient#listEntries} relies on to end a listing by parent on a short page: for
   * every page size, the pages of a listing by parent are full until the last entries, and the page
   * after a short one is empty.
   */
  @Test
  public void aListingByParentIsFullPagesThenOneShortPageThenNothing() {
    int count = 5;
    for (int i = 0; i < count; i++) {
      createOne(entry("s" + i, uniqueSelector("s" + i)));
    }
    var entries = EntryGrpc.newBlockingStub(channel());
    var filter =
        ListEntriesRequest.Filter.newBuilder()
            .setByParentId(
                spire
                    .api
                    .types
                    .SPIFFEID
                    .newBuilder()
                    .setTrustDomain(parent.trustDomain())
                    .setPath(parent.path()));

    java.util.Map<Integer, List<Integer>> pageSizes = new java.util.TreeMap<>();
    java.util.Map<Integer, List<Integer>> expected = new java.util.TreeMap<>();
    for (int size = 1; size <= count + 1; size++) {
      List<Integer> sizes = new ArrayList<>();
      String token = "";
      do {
        var page =
            entries.listEntries(
                ListEntriesRequest.newBuilder()
                    .setFilter(filter)
                    .setPageSize(size)
                    .setPageToken(token)
                    .build());
        sizes.add(page.getEntriesCount());
        token = page.getNextPageToken();
      } while (!token.isEmpty());
      pageSizes.put(size, sizes);
      List<Integer> want = new ArrayList<>();
      for (int left = count; left > 0; left -= size) {
        want.add(Math.min(size, left));
      }
      want.add(0);
      expected.put(size, want);
    }

    assertThat(pageSizes).isEqualTo(expected);
  }

  @Test
  public void theClientEndsAListingByParentAtItsFirstShortPage() {
    for (int i = 0; i < 5; i++) {
      createOne(entry("c" + i, uniqueSelector("c" + i)));
    }
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    SpireClient pagesOfTwo =
        new SpireClient(
            channel(),
            client().settings().withPageSize(2),
            (method, code, latency) -> {
              if (method.equals("ListEntries")) {
                calls.incrementAndGet();
              }
            });

    List<Entry> all = pagesOfTwo.listEntries(EntryFilter.byParent(parent));

    // a call is observed when its answer's listeners run, which may be just after the answer
    // reached the listing
    await()
        .atMost(java.time.Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(all.size() + " entries in " + calls.get() + " calls")
                    .isEqualTo("5 entries in 3 calls"));
  }

  @Test
  public void anEmptyOutputMaskLeavesOnlyTheEntryId() {
    Entry e = createOne(entry("web", uniqueSelector("web")).withHint("h"));

    var page =
        EntryGrpc.newBlockingStub(channel())
            .listEntries(
                ListEntriesRequest.newBuilder()
                    .setFilter(
                        ListEntriesRequest.Filter.newBuilder()
                            .setByParentId(
                                spire
                                    .api
                                    .types
                                    .SPIFFEID
                                    .newBuilder()
                                    .setTrustDomain(parent.trustDomain())
                                    .setPath(parent.path())))
                    .setOutputMask(EntryMask.getDefaultInstance())
                    .build());

    assertThat(page.getEntriesList())
        .containsExactly(spire.api.types.Entry.newBuilder().setId(e.id()).build());
  }

  @Test
  public void aSimilarEntryIsRefusedWithAlreadyExistsCarryingTheExistingOne() {
    Entry existing = createOne(entry("web", uniqueSelector("a"), uniqueSelector("b")));

    EntryOutcome again =
        client()
            .createEntries(
                List.of(
                    entry("web", uniqueSelector("b"), uniqueSelector("a"))
                        .withDnsNames(List.of("other.example.org"))))
            .get(0);

    assertThat(again.code()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(again.alreadyExists()).isTrue();
    assertThat(again.entry()).isEqualTo(existing);
    assertThat(listed()).containsExactly(existing);
  }

  @Test
  public void anUpdateCountsTheRevisionAndKeepsIdAndCreationTime() {
    Entry e = createOne(entry("web", uniqueSelector("web")));

    EntryOutcome first = client().updateEntries(List.of(e.withHint("one"))).get(0);
    EntryOutcome second = client().updateEntries(List.of(first.entry().withHint("two"))).get(0);

    assertThat(second.succeeded()).isTrue();
    assertThat(second.entry().hint()).isEqualTo("two");
    assertThat(second.entry().revisionNumber()).isEqualTo(2);
    assertThat(second.entry().id()).isEqualTo(e.id());
    assertThat(second.entry().createdAt()).isEqualTo(e.createdAt());
  }

  @Test
  public void anUpdateWithoutInputMaskReplacesEveryField() {
    Entry e =
        createOne(
            entry("web", uniqueSelector("web"))
                .withHint("h")
                .withDnsNames(List.of("web.example.org")));
    var bare =
        spire.api.types.Entry.newBuilder()
            .setId(e.id())
            .setSpiffeId(
                spire
                    .api
                    .types
                    .SPIFFEID
                    .newBuilder()
                    .setTrustDomain(trustDomain())
                    .setPath(e.spiffeId().path()))
            .setParentId(
                spire
                    .api
                    .types
                    .SPIFFEID
                    .newBuilder()
                    .setTrustDomain(trustDomain())
                    .setPath(parent.path()))
            .addSelectors(
                spire.api.types.Selector.newBuilder().setType("contract").setValue(run + "-web"))
            .build();

    var result =
        EntryGrpc.newBlockingStub(channel())
            .batchUpdateEntry(BatchUpdateEntryRequest.newBuilder().addEntries(bare).build())
            .getResults(0);

    assertThat(result.getStatus().getCode()).isZero();
    assertThat(result.getEntry().getHint()).isEmpty();
    assertThat(result.getEntry().getDnsNamesList()).isEmpty();
  }

  @Test
  public void updatingAnEntryThatIsGoneFails() {
    Entry e = createOne(entry("web", uniqueSelector("web")));
    client().deleteEntries(List.of(e.id()));

    EntryOutcome outcome = client().updateEntries(List.of(e.withHint("h"))).get(0);

    // SPIRE 1.10 answers INTERNAL ("record not found"), 1.11 and later NOT_FOUND
    assertThat(outcome.code()).isIn(Status.Code.NOT_FOUND, Status.Code.INTERNAL);
    assertThat(outcome.entry()).isNull();
  }

  @Test
  public void deletingAnUnknownEntryCountsAsDeleted() {
    DeleteOutcome outcome = client().deleteEntries(List.of(UUID.randomUUID().toString())).get(0);

    assertThat(outcome.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(outcome.deleted()).isTrue();
  }

  @Test
  public void anUnknownEntryIdIsNotFound() {
    assertThat(client().getEntry(UUID.randomUUID().toString())).isEmpty();
  }

  @Test
  public void invalidInputIsRejectedItemByItemWithInvalidArgument() {
    List<Entry> invalid =
        List.of(
            Entry.of(
                SpiffeId.of(trustDomain(), "spire/" + run),
                parent,
                List.of(Selector.parse(uniqueSelector("r")))),
            Entry.of(
                SpiffeId.of("not-" + trustDomain(), run + "/x"),
                parent,
                List.of(Selector.parse(uniqueSelector("t")))),
            entry("dns", uniqueSelector("dns"))
                .withDnsNames(List.of("-starts-with-hyphen.example.org")),
            entry("hint", uniqueSelector("hint")).withHint("h".repeat(1025)));
    List<Entry> batch = new ArrayList<>(invalid);
    batch.add(1, entry("valid", uniqueSelector("valid")));

    List<EntryOutcome> outcomes = client().createEntries(batch);

    assertThat(outcomes)
        .extracting(EntryOutcome::code)
        .containsExactly(
            Status.Code.INVALID_ARGUMENT,
            Status.Code.OK,
            Status.Code.INVALID_ARGUMENT,
            Status.Code.INVALID_ARGUMENT,
            Status.Code.INVALID_ARGUMENT);
    assertThat(outcomes.get(0).entry()).isNull();
    assertThat(listed()).extracting(e -> e.spiffeId().path()).containsExactly("/" + run + "/valid");
  }

  @Test
  public void aNegativeTtlIsRefused() {
    EntryOutcome outcome =
        client().createEntries(List.of(entry("ttl", uniqueSelector("ttl")).withTtls(-1, 0))).get(0);

    // SPIRE 1.10 answers INTERNAL (a datastore validation error), 1.11 and later INVALID_ARGUMENT
    assertThat(outcome.code()).isIn(Status.Code.INVALID_ARGUMENT, Status.Code.INTERNAL);
    assertThat(listed()).isEmpty();
  }

  @Test
  public void federatingWithATrustDomainWithoutBundleFailsTheItemWithInternal() {
    String unknown = "unknown-" + run + ".org";

    EntryOutcome outcome =
        client()
            .createEntries(
                List.of(entry("fed", uniqueSelector("fed")).withFederatesWith(List.of(unknown))))
            .get(0);

    assertThat(client().federatedTrustDomains()).doesNotContain(unknown);
    assertThat(outcome.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(outcome.message()).contains("unable to find federated bundle");
    assertThat(listed()).isEmpty();
  }

  @Test
  public void selectorFiltersMatchAsSpireDefinesThem() {
    String a = uniqueSelector("a");
    String b = uniqueSelector("b");
    createOne(entry("a", a));
    createOne(entry("ab", a, b));
    createOne(entry("abc", a, b, uniqueSelector("c")));
    createOne(entry("b", b));
    Set<Selector> wanted = Set.of(Selector.parse(a), Selector.parse(b));

    assertThat(names(EntryFilter.Match.EXACT, wanted)).containsExactly("ab");
    assertThat(names(EntryFilter.Match.SUBSET, wanted)).containsExactly("a", "ab", "b");
    assertThat(names(EntryFilter.Match.SUPERSET, wanted)).containsExactly("ab", "abc");
    assertThat(names(EntryFilter.Match.ANY, wanted)).containsExactly("a", "ab", "abc", "b");
  }

  private List<String> names(EntryFilter.Match match, Set<Selector> selectors) {
    return client().listEntries(EntryFilter.bySelectors(selectors, match)).stream()
        .map(e -> e.spiffeId().path().substring(e.spiffeId().path().lastIndexOf('/') + 1))
        .toList();
  }

  /**
   * What a full pass relies on to read this cluster's node entries under a server other clusters
   * share: the parent and selector filters hold together.
   */
  @Test
  public void aParentsChildrenAreFoundByASelectorTheyCarry() {
    String cluster = uniqueSelector("cluster");
    createOne(entry("n1", cluster, uniqueSelector("n1")));
    createOne(entry("other", uniqueSelector("other-cluster"), uniqueSelector("n1")));
    createOne(entry("n2", cluster, uniqueSelector("n2")));

    assertThat(
            client()
                .listEntries(EntryFilter.childrenWith(parent, Set.of(Selector.parse(cluster))))
                .stream()
                .map(e -> e.spiffeId().path().substring(e.spiffeId().path().lastIndexOf('/') + 1))
                .toList())
        .containsExactlyInAnyOrder("n1", "n2");
  }

  /** ... and the parent and SPIFFE ID filters hold together. */
  @Test
  public void aParentsChildrenAreFoundBySpiffeId() {
    Entry web = createOne(entry("web", uniqueSelector("web")));
    createOne(entry("api", uniqueSelector("api")));

    assertThat(client().listEntries(EntryFilter.childrenNamed(parent, web.spiffeId())))
        .containsExactly(web);
  }

  @Test
  public void entriesAreFoundBySpiffeId() {
    Entry e = createOne(entry("web", uniqueSelector("web")));
    createOne(entry("api", uniqueSelector("api")));

    assertThat(client().listEntries(EntryFilter.bySpiffeId(e.spiffeId()))).containsExactly(e);
  }

  // ------------------------------------------------------------------ agents and bundles

  @Test
  public void listAgentsFindsTheK8sSatAgentWithItsIdAndSelectors() {
    seedAgentIfPossible();
    String idPattern =
        "spiffe://"
            + trustDomain().replace(".", "\\.")
            + "/spire/agent/k8s_sat/"
            + agentCluster()
            + "/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    Set<Selector> expected =
        Set.of(
            new Selector("k8s_sat", "cluster:" + agentCluster()),
            new Selector("k8s_sat", "agent_ns:" + agentNamespace()),
            new Selector("k8s_sat", "agent_sa:" + agentServiceAccount()));

    List<Agent> agents = client().listAgents(AgentFilter.byAttestationType("k8s_sat"));

    assertThat(agents)
        .anySatisfy(
            a -> {
              assertThat(a.id().toString()).matches(idPattern);
              assertThat(a.attestationType()).isEqualTo("k8s_sat");
              assertThat(a.selectors()).containsExactlyInAnyOrderElementsOf(expected);
              assertThat(a.banned()).isFalse();
            });
    Agent agent =
        agents.stream().filter(a -> a.selectors().containsAll(expected)).findFirst().orElseThrow();
    assertThat(client().getAgent(agent.id())).contains(agent);
    assertThat(
            client()
                .listAgents(
                    new AgentFilter(
                        null,
                        Set.of(new Selector("k8s_sat", "cluster:" + agentCluster())),
                        EntryFilter.Match.SUPERSET,
                        null)))
        .contains(agent);
  }

  @Test
  public void anUnknownAgentIsNotFound() {
    SpiffeId unknown =
        SpiffeId.of(
            trustDomain(), "spire/agent/k8s_sat/" + agentCluster() + "/" + UUID.randomUUID());

    assertThat(client().getAgent(unknown)).isEmpty();
  }

  @Test
  public void theServerNamesItsOwnTrustDomain() {
    assertThat(client().trustDomain()).isEqualTo(trustDomain());
    assertThat(client().federatedTrustDomains()).doesNotContain(trustDomain());
  }

  // ------------------------------------------------------------------ federation relationships

  /**
   * A CA certificate and a JWT key, from spire-controller-manager's documented https_spiffe example
   * (docs/clusterfederatedtrustdomain-crd.md): the server checks that they parse, not what they
   * say.
   */
  private static final String CA_CERTIFICATE =
      "MIIBnjCCAUWgAwIBAgIQaSWSbPs2wDfYCSRvKPTQOTAKBggqhkjOPQQDAjAeMQswCQYDVQQGEwJVUzEPMA0GA1UEChMGU1BJRkZFMB4XDTIyMDUxNjE3MTc0N1oXDTIyMDUxNzE3MTc1N1owHjELMAkGA1UEBhMCVVMxDzANBgNVBAoTBlNQSUZGRTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABB1uJ8BDSoVTT/D2SD0RPNqkJPzDf+rRx7aH77qoSUHm4/DOmvWD1vnvn4ZSQ9xVEcfiP2hNYCugPpczki9irT2jZTBjMA4GA1UdDwEB/wQEAwIBBjAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBQGf0uNK8ZEEBkU9S5HLzhAVaI35jAhBgNVHREEGjAYhhZzcGlmZmU6Ly9jbHVzdGVyMS5kZW1vMAoGCCqGSM49BAMCA0cAMEQCIF+Z71be5RzIoO/Ys3mKiJBaEXEyPY2ZerDrv3aukMxdAiBTB/TS9CDXz+J40e8/3AdVynFIvUbnzr77XgFLlySR/g==";

  private static final String JWT_KEY_X = "yQ0A7fv5hevYrI82tLp6j7GM5llU2-okfUWHUenrFI8";
  private static final String JWT_KEY_Y = "76LcJhFJn6ACO8mNE42fuGuYd-WmujVM93AhoJf16ME";

  /** A foreign trust domain no other test run uses. */
  protected String foreignTrustDomain(String name) {
    return name + "." + run + ".test";
  }

  private FederationRelationship web(String name) {
    return new FederationRelationship(
        foreignTrustDomain(name),
        "https://" + foreignTrustDomain(name) + ":8443/bundle",
        BundleEndpointProfile.httpsWeb(),
        null);
  }

  private FederationRelationship spiffe(String name, TrustBundle bundle) {
    String td = foreignTrustDomain(name);
    return new FederationRelationship(
        td,
        "https://" + td + ":8443",
        BundleEndpointProfile.httpsSpiffe(SpiffeId.of(td, "spire/server")),
        bundle);
  }

  private static TrustBundle bundle(String trustDomain) {
    try {
      AlgorithmParameters p256 = AlgorithmParameters.getInstance("EC");
      p256.init(new ECGenParameterSpec("secp256r1"));
      var point =
          new ECPoint(
              new BigInteger(1, Base64.getUrlDecoder().decode(JWT_KEY_X)),
              new BigInteger(1, Base64.getUrlDecoder().decode(JWT_KEY_Y)));
      byte[] pkix =
          KeyFactory.getInstance("EC")
              .generatePublic(
                  new ECPublicKeySpec(point, p256.getParameterSpec(ECParameterSpec.class)))
              .getEncoded();
      return new TrustBundle(
          trustDomain,
          List.of(new TrustBundle.X509Authority(Base64.getDecoder().decode(CA_CERTIFICATE))),
          List.of(new TrustBundle.JwtAuthority("BSZV4bb6MLNky0Xhk402GChJVBvSYzZq", pkix, 0)),
          300,
          7);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private FederationOutcome createOneRelationship(FederationRelationship r) {
    FederationOutcome outcome = client().createFederationRelationships(List.of(r)).get(0);
    assertThat(outcome.succeeded())
        .as("create %s: %s %s", r.trustDomain(), outcome.code(), outcome.message())
        .isTrue();
    return outcome;
  }

  private List<String> listedForeignTrustDomains(SpireClient c) {
    return c.listFederationRelationships().stream()
        .map(FederationRelationship::trustDomain)
        .filter(td -> td.endsWith("." + run + ".test"))
        .toList();
  }

  @Test
  public void aRelationshipIsCreatedFoundListedAndDeleted() {
    FederationRelationship r = web("a");

    FederationOutcome created = createOneRelationship(r);
    Optional<FederationRelationship> found = client().getFederationRelationship(r.trustDomain());
    List<String> listed = listedForeignTrustDomains(client());
    List<DeleteOutcome> deleted = client().deleteFederationRelationships(List.of(r.trustDomain()));

    assertThat(created.relationship()).isEqualTo(r);
    assertThat(found).contains(r);
    assertThat(listed).containsExactly(r.trustDomain());
    assertThat(deleted).extracting(DeleteOutcome::code).containsExactly(Status.Code.OK);
    assertThat(client().getFederationRelationship(r.trustDomain())).isEmpty();
  }

  @Test
  public void relationshipsAreListedInCreationOrderAcrossPages() {
    SpireClient smallPages =
        new SpireClient(channel(), client().settings().withPageSize(2), SpireCallObserver.NONE);
    List<String> created = new ArrayList<>();
    for (String name : List.of("e", "c", "a", "d", "b")) {
      created.add(createOneRelationship(web(name)).relationship().trustDomain());
    }

    assertThat(listedForeignTrustDomains(smallPages)).containsExactlyElementsOf(created);
  }

  @Test
  public void anHttpsSpiffeRelationshipKeepsItsEndpointIdAndBundle() {
    FederationRelationship r = spiffe("b", bundle(foreignTrustDomain("b")));

    createOneRelationship(r);

    assertThat(client().getFederationRelationship(r.trustDomain())).contains(r);
    assertThat(client().federatedTrustDomains()).contains(r.trustDomain());
  }

  @Test
  public void aSecondRelationshipForATrustDomainIsRefusedAndTheFirstKept() {
    FederationRelationship first = web("a");
    createOneRelationship(first);

    FederationOutcome again =
        client().createFederationRelationships(List.of(spiffe("a", null))).get(0);

    // SPIRE 1.10 answers INTERNAL (its datastore's unique index), not ALREADY_EXISTS
    assertThat(again.code()).isIn(Status.Code.INTERNAL, Status.Code.ALREADY_EXISTS);
    assertThat(again.relationship()).isNull();
    assertThat(client().getFederationRelationship(first.trustDomain())).contains(first);
  }

  @Test
  public void anUpdateChangesUrlAndProfileAndKeepsTheStoredBundle() {
    TrustBundle bundle = bundle(foreignTrustDomain("a"));
    createOneRelationship(spiffe("a", bundle));
    FederationRelationship moved =
        new FederationRelationship(
            foreignTrustDomain("a"),
            "https://elsewhere." + foreignTrustDomain("a") + "/bundle",
            BundleEndpointProfile.httpsWeb(),
            null);

    FederationOutcome updated = client().updateFederationRelationships(List.of(moved)).get(0);

    assertThat(updated.succeeded()).as(updated.message()).isTrue();
    assertThat(client().getFederationRelationship(moved.trustDomain()))
        .contains(
            new FederationRelationship(
                moved.trustDomain(), moved.bundleEndpointUrl(), moved.profile(), bundle));
  }

  @Test
  public void anUpdateWithABundleReplacesTheStoredOne() {
    createOneRelationship(spiffe("a", null));
    TrustBundle bundle = bundle(foreignTrustDomain("a"));

    FederationOutcome updated =
        client().updateFederationRelationships(List.of(spiffe("a", bundle))).get(0);

    assertThat(updated.succeeded()).as(updated.message()).isTrue();
    assertThat(client().getFederationRelationship(foreignTrustDomain("a")).orElseThrow().bundle())
        .isEqualTo(bundle);
  }

  @Test
  public void updatingARelationshipThatDoesNotExistFails() {
    FederationOutcome outcome = client().updateFederationRelationships(List.of(web("gone"))).get(0);

    // SPIRE 1.10 answers INTERNAL ("record not found")
    assertThat(outcome.code()).isIn(Status.Code.INTERNAL, Status.Code.NOT_FOUND);
    assertThat(client().getFederationRelationship(foreignTrustDomain("gone"))).isEmpty();
  }

  @Test
  public void deletingAnUnknownRelationshipCountsAsDeleted() {
    DeleteOutcome outcome =
        client().deleteFederationRelationships(List.of(foreignTrustDomain("gone"))).get(0);

    assertThat(outcome.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(outcome.deleted()).isTrue();
  }

  @Test
  public void invalidRelationshipsAreRefusedItemByItemWithInvalidArgument() {
    String td = foreignTrustDomain("x");
    List<FederationRelationship> batch =
        List.of(
            new FederationRelationship(
                td, "http://" + td + "/bundle", BundleEndpointProfile.httpsWeb(), null),
            web("valid"),
            new FederationRelationship(
                td, "https://user:pw@" + td + "/bundle", BundleEndpointProfile.httpsWeb(), null),
            new FederationRelationship(
                td, "https://" + td + "/bundle", new BundleEndpointProfile.Unspecified(), null),
            new FederationRelationship(
                trustDomain(), "https://" + td + "/bundle", BundleEndpointProfile.httpsWeb(), null),
            spiffe("x", bundle(foreignTrustDomain("other"))));

    List<FederationOutcome> outcomes = client().createFederationRelationships(batch);

    assertThat(outcomes)
        .extracting(FederationOutcome::code)
        .containsExactly(
            Status.Code.INVALID_ARGUMENT,
            Status.Code.OK,
            Status.Code.INVALID_ARGUMENT,
            Status.Code.INVALID_ARGUMENT,
            Status.Code.INVALID_ARGUMENT,
            Status.Code.INVALID_ARGUMENT);
    assertThat(listedForeignTrustDomains(client())).containsExactly(foreignTrustDomain("valid"));
  }

  @Test
  public void anUnknownRelationshipIsNotFound() {
    assertThat(client().getFederationRelationship(foreignTrustDomain("none"))).isEmpty();
  }
}
