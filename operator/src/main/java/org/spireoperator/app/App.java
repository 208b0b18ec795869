package org.spireoperator.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.config.AdmissionWebhook;
import org.spireoperator.config.ConfigException;
import org.spireoperator.config.ConfigLoader;
import org.spireoperator.config.ControllerManagerFlags;
import org.spireoperator.config.Mode;
import org.spireoperator.config.Observability;
import org.spireoperator.config.RegistrarConfig;
import org.spireoperator.config.SpiffeIdWebhook;
import org.spireoperator.config.StartupFiles;
import org.spireoperator.k8s.SnapshotClusterView;
import org.spireoperator.observe.HttpEndpoints;
import org.spireoperator.observe.RegistrarMetrics;
import org.spireoperator.reconcile.AgentDirectory;
import org.spireoperator.reconcile.DesiredState;
import org.spireoperator.reconcile.EntryDiff;
import org.spireoperator.reconcile.Ownership;
import org.spireoperator.reconcile.Plan;
import org.spireoperator.reconcile.Planner;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.SpireChannels;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireException;
import org.spireoperator.webhook.AdmissionEndpoint;

/** Wires the parts together for the command line's run, plan and explain. */
public final class App {

  private static final Logger log = LoggerFactory.getLogger(App.class);

  private App() {}

  /** Runs until terminated; returns the exit code. */
  public static int run(Path configPath) {
    return run(configPath, ControllerManagerFlags.NONE);
  }

