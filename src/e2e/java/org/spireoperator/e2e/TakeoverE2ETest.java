package org.spireoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spireoperator.e2e.support.Eventually.converges;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.e2e.support.ControllerManagerPeer;
import org.spireoperator.e2e.support.Eventually;
import org.spireoperator.e2e.support.OperatorProcess;
import org.spireoperator.e2e.support.RealServers;
import org.spireoperator.e2e.support.RealServersExtension;
import org.spireoperator.e2e.support.ScmObjects;
import org.spireoperator.e2e.support.Workloads;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryFilter;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.testing.Metrics;

/**
 * Replacing spire-controller-manager v0.6.4 on a running cluster: it registers its
 * ClusterSPIFFEIDs' entries on the real spire-server, is stopped, and the packaged operator starts
 * with the very same configuration file ({@code kind: ControllerManagerConfig}). The operator's
 * first pass takes every entry over: with nothing changed it writes nothing; spire-controller-
 * manager put back takes the entries over in turn with no write (rollback); with a pod deleted, a
 * pod added and a ClusterSPIFFEID edited while nobody ran, only those entries are written. Entries
 * without spire-controller-manager's prefix are never touched.
 */
@Tag("spire_controller_manager")
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TakeoverE2ETest {

  private static final Logger LOG = LoggerFactory.getLogger(TakeoverE2ETest.class);

  private static final String NAMESPACE = "takeover";
  private static final String NODE_1 = "takeover-1";
  private static final String NODE_2 = "takeover-2";
  private static final String CLASS = "takeover-e2e";
  private static final String PREFIX = "takeoverscm";
  private static final ResourceDefinitionContext CLUSTER_SPIFFE_IDS =
      ScmObjects.context(ScmObjects.CLUSTER_SPIFFE_ID);

  private final RealServers servers;
  private final KubernetesClient admin;
  private final Workloads workloads;
  private final SpireClient spire;
  private final Path dir;
  private Path config;
  private int healthPort;
  private int metricsPort;
  private ControllerManagerPeer scm;
  private OperatorProcess operator;
  private final Map<String, String> nodeUids = new LinkedHashMap<>();

  /** Everything on the server without spire-controller-manager's prefix, before we start. */
  private List<Entry> others;

  /** spire-controller-manager's entries as it left them. */
  private List<Entry> left;

  TakeoverE2ETest(RealServers servers) {
    this.servers = servers;
    this.admin = servers.kube().admin();
    this.workloads = servers.workloads();
    this.spire = servers.spire().client();
    this.dir = servers.dirFor(TakeoverE2ETest.class);
  }

  @BeforeAll
  void spireControllerManagerRegistersTheCluster() throws Exception {
    Files.createDirectories(dir);
    healthPort = OperatorProcess.freeLoopbackPort();
    metricsPort = OperatorProcess.freeLoopbackPort();
    scm =
        ControllerManagerPeer.prepare(
            new ControllerManagerPeer.Settings(
                servers.spire().trustDomain(),
                RealServers.CLUSTER,
                servers.spire().socket(),
                PREFIX,
                CLASS,
                false,
                healthPort,
                metricsPort),
            dir);
    config = scm.config();

    workloads.namespace(NAMESPACE);
    for (String node : List.of(NODE_1, NODE_2)) {
      workloads.node(node);
      nodeUids.put(node, admin.nodes().withName(node).get().getMetadata().getUid());
    }
    workloads.runningPod(NAMESPACE, "web-0", "web", NODE_1);
    workloads.runningPod(NAMESPACE, "web-1", "web", NODE_2);
    workloads.runningPod(NAMESPACE, "api-0", "api", NODE_1);
    workloads.runningPod(NAMESPACE, "batch-0", "batch", NODE_2);
    admin
        .genericKubernetesResources(CLUSTER_SPIFFE_IDS)
        .resource(defaultClusterSpiffeId())
        .create();
    admin
        .genericKubernetesResources(CLUSTER_SPIFFE_IDS)
        .resource(apiClusterSpiffeId("api"))
        .create();
    others = othersNow();

    scm.start();
    converges("spire-controller-manager registers 5 entries")
        .until(() -> prefixed().size() == 5 && hasEntry("ns/" + NAMESPACE + "/sa/batch"));
    scm.stop();
    left = prefixed();
    LOG.atInfo().addKeyValue("entries", left.size()).log("spire-controller-manager stopped");
  }

  @AfterAll
  void cleanUp() {
    try {
      if (operator != null && operator.isAlive()) {
        admin.genericKubernetesResources(CLUSTER_SPIFFE_IDS).withName("takeover-default").delete();
        admin.genericKubernetesResources(CLUSTER_SPIFFE_IDS).withName("takeover-api").delete();
        converges("the operator deletes the entries of the deleted ClusterSPIFFEIDs")
            .until(() -> prefixed().isEmpty());
      }
    } finally {
      if (operator != null) {
        operator.stop();
      }
      if (scm != null) {
        scm.stop();
      }
      admin.genericKubernetesResources(CLUSTER_SPIFFE_IDS).withName("takeover-default").delete();
      admin.genericKubernetesResources(CLUSTER_SPIFFE_IDS).withName("takeover-api").delete();
      admin.namespaces().withName(NAMESPACE).delete();
      for (String node : List.of(NODE_1, NODE_2)) {
        admin.nodes().withName(node).delete();
      }
      List<String> leftovers = prefixed().stream().map(Entry::id).toList();
      if (!leftovers.isEmpty()) {
        spire.deleteEntries(leftovers);
      }
    }
  }

  @Test
  @Order(1)
  void planShowsEveryEntryAdoptedAndNoWrite() throws Exception {
    String out = plan();
    LOG.atInfo().log("plan:\n" + out);

    assertThat(out.lines().filter(l -> l.startsWith("adopt ")).count()).isEqualTo(5);
    assertThat(out)
        .contains("5 to adopt as they are (no write), 0 to create, 0 to update, 0 to delete");
  }

  @Test
  @Order(2)
  void theOperatorTakesEveryEntryOverWithZeroWrites() throws Exception {
    operator = startOperator();
    Metrics m = firstPassDone();
    report("nothing changed", m);

    assertThat(writes(m)).as("entries written").isZero();
    assertThat(m.spireWriteCalls()).as("SPIRE write RPCs").isZero();
    assertThat(prefixed()).as("the entries, field for field, revisions included").isEqualTo(left);
    assertThat(othersNow()).as("every other entry").isEqualTo(others);
  }

  @Test
  @Order(3)
  void spireControllerManagerPutBackTakesThemBackWithZeroWrites() throws Exception {
    operator.stop();
    List<Entry> before = prefixed();
    scm.start();
    Eventually.within(Duration.ofSeconds(30), "spire-controller-manager leaves them as they are")
        .during(Duration.ofSeconds(5))
        .until(() -> prefixed().equals(before));
    scm.stop();
    assertThat(prefixed()).isEqualTo(before);
  }

  @Test
  @Order(4)
  void withChangesOnlyTheEntriesThatDifferAreWritten() throws Exception {
    // While nobody runs: a pod goes, a pod comes, a ClusterSPIFFEID gets another hint.
    workloads.deletePod(NAMESPACE, "web-1");
    workloads.runningPod(NAMESPACE, "db-0", "db", NODE_1);
    admin
        .genericKubernetesResources(CLUSTER_SPIFFE_IDS)
        .withName("takeover-api")
        .edit(
            c -> {
              spec(c).put("hint", "api-v2");
              return c;
            });
    List<Entry> before = prefixed();
    String out = plan();
    LOG.atInfo().log("plan:\n" + out);
    assertThat(out)
        .contains("3 to adopt as they are (no write), 1 to create, 1 to update, 1 to delete");

    operator.restart();
    Metrics m = firstPassDone();
    report("web-1 deleted, db-0 added, takeover-api's hint changed", m);

    assertThat(
            List.of(
                m.sum("spire_registrar_entries_written_total", "op", "created"),
                m.sum("spire_registrar_entries_written_total", "op", "updated"),
                m.sum("spire_registrar_entries_written_total", "op", "deleted")))
        .as("entries created, updated, deleted")
        .containsExactly(1.0, 1.0, 1.0);
    List<Entry> after = prefixed();
    assertThat(unchanged(before, after)).as("entries not written").hasSize(3);
    assertThat(othersNow()).as("every other entry").isEqualTo(others);
  }

  @Test
  @Order(5)
  void spireControllerManagerAgreesWithWhatTheOperatorWrote() throws Exception {
    operator.stop();
    List<Entry> before = prefixed();
    scm.start();
    Eventually.within(Duration.ofSeconds(30), "spire-controller-manager finds nothing to write")
        .during(Duration.ofSeconds(5))
        .until(() -> prefixed().equals(before));
    scm.stop();
    operator.restart();
    Metrics m = firstPassDone();
    report("after spire-controller-manager ran again", m);
    assertThat(List.of(writes(m), prefixed().equals(before))).containsExactly(0.0, true);
  }

  // ------------------------------------------------------------------ the operator and its metrics

  private OperatorProcess startOperator() throws IOException {
    return OperatorProcess.startWithFile(
        "operator",
        servers.operatorJar(),
        config,
        servers.operatorKubeconfig(),
        dir,
        healthPort,
        metricsPort);
  }

  /** Waits for the first full pass and its writes; the metrics then. */
  private Metrics firstPassDone() {
    converges("operator ready").until(operator::isReady);
    converges("first full pass done and written")
        .until(
            () -> {
              Metrics m = operator.metrics();
              return m.sum("spire_registrar_full_pass_seconds_count") >= 1
                  && m.sum("spire_registrar_write_queue_depth") == 0;
            });
    return operator.metrics();
  }

  private static double writes(Metrics m) {
    return m.sum("spire_registrar_entries_written_total");
  }

  private void report(String what, Metrics m) {
    String line =
        String.format(
            "takeover (%s): entries created %.0f, updated %.0f, deleted %.0f; SPIRE write RPCs"
                + " %.0f",
            what,
            m.sum("spire_registrar_entries_written_total", "op", "created"),
            m.sum("spire_registrar_entries_written_total", "op", "updated"),
            m.sum("spire_registrar_entries_written_total", "op", "deleted"),
            m.spireWriteCalls());
    System.out.println(line);
    LOG.atInfo().log(line);
  }

  /** {@code plan} of the packaged jar with the same file, as the operator's ServiceAccount. */
  private String plan() throws Exception {
    Path out = dir.resolve("plan.out");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                servers.operatorJar().toString(),
                "--config=" + config,
                "plan")
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("KUBERNETES_"));
    builder.environment().put("KUBECONFIG", servers.operatorKubeconfig().toString());
    builder.environment().put("ENABLE_WEBHOOKS", "false");
    Process p = builder.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("plan finishes").isTrue();
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("plan's exit code; output:\n" + text).isZero();
    return text;
  }

  // ------------------------------------------------------------------ SPIRE reads

  /** spire-controller-manager's entries (its prefix), by ID. */
  private List<Entry> prefixed() {
    return spire.listEntries(EntryFilter.all()).stream()
        .filter(e -> e.id().startsWith(PREFIX + "."))
        .sorted(Comparator.comparing(Entry::id))
        .toList();
  }

  private List<Entry> othersNow() {
    return spire.listEntries(EntryFilter.all()).stream()
        .filter(e -> !e.id().startsWith(PREFIX + "."))
        .sorted(Comparator.comparing(Entry::id))
        .toList();
  }

  private boolean hasEntry(String path) {
    SpiffeId id = SpiffeId.of(servers.spire().trustDomain(), path);
    return prefixed().stream().anyMatch(e -> e.spiffeId().equals(id));
  }

  private static List<Entry> unchanged(List<Entry> before, List<Entry> after) {
    List<Entry> same = new ArrayList<>(before);
    same.retainAll(after);
    return same;
  }

  // ------------------------------------------------------------------ the cluster's objects

  /**
   * The chart's default ClusterSPIFFEID (per service account, hint "default"), in our namespace.
   */
  private static GenericKubernetesResource defaultClusterSpiffeId() {
    return clusterSpiffeId(
        "takeover-default",
        Map.of(
            "className",
            CLASS,
            "hint",
            "default",
            "spiffeIDTemplate",
            "spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}",
            "podSelector",
            Map.of(),
            "namespaceSelector",
            Map.of(
                "matchExpressions",
                List.of(
                    Map.of(
                        "key",
                        "kubernetes.io/metadata.name",
                        "operator",
                        "NotIn",
                        "values",
                        List.of("spire-server", "spire-system")),
                    Map.of(
                        "key",
                        "kubernetes.io/metadata.name",
                        "operator",
                        "In",
                        "values",
                        List.of(NAMESPACE))))));
  }

  /** One more: api-0 alone, with DNS names, TTLs, a hint and a workload selector template. */
  private static GenericKubernetesResource apiClusterSpiffeId(String hint) {
    return clusterSpiffeId(
        "takeover-api",
        Map.of(
            "className",
            CLASS,
            "hint",
            hint,
            "spiffeIDTemplate",
            "spiffe://{{ .TrustDomain }}/takeover/api/{{ .PodMeta.Name }}",
            "podSelector",
            Map.of("matchLabels", Map.of("app", "api-0")),
            "namespaceSelector",
            Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", NAMESPACE)),
            "dnsNameTemplates",
            List.of("{{ .PodMeta.Name }}.{{ .PodMeta.Namespace }}.svc"),
            "workloadSelectorTemplates",
            List.of("k8s:ns:{{ .PodMeta.Namespace }}"),
            "ttl",
            "1h",
            "jwtTtl",
            "5m"));
  }

  private static GenericKubernetesResource clusterSpiffeId(String name, Map<String, Object> spec) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion("spire.spiffe.io/v1alpha1");
    r.setKind("ClusterSPIFFEID");
    r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    r.setAdditionalProperty("spec", new LinkedHashMap<>(spec));
    return r;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }
}
