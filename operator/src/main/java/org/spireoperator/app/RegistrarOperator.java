package org.spireoperator.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.crd.TenantRules;
import org.spireoperator.k8s.InformerClusterView;
import org.spireoperator.k8s.KubernetesEvents;
import org.spireoperator.k8s.NodeController;
import org.spireoperator.k8s.PodController;
import org.spireoperator.k8s.PodMirror;
import org.spireoperator.k8s.SpiffeIdController;
import org.spireoperator.observe.CompositeEvents;
import org.spireoperator.observe.RegistrarMetrics;
import org.spireoperator.reconcile.AgentDirectory;
import org.spireoperator.reconcile.EntryWriter;
import org.spireoperator.reconcile.OwnedEntries;
import org.spireoperator.reconcile.PassScheduler;
import org.spireoperator.reconcile.Registrar;
import org.spireoperator.reconcile.RegistrarEvents;
import org.spireoperator.reconcile.SpiffeIdSync;
import org.spireoperator.registration.NodeEntries;
import org.spireoperator.registration.ParentMode;
import org.spireoperator.registration.PodSink;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.spire.SpireClient;

/**
 * The assembled operator: JOSDK controllers for Pods and Nodes over one {@link Registrar}, the
 * full-pass schedule, leader election and the agent directory. Only the leader writes; followers
 * keep their informer caches warm.
 */
public final class RegistrarOperator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RegistrarOperator.class);

  private final KubernetesClient client;
  private final SpireClient spire;
  private final RegistrationSettings settings;
  private final OperatorOptions options;
  private final RegistrarMetrics metrics;
  private final InformerClusterView view;
  private final EntryWriter writer;
  private final Registrar registrar;
  private final PassScheduler passes;
  private final AgentDirectory agents;
  private final Operator operator;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();

  public RegistrarOperator(
      KubernetesClient client,
      SpireClient spire,
      RegistrationSettings settings,
      OperatorOptions options,
      RegistrarMetrics metrics,
      TenantRules spiffeIdRules) {
    this.client = client;
    this.spire = spire;
    this.settings = settings;
    this.options = options;
    this.metrics = metrics;
    this.view = new InformerClusterView(options.agentPods());
    this.writer = new EntryWriter(spire, options.batchSize(), options.writeConcurrency());
    this.agents = new AgentDirectory(settings, spire, view);
    String eventNamespace =
        options.leaderElection() != null ? options.leaderElection().namespace() : "default";
    RegistrarEvents events =
        new CompositeEvents(
            List.of(
                metrics,
                new KubernetesEvents(client, view, "spire-k8s-registrar", eventNamespace)));
    OwnedEntries owned = new OwnedEntries();
    SpiffeIdController spiffeIds =
        new SpiffeIdController(
            new SpiffeIdSync(spire, writer),
            spiffeIdRules,
            view,
            new NodeEntries(settings),
            client,
            metrics);
    this.registrar =
        new Registrar(
            settings, view, spire, writer, owned, agents, events, spiffeIds.claimedEntries());
    PodMirror mirror =
        settings.podSink() == PodSink.SPIFFEID_MIRROR
            ? new PodMirror(client, registrar.desiredState(), view)
            : null;
    this.passes =
        new PassScheduler(
            registrar,
            options.resyncPeriod(),
            view::isSynced,
            mirror == null
                ? () -> {}
                : () -> {
                  view.pods().forEach(p -> mirror.reconcile(p.key()));
                  mirror.collect();
                });
    metrics.gauge(
        "spire_registrar_entries_owned",
        "Entries this operator owns in SPIRE",
        owned::podEntryCount,
        "kind",
        "pod");
    metrics.gauge(
        "spire_registrar_entries_owned",
        "Entries this operator owns in SPIRE",
        owned::nodeEntryCount,
        "kind",
        "node");
    metrics.gauge(
        "spire_registrar_indistinguishable_nodes",
        "Nodes whose entry selects the same agents as another node's",
        registrar::indistinguishableNodeCount);
    metrics.gauge(
        "spire_registrar_write_queue_depth", "Entry writes waiting for a batch", writer::pending);
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withConcurrentReconciliationThreads(options.reconcileThreads())
                  .withMetrics(
                      io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics
                          .withoutPerResourceMetrics(metrics.registry()));
              if (options.leaderElection() != null) {
                var le = options.leaderElection();
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        le.name(),
                        le.namespace(),
                        le.leaseDuration(),
                        le.renewDeadline(),
                        le.retryPeriod(),
                        le.identity(),
                        new LeaderCallbacks(
                            this::onStartLeading,
                            this::onStopLeading,
                            leader ->
                                log.atInfo().addKeyValue("leader", leader).log("leader observed")),
                        false));
              }
            });
    GenericRetry retry =
        new GenericRetry()
            .setMaxAttempts(12)
            .setInitialInterval(500)
            .setIntervalMultiplier(2)
            .setMaxInterval(60_000);
    operator.register(
        new PodController(registrar, view, settings.needsEndpoints(), metrics, mirror),
        o -> o.withRetry(retry));
    operator.register(new NodeController(registrar, view, metrics), o -> o.withRetry(retry));
    operator.register(
        spiffeIds, o -> o.withRetry(retry).withReconciliationMaxInterval(options.resyncPeriod()));
  }

  /** The JOSDK operator, to register further controllers (SpiffeID) before {@link #start()}. */
  public Operator operator() {
    return operator;
  }

  public Registrar registrar() {
    return registrar;
  }

  public InformerClusterView view() {
    return view;
  }

  public PassScheduler passes() {
    return passes;
  }

  public boolean isLeading() {
    return leading.get();
  }

  /**
   * Starts informers (waiting for their first listing) and, without leader election, writing at
   * once.
   */
  public void start() {
    operator.start();
    started.set(true);
    if (options.leaderElection() == null) {
      onStartLeading();
    }
  }

  private void onStartLeading() {
    leading.set(true);
    metrics.setLeader(true);
    log.atInfo()
        .addKeyValue(
            "identity", options.leaderElection() == null ? "" : options.leaderElection().identity())
        .log("leading: writing to SPIRE");
    passes.start();
    if (settings.parentMode() == ParentMode.AGENT) {
      log.atInfo().log(
          "parent_mode agent: pod entries are parented to the agents attested on their nodes");
    }
  }

  private void onStopLeading() {
    leading.set(false);
    metrics.setLeader(false);
    passes.stop();
    if (closing.get()) {
      log.atInfo().log("shutting down: stopped writing to SPIRE");
    } else {
      log.atWarn().log("lost leadership: stopped writing to SPIRE");
    }
    // Exit on a lost lease (a restarted replica campaigns afresh), but not when leadership ends
    // because we are
    // shutting down: JOSDK's own exit would call System.exit inside the shutdown hook and hang the
    // JVM.
    if (options.exitOnStopLeading() && !closing.get()) {
      Thread exit = new Thread(() -> System.exit(1), "exit-on-lost-leadership");
      exit.start();
    }
  }

  /** Live: the process works. */
  public boolean isLive() {
    return true;
  }

  /** Ready: caches synced and SPIRE reachable. */
  public boolean isReady() {
    return started.get() && view.isSynced() && spire.isReachable();
  }

  @Override
  public void close() {
    closing.set(true);
    boolean wasLeading = leading.get();
    passes.close();
    operator.stop();
    writer.close();
    if (options.leaderElection() != null && wasLeading) {
      LeaseRelease.release(client, options.leaderElection());
    }
  }
}
