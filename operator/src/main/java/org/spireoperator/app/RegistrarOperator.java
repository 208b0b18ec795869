package org.spireoperator.app;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.controller.ControllerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.crd.SpiffeIdRules;
import org.spireoperator.k8s.ClusterSpiffeIdController;
import org.spireoperator.k8s.ClusterStaticEntryController;
import org.spireoperator.k8s.EventWriter;
import org.spireoperator.k8s.FirstListing;
import org.spireoperator.k8s.InformerClusterView;
import org.spireoperator.k8s.NamespaceController;
import org.spireoperator.k8s.NodeController;
import org.spireoperator.k8s.PodController;
import org.spireoperator.k8s.PodMirror;
import org.spireoperator.k8s.PrunedStore;
import org.spireoperator.k8s.SpiffeIdController;
import org.spireoperator.observe.RegistrarMetrics;
import org.spireoperator.reconcile.AgentDirectory;
import org.spireoperator.reconcile.DesiredState;
import org.spireoperator.reconcile.Registrar;
import org.spireoperator.reconcile.RetryBackoff;
import org.spireoperator.reconcile.ScmReports;
import org.spireoperator.registration.EntryIds;
import org.spireoperator.registration.ParentMode;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodSink;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.scm.federation.ClusterFederatedTrustDomainReconciler;
import org.spireoperator.spire.SpireClient;

/**
 * The assembled operator: JOSDK controllers for Pods, Nodes and SpiffeIDs that queue their objects
 * for one {@link Registrar} (the engine), one Event writer, leader election. Only the leader
 * writes; followers keep their informer caches warm.
 */
