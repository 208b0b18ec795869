package org.spireoperator.spire.testserver;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.spireoperator.spire.Agent;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.FederationRelationship;
import org.spireoperator.spire.ProtoMapping;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireAddress;
import org.spireoperator.spire.SpireCallObserver;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireClientSettings;

/**
 * An in-process SPIRE server API (Entry, Agent, Bundle and TrustDomain services, v1) that answers
 * like a real SPIRE 1.10–1.15 server with an SQL datastore: validation and error codes, "similar"
 * entries, revision numbers, input and output masks, filters with SPIRE's match behaviours,
 * row-ordered listings with the real paging tokens.
 *
 * <p>For tests it adds: direct access to entries, agents and federated bundles (no validation), a
 * log of every call, injected failures and latency, and stopping/restarting on the same in-process
 * name and unix socket.
 *
 * <pre>{@code
 * try (var spire = SpireTestServer.start("example.org")) {
 *   SpireClient client = spire.client();
 *   ...
 *   assertThat(spire.calls("ListEntries")).hasSize(5);
 * }
 * }</pre>
 */
public final class SpireTestServer implements AutoCloseable {

  private final String trustDomain;
  private final ServerSemantics semantics;
  private final EntryStore entries;
  private final AgentStore agents = new AgentStore();
  private final BundleStore bundles;
  private final FederationStore federation;
  private final CallLog callLog = new CallLog();
  private final FaultInjector faults = new FaultInjector();
  private final ServerTransports transports;
  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
  private volatile ManagedChannel sharedChannel;

  private SpireTestServer(String trustDomain, ServerSemantics semantics) {
    String problem = SpiffeId.trustDomainProblem(trustDomain);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    this.trustDomain = trustDomain;
    this.semantics = semantics;
    Clock clock = Clock.systemUTC();
    this.bundles = new BundleStore(trustDomain);
    this.entries = new EntryStore(semantics, bundles::has, clock);
    this.federation = new FederationStore(bundles);
    SpiffeIdRules ids = new SpiffeIdRules(trustDomain);
    this.transports =
        new ServerTransports(
            "spire-test-server-" + UUID.randomUUID(),
            List.of(
                new TestEntryService(entries, ids, semantics, callLog),
                new TestAgentService(agents, ids),
                new TestBundleService(bundles, trustDomain),
                new TestTrustDomainService(federation, trustDomain)),
            new RecordingInterceptor(callLog, faults, clock));
  }

  /** A running server for the trust domain, answering as SPIRE 1.15. */
  public static SpireTestServer start(String trustDomain) {
    return start(trustDomain, ServerSemantics.V1_15);
  }

  public static SpireTestServer start(String trustDomain, ServerSemantics semantics) {
    SpireTestServer server = new SpireTestServer(trustDomain, semantics);
    server.transports.start();
    return server;
  }

  /** Client settings for tests: 5 s deadline, pages of 200, 3 attempts with 1–20 ms backoff. */
  public static SpireClientSettings testSettings() {
    return new SpireClientSettings(
        Duration.ofSeconds(5), 200, 3, Duration.ofMillis(1), Duration.ofMillis(20));
  }

  public String trustDomain() {
    return trustDomain;
  }

  public ServerSemantics semantics() {
    return semantics;
  }

  // ------------------------------------------------------------------ connecting

  /** The in-process name; {@link #channel()} connects to it. */
  public String inProcessName() {
    return transports.inProcessName();
  }

  /** One shared in-process channel (closed with the server). */
  public ManagedChannel channel() {
    ManagedChannel c = sharedChannel;
    if (c == null) {
      synchronized (this) {
        if (sharedChannel == null) {
          sharedChannel = newChannel();
        }
        c = sharedChannel;
      }
    }
    return c;
  }

  /** A new in-process channel (closed with the server). */
  public ManagedChannel newChannel() {
    ManagedChannel c = InProcessChannelBuilder.forName(inProcessName()).build();
    channels.add(c);
    return c;
  }

  /** A client on {@link #channel()} with {@link #testSettings()}. */
  public SpireClient client() {
    return client(testSettings());
  }

  public SpireClient client(SpireClientSettings settings) {
    return new SpireClient(channel(), settings, SpireCallObserver.NONE);
  }

  /**
   * Also serves the API on a unix domain socket at {@code socket} (as the real server's admin
   * socket), now and after every restart. Keep the path short: Linux allows 107 characters.
   */
  public SpireTestServer startOnUnixSocket(Path socket) {
    transports.listenOnUnixSocket(socket);
    return this;
  }

  public Optional<Path> unixSocket() {
    return Optional.ofNullable(transports.socket());
  }

