package org.spireoperator.reconcile;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.crd.SpiffeIDSelector;
import org.spireoperator.crd.SpiffeIDSpec;
import org.spireoperator.crd.SpiffeIdRules;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.Diagnostic;
import org.spireoperator.registration.EntryIds;
import org.spireoperator.registration.ParentMode;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireClientSettings;
import org.spireoperator.spire.testserver.SpireTestServer;
import org.spireoperator.testing.InMemoryCluster;
import org.spireoperator.testing.OperatorFixture;

/**
 * The engine's parts wired as {@link Registrar} wires them, over an {@link InMemoryCluster} and the
 * in-process SPIRE test server, each part within the test's reach. The write workers ({@link
 * SubjectSync}) exist only once {@link #writers} is called; until the queue is opened (by the first
 * full pass) they take nothing, so a test may drive {@link SubjectSync#process} itself.
 */
final class TestEngine implements AutoCloseable {

  static final String NODE_1 = "node-1";
  static final String NODE_2 = "node-2";

  final RegistrationSettings settings;
  final EntryIds ids = OperatorFixture.ids();
  final InMemoryCluster cluster = new InMemoryCluster();
  final SpireTestServer spire = SpireTestServer.start(OperatorFixture.TRUST_DOMAIN);

  /** One attempt per call, as the operator runs: the engine owns every retry. */
  final SpireClient client =
      spire.client(SpireClientSettings.defaults().withTimeout(Duration.ofSeconds(5)));

  final SubjectQueue queue;
  final OwnedEntries owned = new OwnedEntries();
  final SubjectOutcomes outcomes = new SubjectOutcomes();
  final NodeOverlap overlap = new NodeOverlap();
  final List<Diagnostic> diagnostics = new CopyOnWriteArrayList<>();
  final List<String> wrote = new CopyOnWriteArrayList<>();
  final AtomicInteger passes = new AtomicInteger();
  final EngineEvents events =
      new EngineEvents() {
        @Override
        public void wrote(Subject subject, int created, int updated, int deleted) {
          wrote.add(subject + " +" + created + " ~" + updated + " -" + deleted);
        }

        @Override
        public void passCompleted(PassReport report) {
          passes.incrementAndGet();
        }
      };
  final AgentDirectory agents;
  final DesiredState desiredState;
  final Ownership ownership;
  final EntryWriter writer;
  final FullPass pass;
  private SubjectSync sync;

  TestEngine() {
    this(OperatorFixture.unconfined(), Clock.systemUTC());
  }

  TestEngine(RegistrationSettings settings, Clock clock) {
    this.settings = settings;
    this.queue = new SubjectQueue(clock);
    this.agents = new AgentDirectory(settings, client, cluster);
    this.desiredState =
        new DesiredState(
            settings,
            cluster,
            settings.parentMode() == ParentMode.AGENT ? agents : null,
            new SpiffeIdRules(settings.tenant(), settings.operatorIdRoot()));
    this.ownership = Ownership.of(settings, ids, desiredState.nodeEntries(), cluster);
    this.writer = new EntryWriter(client, 50);
    this.pass =
        new FullPass(
            settings,
            cluster,
            desiredState,
            ownership,
            owned,
            queue,
            client,
            agents,
            overlap,
            diagnostics::add,
            events);
  }

  /** A backoff of exactly half of {@code delay}'s doubling cap: no jitter. */
  static RetryBackoff fixedBackoff(Duration delay) {
    RandomGenerator noJitter =
        new RandomGenerator() {
          @Override
          public long nextLong() {
            return 0;
          }

          @Override
          public long nextLong(long bound) {
            return 0;
          }
        };
    return new RetryBackoff(delay.multipliedBy(2), delay.multipliedBy(2), noJitter);
  }

  /** Write workers with short backoffs that probe the server itself; SpiffeIDs are tracked. */
  SubjectSync writers() {
    return writers(
        fixedBackoff(Duration.ofMillis(100)), client::isReachable, SpiffeIdKey.class::isInstance);
  }

  SubjectSync writers(
      RetryBackoff backoff, BooleanSupplier spireAnswers, Predicate<Subject> tracked) {
    if (sync != null) {
      throw new IllegalStateException("writers already started");
    }
    sync =
        new SubjectSync(
            queue,
            desiredState,
            owned,
            writer,
            ownership,
            outcomes,
            tracked,
            diagnostics::add,
            events,
            backoff,
            overlap,
            spireAnswers,
            client::getEntry,
            50,
            2);
    return sync;
  }

  /**
   * A whole engine over this one's cluster, server and settings (its own index, queue and two
   * writers with 100 ms backoffs), judging as far as {@code caches} have listed.
   */
  Registrar registrar(CacheSync caches) {
    return new Registrar(
        settings,
        ids,
        desiredState,
        cluster,
        client,
        agents,
        diagnostics::add,
        events,
        new Registrar.Tuning(50, 2, Duration.ofHours(1), fixedBackoff(Duration.ofMillis(100))),
        caches,
        () -> {});
  }

  /** The read-only commands over this engine's parts. */
  Planner planner() {
    return new Planner(settings, cluster, client, desiredState, ownership, agents);
  }

  /** Runs a full pass and waits until the workers have written what it queued. */
  PassReport converge() {
    PassReport report = pass.run();
    awaitIdle();
    return report;
  }

  void awaitIdle() {
    await("the engine is idle").atMost(Duration.ofSeconds(20)).until(queue::isIdle);
  }

  /** The entry the cluster wants for {@code subject}, under the ID the operator gives it. */
  Entry wanted(Subject subject) {
    Desired desired = desiredState.decide(subject).desired();
    if (!(desired instanceof Desired.Wanted w)) {
      throw new IllegalStateException(subject + " wants no entry: " + desired);
    }
    return w.entry().withId(ids.idFor(subject));
  }

  /** The server's entry with {@code subject}'s marked ID, if any. */
  Optional<Entry> markedEntryOf(Subject subject) {
    return spire.entry(ids.idFor(subject));
  }

  /** A SpiffeID in {@code namespace} for {@code spiffe://example.org/ns/<ns>/sa/<sa>} on a node. */
  SpiffeID spiffeId(String namespace, String name, String sa, String node) {
    return spiffeId(namespace, name, sa, desiredState.nodeEntries().idFor(node));
  }

  /** A SpiffeID in {@code namespace} for {@code spiffe://example.org/ns/<ns>/sa/<sa>}. */
  SpiffeID spiffeId(String namespace, String name, String sa, SpiffeId parent) {
    SpiffeIDSelector selector = new SpiffeIDSelector();
    selector.setNamespace(namespace);
    selector.setServiceAccount(sa);
    SpiffeIDSpec spec = new SpiffeIDSpec();
    spec.setSpiffeId("spiffe://example.org/ns/" + namespace + "/sa/" + sa);
    spec.setParentId(parent.toString());
    spec.setSelector(selector);
    SpiffeID resource = new SpiffeID();
    resource.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(namespace)
            .withName(name)
            .withUid(UUID.randomUUID().toString())
            .build());
    resource.setSpec(spec);
    return cluster.spiffeId(resource);
  }

  @Override
  public void close() {
    if (sync != null) {
      sync.close();
    }
    queue.close();
    spire.close();
  }
}