public final class RegistrarOperator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RegistrarOperator.class);

  /** Items per page of the Pod and Node informers' lists (client-go's reflectors use 500 too). */
  static final long INFORMER_LIST_PAGE = 500;

  /** A write batch this long in flight means the writer is wedged (liveness fails). */
  static final Duration WEDGED_WRITE = Duration.ofMinutes(5);

  /** A full pass this long means it is stuck (liveness fails). */
  static final Duration STUCK_PASS = Duration.ofMinutes(15);

  private final KubernetesClient client;
  private final SpireClient spire;
  private final RegistrationSettings settings;
  private final OperatorOptions options;
  private final RegistrarMetrics metrics;
  private final InformerClusterView view;
  private final EventWriter events;
  private final Registrar registrar;
  private final Operator operator;
  private final java.util.List<io.javaoperatorsdk.operator.RegisteredController<?>> controllers =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();

  public RegistrarOperator(
      KubernetesClient client,
      SpireClient spire,
      RegistrationSettings settings,
      EntryIds ids,
      OperatorOptions options,
      RegistrarMetrics metrics) {
    this.client = client;
    this.spire = spire;
    this.settings = settings;
    this.options = options;
    this.metrics = metrics;
    this.view = new InformerClusterView(options.agentPods());
    String eventNamespace =
        options.leaderElection() != null ? options.leaderElection().namespace() : "default";
    this.events = new EventWriter(client, view::referenceOf, "spire-k8s-registrar", eventNamespace);
    AgentDirectory agents = new AgentDirectory(settings, spire, view);
    DesiredState desiredState =
        new DesiredState(
            settings,
            view,
            settings.parentMode() == ParentMode.AGENT ? agents : null,
            new SpiffeIdRules(settings.tenant(), settings.operatorIdRoot()));
    PodMirror mirror =
        settings.podSink() == PodSink.SPIFFEID_MIRROR
            ? new PodMirror(client, desiredState, view)
            : null;
    this.registrar =
        new Registrar(
            settings,
            ids,
            desiredState,
            view,
            spire,
            agents,
            events,
            metrics,
            new Registrar.Tuning(
                options.batchSize(),
                options.writeConcurrency(),
                options.resyncPeriod(),
                RetryBackoff.defaults()),
            new org.spireoperator.reconcile.CacheSync() {
              @Override
              public boolean synced() {
                return cachesSynced();
              }

              @Override
              public boolean allButPodsSynced() {
                return cachesSyncedButPods();
              }
            },
            () -> {
              if (mirror != null) {
                view.pods().forEach(p -> mirror.reconcile(p.key()));
                mirror.collect();
              }
            });
    metrics.gauge(
        "spire_registrar_entries_owned",
        "Entries this operator owns in SPIRE",
        () -> registrar.owned().count("pod"),
        "kind",
        "pod");
    metrics.gauge(
        "spire_registrar_entries_owned",
        "Entries this operator owns in SPIRE",
        () -> registrar.owned().count("node"),
        "kind",
        "node");
    metrics.gauge(
        "spire_registrar_entries_owned",
        "Entries this operator owns in SPIRE",
        () -> registrar.owned().count("spiffeid"),
        "kind",
        "spiffeid");
    metrics.gauge(
        "spire_registrar_indistinguishable_nodes",
        "Nodes whose entry selects the same agents as another node's",
        () -> registrar.overlap().sharingNodes());
    metrics.gauge(
        "spire_registrar_write_queue_depth",
        "Objects queued, waiting out a backoff or being written",
        () -> registrar.queue().depth());
    metrics.gauge(
        "spire_registrar_events_dropped",
        "Kubernetes Events not posted because the Event queue was full",
        events::dropped);
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withResourceCloner(
                      new ReadOnlyPrimaries(client.getKubernetesSerialization()::clone))
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
    // Reconcilers only queue work and never call SPIRE, so this retry covers Kubernetes API calls
    // (status patches, crd mode's mirrors) only; SPIRE writes are retried by the engine alone.
    GenericRetry retry =
        new GenericRetry()
            .setMaxAttempts(8)
            .setInitialInterval(500)
            .setIntervalMultiplier(2)
            .setMaxInterval(30_000);
    // ClusterSPIFFEIDs' autoPopulateDNSNames reads the Services reaching a pod, as the registrar's
    // add_pod_dns_names does.
    boolean slices = settings.needsEndpoints() || (settings.scm().enabled() && served(client));
    // Listed a page at a time: a (re)start or relist of a large cluster never holds every Pod at
    // once as the API server sends it (17 KB for a Deployment's pod, 2.5 KB once pruned). No timer
    // and no rate-limit state per Pod or Node: the full pass is the periodic safety net, and a
    // reconcile only queues.
    // The pods of the first listing are decided by the first full pass (and, on an empty server,
    // queued as they are stored): their add events reconcile nothing. crd mode's mirrors are
    // written by reconciles, so there every add reconciles.
    FirstListing firstListing =
        mirror == null ? new FirstListing(this::podInformerListed) : new FirstListing(() -> true);
    register(
        new PodController(registrar, view, slices, metrics, mirror),
        o ->
            o.withRetry(retry)
                .withItemStore(
                    PrunedStore.pods(
                        p -> {
                          firstListing.stored(p);
                          registrar.podListed(
                              new PodKey(
                                  p.getMetadata().getNamespace(), p.getMetadata().getName()));
                        }))
                .withOnAddFilter(firstListing)
                .withInformerListLimit(INFORMER_LIST_PAGE)
                .withReconciliationMaxInterval(null)
                .withRateLimiter(new NoRateLimit()));
    register(
        new NodeController(registrar, view),
        o ->
            o.withRetry(retry)
                .withItemStore(PrunedStore.nodes())
                .withInformerListLimit(INFORMER_LIST_PAGE)
                .withReconciliationMaxInterval(null)
                .withRateLimiter(new NoRateLimit()));
    if (settings.scm().alone()) {
      view.withoutSpiffeIds();
    } else {
      register(new SpiffeIdController(registrar, ids, view), o -> o.withRetry(retry));
    }
    if (settings.scm().enabled()) {
      registerScm(client, spire, settings, options, retry);
    }
  }

  /**
   * spire-controller-manager's API: ClusterSPIFFEIDs and ClusterStaticEntries feed the engine,
   * Namespaces their selectors, ClusterFederatedTrustDomains SPIRE's federation relationships.
   * Skipped, with one line saying so, when the API server does not serve the CRDs.
   */
  private void registerScm(
      KubernetesClient client,
      SpireClient spire,
      RegistrationSettings settings,
      OperatorOptions options,
      GenericRetry retry) {
    if (!served(client)) {
      log.atWarn()
          .log(
              "the API server does not serve spire.spiffe.io/v1alpha1 (ClusterSPIFFEID,"
                  + " ClusterStaticEntry, ClusterFederatedTrustDomain): not watching them; install"
                  + " their CRDs from crds/ and restart, or set cluster_spiffeids { enabled = false }");
      return;
    }
    ScmReports reports = new ScmReports(settings.scm(), view, registrar.outcomes());
    java.time.Clock clock = java.time.Clock.systemUTC();
    register(
        new ClusterSpiffeIdController(registrar, reports, view, clock), o -> o.withRetry(retry));
    register(
        new ClusterStaticEntryController(registrar, reports, view, clock), o -> o.withRetry(retry));
    register(new NamespaceController(registrar, view), o -> o.withRetry(retry));
    ClusterFederatedTrustDomainReconciler federation =
        new ClusterFederatedTrustDomainReconciler(
            spire,
            settings.trustDomain(),
            settings.scm().settings().classRule(),
            options.resyncPeriod(),
            Duration.ofSeconds(10),
            clock);
    register(federation, o -> o.withRetry(retry).withGenericFilter(federation.eventFilter()));
  }

  private static boolean served(KubernetesClient client) {
    try {
      return client.supports(org.spireoperator.scm.crd.ClusterSPIFFEID.class);
    } catch (RuntimeException e) {
      log.atWarn().log("cannot ask the API server which APIs it serves: " + e.getMessage());
      return false;
    }
  }

  /**
   * True once every informer of every controller has its first listing: no full pass (hence no
   * decision about any object) runs from a cold cache, where an empty node set would make every
   * node-parented SpiffeID look forbidden.
   */
  public boolean cachesSynced() {
    if (!started.get()) {
      return false;
    }
    for (io.javaoperatorsdk.operator.RegisteredController<?> controller :
        operator.getRuntimeInfo().getRegisteredControllers()) {
      for (io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator<?> source :
          controller.getControllerHealthInfo().informerEventSourceHealthIndicators().values()) {
        for (io.javaoperatorsdk.operator.health.InformerHealthIndicator informer :
            source.informerHealthIndicators().values()) {
          if (!informer.hasSynced()) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** Registers a controller with JOSDK and keeps it, to ask its informers how far they listed. */
  private <P extends io.fabric8.kubernetes.api.model.HasMetadata> void register(
      io.javaoperatorsdk.operator.api.reconciler.Reconciler<P> reconciler,
      java.util.function.Consumer<
              io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider<P>>
          overrider) {
    controllers.add(operator.register(reconciler, overrider));
  }

  /**
   * True once every informer but the Pod controller's own has its first listing (the Pods' may
   * still be listing): enough to judge a pod already in the cache, while no orphan is judged.
   */
  boolean cachesSyncedButPods() {
    for (io.javaoperatorsdk.operator.RegisteredController<?> controller : controllers) {
      boolean pods = controller.getConfiguration().getResourceClass() == Pod.class;
      var sources = controller.getControllerHealthInfo().informerEventSourceHealthIndicators();
      if (sources.isEmpty()) {
        return false; // its event sources are not made yet
      }
      for (io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator<?> source :
          sources.values()) {
        if (pods && source instanceof ControllerEventSource<?>) {
          continue;
        }
        // Not started (its informers not even made) until JOSDK's start reaches it.
        if (!(source instanceof AbstractEventSource<?, ?> running && running.isRunning())) {
          return false;
        }
        for (io.javaoperatorsdk.operator.health.InformerHealthIndicator informer :
            source.informerHealthIndicators().values()) {
          if (!informer.hasSynced()) {
            return false;
          }
        }
      }
    }
    return !controllers.isEmpty();
  }

  /**
   * True once the Pod controller's own informer has its first listing, and whenever that cannot be
   * told (its event source not found): {@link FirstListing} then skips nothing.
   */
  boolean podInformerListed() {
    for (io.javaoperatorsdk.operator.RegisteredController<?> controller : controllers) {
      if (controller.getConfiguration().getResourceClass() != Pod.class) {
        continue;
      }
      for (io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator<?> source :
          controller.getControllerHealthInfo().informerEventSourceHealthIndicators().values()) {
        if (source instanceof ControllerEventSource<?>) {
          for (io.javaoperatorsdk.operator.health.InformerHealthIndicator informer :
              source.informerHealthIndicators().values()) {
            if (!informer.hasSynced()) {
              return false;
            }
          }
        }
      }
    }
    return true;
  }

  public Registrar registrar() {
    return registrar;
  }

  /** How JOSDK copies a resource before its reconciler sees it (for tests). */
  io.javaoperatorsdk.operator.api.config.Cloner resourceCloner() {
    return operator.getConfigurationService().getResourceCloner();
  }

  /** How each registered controller is configured, by controller name (for tests). */
  java.util.Map<String, io.javaoperatorsdk.operator.api.config.ControllerConfiguration<?>>
      controllerConfigurations() {
    java.util.Map<String, io.javaoperatorsdk.operator.api.config.ControllerConfiguration<?>> out =
        new java.util.TreeMap<>();
    operator
        .getRegisteredControllers()
        .forEach(c -> out.put(c.getConfiguration().getName(), c.getConfiguration()));
    return java.util.Collections.unmodifiableMap(out);
  }

  public boolean isLeading() {
    return leading.get();
  }

  /**
   * Starts informers (waiting for their first listing) and, without leader election, the engine at
   * once: it judges nothing before the informers have listed, except, on a server that holds
   * nothing of ours, the pods already listed (see {@code EmptyServerStart}).
   */
  public void start() {
    long begin = System.nanoTime();
    if (options.leaderElection() == null) {
      onStartLeading();
    }
    operator.start();
    started.set(true);
    log.atInfo()
        .addKeyValue("tookMs", (System.nanoTime() - begin) / 1_000_000)
        .addKeyValue(
            "sinceProcessStartMs",
            java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime())
        .log("informers started and synced");
  }

  private void onStartLeading() {
    leading.set(true);
    metrics.setLeader(true);
    log.atInfo()
        .addKeyValue(
            "identity", options.leaderElection() == null ? "" : options.leaderElection().identity())
        .log("leading: writing to SPIRE");
    registrar.resume();
    if (settings.parentMode() == ParentMode.AGENT) {
      log.atInfo().log(
          "parent_mode agent: pod entries are parented to the agents attested on their nodes");
    }
  }

  private void onStopLeading() {
    leading.set(false);
    metrics.setLeader(false);
    registrar.suspend();
    if (closing.get()) {
      log.atInfo().log("shutting down: stopped writing to SPIRE");
    } else {
      log.atWarn().log("lost leadership: stopped writing to SPIRE");
    }
    // Exit on a lost lease (a restarted replica campaigns afresh), but not when leadership ends
    // because we are shutting down: JOSDK's own exit would call System.exit inside the shutdown
    // hook and hang the JVM.
    if (options.exitOnStopLeading() && !closing.get()) {
      Thread exit = new Thread(() -> System.exit(1), "exit-on-lost-leadership");
      exit.start();
    }
  }

  /**
   * Live: the informers are healthy, no write batch has been in flight for {@link #WEDGED_WRITE}
   * and no full pass has run for {@link #STUCK_PASS}. Empty when live, else why not.
   */
  public java.util.Optional<String> livenessProblem() {
    if (started.get() && !operator.getRuntimeInfo().allEventSourcesAreHealthy()) {
      return java.util.Optional.of(
          "informers unhealthy: " + operator.getRuntimeInfo().unhealthyEventSources().keySet());
    }
    Duration write = registrar.queue().longestProcessing();
    if (write.compareTo(WEDGED_WRITE) > 0) {
      return java.util.Optional.of("a SPIRE write has been in flight for " + write);
    }
    Duration pass = registrar.passes().running();
    if (pass.compareTo(STUCK_PASS) > 0) {
      return java.util.Optional.of("the full pass has been running for " + pass);
    }
    return java.util.Optional.empty();
  }

  public boolean isLive() {
    return livenessProblem().isEmpty();
  }

  /** Ready: caches synced and SPIRE reachable. */
  public boolean isReady() {
    return started.get() && view.isSynced() && spire.isReachable();
  }

  @Override
  public void close() {
    closing.set(true);
    boolean wasLeading = leading.get();
    registrar.suspend();
    operator.stop();
    registrar.close();
    events.close();
    if (options.leaderElection() != null && wasLeading) {
      LeaseRelease.release(client, options.leaderElection());
    }
  }
}