  /**
   * Runs until terminated; returns the exit code.
   *
   * @param flags spire-controller-manager's flags, for its configuration file
   */
  public static int run(Path configPath, ControllerManagerFlags flags) {
    RegistrarConfig config = load(configPath, flags);
    if (config == null) {
      return 2;
    }
    try {
      StartupFiles.check(config, configPath.toString());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    Observability observability = config.observability();
    LoggingSetup.apply(
        observability.logLevel(), observability.logFormat(), observability.logPath());
    config
        .warnings()
        .forEach(w -> log.atWarn().addKeyValue("config", configPath.toString()).log(w));
    if (config.mode() == Mode.WEBHOOK) {
      log.atWarn()
          .log(
              "mode \"webhook\" is accepted for migration and runs the reconcile engine; its admission "
                  + "endpoint never blocks pods. mode = \"reconcile\" is recommended");
    }
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RegistrarMetrics metrics = new RegistrarMetrics(prometheus);
    SpireChannels.Connection connection;
    try {
      connection = openSpire(config);
    } catch (Exception e) {
      System.err.println(
          configPath
              + ": cannot connect to the SPIRE server at "
              + config.spire().serverAddress()
              + ": "
              + e.getMessage());
      return 1;
    }
    SpireClient spire =
        new SpireClient(connection.channel(), ConfigMapping.spireClient(config), metrics);
    SpireFirstContact.start(spire, config.spire().serverAddress());
    KubernetesClient client = ApiServerHttpClients.client();
    String identity = identity();
    RegistrarOperator operator =
        new RegistrarOperator(
            client,
            spire,
            ConfigMapping.registration(config),
            ConfigMapping.entryIds(config),
            ConfigMapping.options(config, identity),
            metrics);
    BooleanSupplier ready = cached(operator::isReady, Duration.ofSeconds(5));
    HttpEndpoints endpoints;
    try {
      endpoints =
          new HttpEndpoints(
              observability.healthAddr(),
              config.effectiveMetricsAddr(),
              operator::isLive,
              ready,
              prometheus);
    } catch (Exception e) {
      System.err.println(
          configPath
              + ": cannot listen on health_addr "
              + observability.healthAddr()
              + " or metrics "
              + config.effectiveMetricsAddr()
              + ": "
              + e.getMessage());
      return 1;
    }
    AdmissionEndpoint admission = null;
    if (config.mode() == Mode.WEBHOOK) {
      AdmissionWebhook webhook = config.admissionWebhook();
      try {
        admission =
            new AdmissionEndpoint(
                HttpEndpoints.parse(webhook.addr()),
                Path.of(webhook.certPath()),
                Path.of(webhook.keyPath()),
                webhook.insecureSkipClientVerification() ? null : Path.of(webhook.cacertPath()),
                AdmissionEndpoint.ALLOW);
      } catch (Exception e) {
        System.err.println(
            configPath
                + ": webhook mode: cannot serve HTTPS on addr "
                + webhook.addr()
                + " with cert_path/key_path/cacert_path: "
                + e.getMessage());
        return 1;
      }
    }
    SpiffeIdWebhook spiffeIdWebhook = config.spiffeIdWebhook();
    if (config.mode() == Mode.CRD && spiffeIdWebhook.enabled()) {
      Path certDir = Path.of(spiffeIdWebhook.certDir());
      try {
        admission =
            new AdmissionEndpoint(
                new java.net.InetSocketAddress(spiffeIdWebhook.port()),
                certDir.resolve("tls.crt"),
                certDir.resolve("tls.key"),
                null,
                new org.spireoperator.webhook.SpiffeIdAdmission(
                    ConfigMapping.spiffeIdRules(config),
                    () -> operator.registrar().desiredState().parents(),
                    operator::cachesSynced));
      } catch (Exception e) {
        System.err.println(
            configPath
                + ": webhook_enabled: cannot serve HTTPS on webhook_port "
                + spiffeIdWebhook.port()
                + " with tls.crt/tls.key from webhook_cert_dir "
                + certDir
                + ": "
                + e.getMessage());
        return 1;
      }
    }
    AdmissionEndpoint admissionEndpoint = admission;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.atInfo().log("shutting down");
                  operator.close();
                  endpoints.close();
                  if (admissionEndpoint != null) {
                    admissionEndpoint.close();
                  }
                  closeQuietly(connection);
                  client.close();
                  stopped.countDown();
                },
                "shutdown"));
    log.atInfo()
        .addKeyValue("trustDomain", config.identity().trustDomain())
        .addKeyValue("cluster", config.identity().cluster())
        .addKeyValue("mode", config.mode().toString())
        .addKeyValue("spire", config.spire().serverAddress())
        .addKeyValue("identity", identity)
        .log("starting");
    operator.start();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** Prints what a full pass would write. */
  public static int plan(Path configPath) {
    return plan(configPath, ControllerManagerFlags.NONE);
  }

  /** Prints what a full pass would write. */
  public static int plan(Path configPath, ControllerManagerFlags flags) {
    return oneShot(
        configPath,
        flags,
        (planner, config) -> {
          Plan plan = planner.plan();
          EntryDiff diff = plan.diff();
          plan.adoptions().forEach(e -> System.out.println("adopt " + e.id() + " " + describe(e)));
          diff.creates().forEach(e -> System.out.println("create " + describe(e)));
          diff.updates().forEach(e -> System.out.println("update " + e.id() + " " + describe(e)));
          diff.deletes().forEach(e -> System.out.println("delete " + e.id() + " " + describe(e)));
          System.out.println(
              (plan.adoptions().isEmpty()
                      ? ""
                      : plan.adoptions().size() + " to adopt as they are (no write), ")
                  + diff.creates().size()
                  + " to create, "
                  + diff.updates().size()
                  + " to update, "
                  + diff.deletes().size()
                  + " to delete");
          return 0;
        });
  }

  /** Prints why a pod has the entry it has. */
  public static int explain(Path configPath, String pod) {
    return explain(configPath, ControllerManagerFlags.NONE, pod);
  }

  /** Prints why a pod has the entry it has. */
  public static int explain(Path configPath, ControllerManagerFlags flags, String pod) {
    int slash = pod.indexOf('/');
    if (slash <= 0 || slash == pod.length() - 1) {
      System.err.println("explain: expected NAMESPACE/POD, got \"" + pod + "\"");
      return 2;
    }
    PodKey key = new PodKey(pod.substring(0, slash), pod.substring(slash + 1));
    return oneShot(
        configPath,
        flags,
        (planner, config) -> {
          System.out.print(planner.explain(key).render());
          return 0;
        });
  }

  private interface OneShot {
    int run(Planner planner, RegistrarConfig config);
  }

  private static int oneShot(Path configPath, ControllerManagerFlags flags, OneShot body) {
    RegistrarConfig config = load(configPath, flags);
    if (config == null) {
      return 2;
    }
    LoggingSetup.apply("warn", "text", null);
    try (KubernetesClient client = ApiServerHttpClients.client();
        SpireChannels.Connection connection = openSpire(config)) {
      SpireClient spire =
          new SpireClient(connection.channel(), ConfigMapping.spireClient(config), (m, c, l) -> {});
      RegistrationSettings settings = ConfigMapping.registration(config);
      OperatorOptions options = ConfigMapping.options(config, "cli");
      SnapshotClusterView view =
          SnapshotClusterView.read(
              client,
              options.agentPods(),
              settings.needsEndpoints() || settings.scm().enabled(),
              settings.scm().enabled(),
              !settings.scm().alone());
      AgentDirectory agents = new AgentDirectory(settings, spire, view);
      DesiredState desired =
          new DesiredState(
              settings,
              view,
              settings.parentMode() == org.spireoperator.registration.ParentMode.AGENT
                  ? agents
                  : null,
              ConfigMapping.spiffeIdRules(config));
      Planner planner =
          new Planner(
              settings,
              view,
              spire,
              desired,
              Ownership.of(settings, ConfigMapping.entryIds(config), desired.nodeEntries(), view),
              agents);
      return body.run(planner, config);
    } catch (SpireException e) {
      System.err.println("SPIRE server " + config.spire().serverAddress() + ": " + e.getMessage());
      return 1;
    } catch (Exception e) {
      System.err.println(e.getClass().getSimpleName() + ": " + e.getMessage());
      return 1;
    }
  }

  private static RegistrarConfig load(Path configPath, ControllerManagerFlags flags) {
    try {
      return new ConfigLoader(System.getenv()).load(configPath, flags);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return null;
    }
  }

  private static SpireChannels.Connection openSpire(RegistrarConfig config) throws Exception {
    return SpireChannels.open(
        ConfigMapping.spireAddress(config),
        config.spire().agentSocket().orElse(null),
        config.identity().trustDomain());
  }

  private static String describe(Entry e) {
    return e.spiffeId()
        + " parent "
        + e.parentId()
        + " selectors "
        + e.selectors()
        + (e.dnsNames().isEmpty() ? "" : " dns " + e.dnsNames());
  }

  private static String identity() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    String host = System.getenv("HOSTNAME");
    return (host == null || host.isBlank() ? "operator" : host)
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  private static BooleanSupplier cached(BooleanSupplier check, Duration ttl) {
    return new BooleanSupplier() {
      private long until;
      private boolean value;

      @Override
      public synchronized boolean getAsBoolean() {
        long now = System.nanoTime();
        if (now - until >= 0) {
          value = check.getAsBoolean();
          until = now + ttl.toNanos();
        }
        return value;
      }
    };
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.atDebug().log("close failed: " + e.getMessage());
    }
  }
}