  /** The unix socket address, for {@code SpireChannels.open}. */
  public SpireAddress.Unix unixAddress() {
    return new SpireAddress.Unix(
        unixSocket()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "not listening on a unix socket: call startOnUnixSocket first")));
  }

  // ------------------------------------------------------------------ availability

  /**
   * Stops serving: calls in flight fail, new ones get UNAVAILABLE. Entries and other state are
   * kept.
   */
  public void stop() {
    transports.stop();
  }

  /**
   * Serves again on the same in-process name (and unix socket); channels from this server reconnect
   * at once.
   */
  public void restart() {
    transports.start();
    channels.forEach(ManagedChannel::resetConnectBackoff);
  }

  /** Drops every connection (calls in flight fail) and serves again at once. */
  public void dropConnection() {
    stop();
    restart();
  }

  public boolean isRunning() {
    return transports.isRunning();
  }

  // ------------------------------------------------------------------ faults

  public FaultInjector faults() {
    return faults;
  }

  /**
   * The next {@code n} calls (any method) fail with {@code code}; recorded in the call log all the
   * same.
   */
  public SpireTestServer failNext(int n, Status.Code code) {
    faults.failNext(n, code);
    return this;
  }

  /**
   * The next {@code n} calls of {@code method} (bare name, e.g. "BatchCreateEntry") fail with
   * {@code code}.
   */
  public SpireTestServer failNext(String method, int n, Status.Code code) {
    faults.failNext(method, n, code);
    return this;
  }

  /**
   * Every call waits this long before it is handled (ending early if the caller's deadline passes).
   */
  public SpireTestServer latency(Duration latency) {
    faults.latency(latency);
    return this;
  }

  /**
   * Runs {@code action} once, when the next call of {@code method} (null: any) arrives, before it
   * is handled.
   */
  public SpireTestServer onNext(String method, Runnable action) {
    faults.onNext(method, action);
    return this;
  }

  /**
   * Runs {@code action} on every call of {@code method} (null: any), before it is handled, until
   * {@link #clearFaults}.
   */
  public SpireTestServer onEvery(String method, Runnable action) {
    faults.onEvery(method, action);
    return this;
  }

  public SpireTestServer clearFaults() {
    faults.clear();
    return this;
  }

  // ------------------------------------------------------------------ call log

  public CallLog callLog() {
    return callLog;
  }

  public List<RecordedCall> calls() {
    return callLog.calls();
  }

  public List<RecordedCall> calls(String method) {
    return callLog.calls(method);
  }

  /** BatchCreateEntry, BatchUpdateEntry and BatchDeleteEntry calls. */
  public List<RecordedCall> writeCalls() {
    return callLog.writeCalls();
  }

  /** The IDs of every entry ListEntries answered with since the last {@link #resetCalls}. */
  public List<String> listedEntryIds() {
    return callLog.listedEntryIds();
  }

  public void resetCalls() {
    callLog.reset();
  }

  // ------------------------------------------------------------------ entries, directly

  /** Every entry, in the server's listing order (creation order). */
  public List<Entry> entries() {
    return entries.all().stream().map(ProtoMapping::fromProto).toList();
  }

  public Optional<Entry> entry(String id) {
    return entries.get(id).map(ProtoMapping::fromProto);
  }

  /**
   * Stores the entry exactly as given, without any validation or similarity check (for foreign or
   * pre-existing entries); a new UUID if it has no ID; an entry with the same ID is replaced in
   * place. Returns the stored entry.
   */
  public Entry put(Entry entry) {
    return ProtoMapping.fromProto(entries.put(DomainProtos.stored(entry)));
  }

  public boolean remove(String id) {
    return entries.remove(id);
  }

  public void clearEntries() {
    entries.clear();
  }

  // ------------------------------------------------------------------ agents, directly

  /** Adds (or replaces, by SPIFFE ID) an attested agent. */
  public Agent addAgent(Agent agent) {
    String serial = Long.toString(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
    return ProtoMapping.fromProto(agents.put(DomainProtos.toProto(agent, serial)));
  }

  /**
   * Adds an agent as SPIRE's {@code k8s_sat} node attestor registers one: ID {@code
   * spiffe://<td>/spire/agent/k8s_sat/<cluster>/<random UUID>}, selectors {@code
   * k8s_sat:cluster:<cluster>}, {@code k8s_sat:agent_ns:<namespace>}, {@code
   * k8s_sat:agent_sa:<serviceAccount>}, SVID valid for an hour, no re-attestation.
   */
  public Agent addK8sSatAgent(String cluster, String namespace, String serviceAccount) {
    SpiffeId id =
        new SpiffeId(trustDomain, "/spire/agent/k8s_sat/" + cluster + "/" + UUID.randomUUID());
    List<Selector> selectors =
        List.of(
            new Selector("k8s_sat", "cluster:" + cluster),
            new Selector("k8s_sat", "agent_ns:" + namespace),
            new Selector("k8s_sat", "agent_sa:" + serviceAccount));
    long expiresAt = System.currentTimeMillis() / 1000 + TimeUnit.HOURS.toSeconds(1);
    return addAgent(new Agent(id, "k8s_sat", new TreeSet<>(selectors), false, expiresAt, false));
  }

  public List<Agent> agents() {
    return agents.all().stream().map(ProtoMapping::fromProto).toList();
  }

  public boolean removeAgent(SpiffeId id) {
    return agents.remove(id.toString());
  }

  // ------------------------------------------------------------------ federation

  /** Adds a federated bundle: {@code federates_with} may then name this trust domain. */
  public SpireTestServer addFederatedBundle(String trustDomain) {
    String problem = SpiffeId.trustDomainProblem(trustDomain);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    bundles.add(trustDomain);
    return this;
  }

  public boolean removeFederatedBundle(String trustDomain) {
    return bundles.remove(trustDomain);
  }

  /** Trust domains with a federated bundle, in the order they were added. */
  public List<String> federatedTrustDomains() {
    return bundles.federated();
  }

  /** Every federation relationship, in creation order, each with its trust domain's bundle. */
  public List<FederationRelationship> federationRelationships() {
    return federation.all().stream().map(ProtoMapping::fromProto).toList();
  }

  public Optional<FederationRelationship> federationRelationship(String trustDomain) {
    return Optional.ofNullable(federation.get(trustDomain)).map(ProtoMapping::fromProto);
  }

  /**
   * Stores a relationship as given, without any check (one made with the CLI or the server's
   * configuration, for instance), replacing one with the same trust domain.
   */
  public SpireTestServer putFederationRelationship(FederationRelationship relationship) {
    federation.put(ProtoMapping.toProto(relationship));
    return this;
  }

  public boolean removeFederationRelationship(String trustDomain) {
    return federation.delete(trustDomain);
  }

  // ------------------------------------------------------------------ lifecycle

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    transports.stop();
  }
}
