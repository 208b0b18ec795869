package org.spireoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spireoperator.e2e.support.Eventually.converges;
import static org.spireoperator.e2e.support.Eventually.within;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spireoperator.e2e.support.ControllerManagerPeer;
import org.spireoperator.e2e.support.E2eSettings;
import org.spireoperator.e2e.support.FederationCli;
import org.spireoperator.e2e.support.FederationCli.Relationship;
import org.spireoperator.e2e.support.OperatorConfig;
import org.spireoperator.e2e.support.OperatorProcess;
import org.spireoperator.e2e.support.RealServers;
import org.spireoperator.e2e.support.RealServersExtension;
import org.spireoperator.e2e.support.RealSpire;
import org.spireoperator.e2e.support.ScmObjects;
import org.spireoperator.e2e.support.Workloads;
import org.spireoperator.e2e.support.WrittenEntries;
import org.spireoperator.spire.Entry;

/**
 * spire-controller-manager v0.6.4 and the operator, on the same real kube-apiserver, each writing
 * to a real spire-server of its own (same trust domain and cluster name), write the same entries
 * for spire-controller-manager's own example YAML, applied unchanged, and keep writing the same
 * entries through pod deletions, label changes, a ClusterSPIFFEID edit and deletion. Entries are
 * compared field by field (SPIFFE ID, parent, selectors, DNS names, TTLs, hint, admin, downstream,
 * storeSVID, federatesWith; not entry IDs or timestamps). Then ClusterFederatedTrustDomains make,
 * change and remove federation relationships on the operator's real server (as on
 * spire-controller-manager's), and a relationship the operator did not create is left alone.
 *
 * <p>The methods run in order, on one set of servers and objects: each is one step of one story.
 *
 * <p>Both run with class {@code spire-server-spire} and {@code watchClassless}, so the SPIRE Helm
 * chart's default ClusterSPIFFEID (its class, {@code fallback: true}) takes part next to the
 * classless examples. The trust domain is {@code cluster1.demo}, the one spire-controller-manager's
 * demo static entry and greeter-server ClusterSPIFFEID are written for.
 */
@Tag("spire_controller_manager")
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScmParityE2ETest {

  private static final String TRUST_DOMAIN = "cluster1.demo";
  private static final String CLASS_NAME = "spire-server-spire";
  private static final String SCM_ENTRY_ID_PREFIX = "scm";
  private static final String OUR_ENTRY_ID_PREFIX =
      "spire-k8s-registrar." + RealServers.CLUSTER + ".";

  /** After converging, the two servers must stay equal this long (a late write would show). */
  private static final Duration STABLE = Duration.ofSeconds(3);

  private static final String STATIC_ENTRY_PATH = "/static-spiffe-id";
  private static final String SPIFFE_ID_LABEL = "spiffe.io/spiffe-id";
  private static final String GREETER_LABEL = "spire.spiffe.io/spiffeid";
  private static final String NS_A = "parity-a";
  private static final String NS_B = "parity-b";
  private static final String NS_SPIRE_SYSTEM = "spire-system";
  private static final String NODE_1 = "parity-node-1";
  private static final String NODE_2 = "parity-node-2";

  private static final String OUR_SCM_SETTINGS =
      """
      cluster_spiffeids {
        enabled = true
        class_name = "%s"
        watch_classless = true
        ignore_namespaces = ["kube-system", "kube-public"]
        cluster_domain = "cluster.local"
        parent = "agent"
      }
      """
          .formatted(CLASS_NAME);

  private final RealServers servers;
  private final Workloads workloads;
  private final ScmObjects objects;
  private final Map<String, String> uids = new HashMap<>();
  private RealSpire scmSpire;
  private RealSpire ourSpire;
  private ControllerManagerPeer scm;
  private OperatorProcess operator;
  private WrittenEntries scmEntries;
  private WrittenEntries ourEntries;
  private FederationCli scmFederation;
  private FederationCli ourFederation;
  private Relationship foreign;

  ScmParityE2ETest(RealServers servers) {
    this.servers = servers;
    this.workloads = servers.workloads();
    this.objects = new ScmObjects(servers.kube().admin());
  }

  @BeforeAll
  void start() throws Exception {
    Path work = E2eSettings.workRoot().resolve("parity");
    Path logs = work.resolve("logs");
    scmSpire = servers.anotherSpire(work.resolve("scm-spire"), logs, TRUST_DOMAIN);
    ourSpire = servers.anotherSpire(work.resolve("our-spire"), logs, TRUST_DOMAIN);
    scmEntries = WrittenEntries.ofScm(scmSpire, SCM_ENTRY_ID_PREFIX);
    ourEntries = WrittenEntries.ofOperator(ourSpire, OUR_ENTRY_ID_PREFIX);
    scmFederation = FederationCli.of(scmSpire);
    ourFederation = FederationCli.of(ourSpire);
    ourFederation.createHttpsWeb("partner.test", "https://partner.test/bundle");
    foreign = ourFederation.list().get(0);

    createWorkloads();

    scm =
        ControllerManagerPeer.prepare(
            new ControllerManagerPeer.Settings(
                TRUST_DOMAIN,
                RealServers.CLUSTER,
                scmSpire.socket(),
                SCM_ENTRY_ID_PREFIX,
                CLASS_NAME,
                true,
                OperatorProcess.freeLoopbackPort(),
                OperatorProcess.freeLoopbackPort()),
            servers.dirFor(getClass()).resolve("spire-controller-manager"));
    scm.start();
    operator =
        OperatorProcess.start(
            "parity",
            servers.operatorJar(),
            OperatorConfig.of(ourSpire, RealServers.CLUSTER),
            OUR_SCM_SETTINGS,
            servers.operatorKubeconfig(),
            servers.dirFor(getClass()));
    converges("operator ready").until(operator::isReady);
  }

  /**
   * Two nodes; namespace {@code parity-b} labelled {@code backend=true}; pods with the labels the
   * examples select ({@code spiffe.io/spiffe-id}, {@code spire.spiffe.io/spiffeid}), a Succeeded
   * pod, an unscheduled one, one on a node that does not exist and one in the ignored namespace
   * {@code kube-system}; a Service with Endpoints and an EndpointSlice for {@code web-0} and {@code
   * web-1}.
   */
  private void createWorkloads() {
    workloads.namespace(NS_A, Map.of());
    workloads.namespace(NS_B, Map.of("backend", "true"));
    workloads.node(NODE_1);
    workloads.node(NODE_2);
    Pod web0 =
        pod(
            NS_A,
            "web-0",
            "web",
            NODE_1,
            Map.of("app", "web", SPIFFE_ID_LABEL, "true"),
            "Running",
            "10.2.0.1");
    Pod web1 =
        pod(
            NS_A,
            "web-1",
            "web",
            NODE_2,
            Map.of("app", "web", SPIFFE_ID_LABEL, "true"),
            "Running",
            "10.2.0.2");
    pod(
        NS_A,
        "billing-0",
        "billing",
        NODE_1,
        Map.of(SPIFFE_ID_LABEL, "billing"),
        "Running",
        "10.2.0.3");
    pod(NS_A, "batch-0", "batch", NODE_2, Map.of(), "Succeeded", "10.2.0.4");
    pod(NS_A, "pending-0", "web", null, Map.of(), "Pending", null);
    pod(NS_A, "lost-0", "web", "parity-node-gone", Map.of(), "Running", "10.2.0.5");
    pod(NS_B, "worker-0", "worker", NODE_2, Map.of(), "Running", "10.2.1.1");
    pod(
        NS_B,
        "worker-1",
        "worker",
        NODE_1,
        Map.of(SPIFFE_ID_LABEL, "worker-one"),
        "Running",
        "10.2.1.2");
    pod(
        NS_B,
        "greeter-server-0",
        "greeter",
        NODE_1,
        Map.of("app", "greeter-server", GREETER_LABEL, "greeter-server"),
        "Running",
        "10.2.1.3");
    pod(
        NS_B,
        "greeter-client-0",
        "greeter",
        NODE_2,
        Map.of("app", "greeter-client", GREETER_LABEL, "greeter-client"),
        "Running",
        "10.2.1.4");
    pod(
        "kube-system",
        "ignored-0",
        "web",
        NODE_1,
        Map.of("app", "web", SPIFFE_ID_LABEL, "true"),
        "Running",
        "10.2.3.1");
    workloads.service(NS_A, "web", List.of(web0, web1));
  }

  private Pod pod(
      String ns,
      String name,
      String sa,
      String node,
      Map<String, String> labels,
      String phase,
      String ip) {
    Pod pod = workloads.pod(ns, name, sa, node, labels, phase, ip);
    uids.put(ns + "/" + name, pod.getMetadata().getUid());
    return pod;
  }

  @AfterAll
  void stop() {
    try {
      if (operator != null && operator.isAlive()) {
        objects.deleteAll();
      }
    } finally {
      if (operator != null) {
        operator.stop();
      }
      if (scm != null) {
        scm.close();
      }
      for (String pod : uids.keySet()) {
        String[] nsName = pod.split("/");
        workloads.deletePod(nsName[0], nsName[1]);
      }
      servers.kube().admin().nodes().withName(NODE_1).delete();
      servers.kube().admin().nodes().withName(NODE_2).delete();
      closeQuietly(scmSpire);
      closeQuietly(ourSpire);
    }
  }

  private static void closeQuietly(RealSpire spire) {
    if (spire != null) {
      try {
        spire.close();
      } catch (Exception e) {
        // the next run's start stops it again
      }
    }
  }

  // ------------------------------------------------------------------ entries

  @Test
  @Order(1)
  @DisplayName(
      "spire-controller-manager's example ClusterSPIFFEIDs and ClusterStaticEntry, applied unchanged, give the same entries")
  void theExamplesGiveTheSameEntries() {
    // First the federation with cluster2.demo, so that the greeter-server entry (federatesWith
    // cluster2.demo) can be created at once on both servers.
    objects.apply(resource("/scm/cluster2-federated-trust-domain.yaml"));
    converges("both servers federate with cluster2.demo")
        .until(
            () ->
                !ourFederation.with(List.of("cluster2.demo")).isEmpty()
                    && !scmFederation.with(List.of("cluster2.demo")).isEmpty());
    // Oldest first, each in a second of its own: masking prefers the oldest object, so the
    // autoPopulateDNSNames example wins over the DNS-templated one, which wins over the per-SA one.
    afterTheSecondOf(objects.apply(ScmObjects.sample("migration-config-clusterspiffeid.yaml")));
    afterTheSecondOf(objects.apply(ScmObjects.sample("migration-readme-dns-names.yaml")));
    for (String sample :
        List.of(
            "migration-readme-service-account-based.yaml",
            "migration-readme-label-based.yaml",
            "helm-chart-default-clusterspiffeid.yaml",
            "demo-config-greeter-server-id.yaml",
            "demo-config-greeter-client-id.yaml",
            "demo-config-static-entry.yaml")) {
      objects.apply(ScmObjects.sample(sample));
    }

    settle(
        "the examples",
        scm ->
            has(scm, "parity-b/worker-0", e -> e.spiffeId().path().equals("/ns/parity-b/sa/worker"))
                && has(scm, "parity-a/billing-0", e -> e.spiffeId().path().equals("/billing"))
                && has(
                    scm,
                    "parity-a/web-0",
                    e -> e.dnsNames().contains("web.parity-a.svc.cluster.local"))
                && has(
                    scm,
                    "parity-b/greeter-server-0",
                    e -> e.federatesWith().contains("cluster2.demo"))
                && scm.stream().anyMatch(e -> e.spiffeId().path().equals(STATIC_ENTRY_PATH)));
  }

  @Test
  @Order(2)
  @DisplayName(
      "after the ClusterStaticEntry's edit (selectors, TTLs, DNS names, hint, admin and"
          + " federatesWith changed), the same entries")
  void afterAClusterStaticEntryEdit() {
    objects.applyYaml(
        """
        apiVersion: spire.spiffe.io/v1alpha1
        kind: ClusterStaticEntry
        metadata:
          name: static-entry
        spec:
          spiffeID: spiffe://cluster1.demo/static-spiffe-id
          parentID: spiffe://cluster1.demo/static-parent-id
          selectors: ["static:one", "static:three"]
          federatesWith: ["cluster2.demo"]
          x509SVIDTTL: "45m"
          jwtSVIDTTL: "90s"
          dnsNames: ["static-dns", "static-dns-2"]
          hint: "static-hint-3"
          downstream: true
          storeSVID: true
        """);

    settle(
        "a ClusterStaticEntry edit",
        scm ->
            scm.stream()
                .anyMatch(
                    e ->
                        e.spiffeId().path().equals(STATIC_ENTRY_PATH)
                            && e.hint().equals("static-hint-3")));
  }

  /**
   * Also ends a status tug of war: on a ClusterStaticEntry both write {@code status.set}, which
   * spire-controller-manager resets to false after the pass that created the entry and the operator
   * keeps true while the entry is in SPIRE (README, "differences, on purpose").
   */
  @Test
  @Order(3)
  @DisplayName("after the ClusterStaticEntry's deletion, the same entries")
  void afterAClusterStaticEntryDeletion() {
    objects.delete(ScmObjects.CLUSTER_STATIC_ENTRY, "static-entry");

    settle(
        "a ClusterStaticEntry deletion",
        scm -> scm.stream().noneMatch(e -> e.spiffeId().path().equals(STATIC_ENTRY_PATH)));
  }

  @Test
  @Order(4)
  @DisplayName(
      "after a pod deletion and a graceful one (the pod stays Terminating), the same entries")
  void afterPodDeletions() {
    workloads.deletePodGracefully(NS_B, "worker-0");
    workloads.deletePod(NS_A, "web-1");

    settle("pod deletions", scm -> WrittenEntries.ofPod(scm, uids.get(NS_A + "/web-1")).isEmpty());
  }

  @Test
  @Order(5)
  @DisplayName(
      "after pod label changes (a label-based ID changes, a pod joins the label's selectors), the same entries")
  void afterPodLabelChanges() {
    workloads.labelPod(NS_A, "billing-0", SPIFFE_ID_LABEL, "payments");
    workloads.labelPod(NS_B, "worker-1", SPIFFE_ID_LABEL, "true");

    settle(
        "pod label changes",
        scm ->
            has(scm, "parity-a/billing-0", e -> e.spiffeId().path().equals("/payments"))
                && !has(scm, "parity-a/billing-0", e -> e.spiffeId().path().equals("/billing"))
                && has(scm, "parity-b/worker-1", e -> e.spiffeId().path().equals("/true")));
  }

  @Test
  @Order(6)
  @DisplayName(
      "after a ClusterSPIFFEID edit (the per-SA one gets a namespaceSelector; the fallback takes over elsewhere), the same entries")
  void afterAClusterSpiffeIdEdit() {
    objects.edit(
        ScmObjects.CLUSTER_SPIFFE_ID,
        "service-account-based",
        c -> {
          c.getAdditionalProperties()
              .compute(
                  "spec",
                  (k, spec) -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> s = new HashMap<>((Map<String, Object>) spec);
                    s.put("namespaceSelector", Map.of("matchLabels", Map.of("backend", "true")));
                    return s;
                  });
          return c;
        });

    settle(
        "a ClusterSPIFFEID edit",
        scm -> has(scm, "parity-a/batch-0", e -> e.hint().equals("default")));
  }

  @Test
  @Order(7)
  @DisplayName(
      "after namespace label changes (one namespace joins the namespaceSelector, one leaves), the same entries")
  void afterNamespaceLabelChanges() {
    workloads.labelNamespace(NS_A, "backend", "true");
    workloads.labelNamespace(NS_B, "backend", null);

    settle(
        "namespace label changes",
        scm ->
            has(scm, "parity-a/batch-0", e -> e.hint().isEmpty())
                && has(scm, "parity-b/greeter-client-0", e -> e.hint().equals("default")));
  }

  @Test
  @Order(8)
  @DisplayName(
      "after a ClusterSPIFFEID deletion (the entries it masked take over), the same entries")
  void afterAClusterSpiffeIdDeletion() {
    objects.delete(ScmObjects.CLUSTER_SPIFFE_ID, "example");

    settle(
        "a ClusterSPIFFEID deletion",
        scm -> has(scm, "parity-a/web-0", e -> e.dnsNames().contains("my-custom-dns-name")));
  }

  @Test
  @Order(9)
  @DisplayName(
      "a ClusterSPIFFEID using every field (workload selector, DNS name and ID templates over pod,"
          + " node and cluster, TTLs in Go's duration syntax, admin, downstream, hint, federatesWith)"
          + " gives the same entries")
  void aClusterSpiffeIdUsingEveryField() {
    objects.applyYaml(
        """
        apiVersion: spire.spiffe.io/v1alpha1
        kind: ClusterSPIFFEID
        metadata:
          name: every-field
        spec:
          spiffeIDTemplate: "spiffe://{{ .TrustDomain }}/{{ .ClusterName }}/{{ .NodeMeta.Name }}/{{ printf \\"%s-%s\\" .PodMeta.Namespace .PodMeta.Name }}"
          podSelector:
            matchExpressions:
              - key: app
                operator: In
                values: ["web", "greeter-server"]
          namespaceSelector:
            matchExpressions:
              - key: kubernetes.io/metadata.name
                operator: In
                values: ["parity-a", "parity-b"]
          workloadSelectorTemplates:
            - "k8s:ns:{{ .PodMeta.Namespace }}"
            - "k8s:sa:{{ .PodSpec.ServiceAccountName }}"
            - "k8s:node-name:{{ .PodSpec.NodeName }}"
            - "k8s:pod-label:app:{{ index .PodMeta.Labels \\"app\\" }}"
          dnsNameTemplates:
            - "{{ .PodMeta.Name }}.{{ .ClusterName }}.{{ .ClusterDomain }}"
            - "{{ .PodMeta.Name }}.{{ .PodMeta.Namespace }}.svc"
          ttl: 1.5h
          jwtTtl: 300s
          admin: true
          downstream: true
          hint: every-field
          federatesWith: ["cluster2.demo"]
        """);

    settle(
        "a ClusterSPIFFEID using every field",
        scm ->
            has(scm, "parity-a/web-0", e -> e.hint().equals("every-field"))
                && has(scm, "parity-b/greeter-server-0", e -> e.hint().equals("every-field")));
  }

  @Test
  @Order(10)
  @DisplayName(
      "after that ClusterSPIFFEID's edit (other TTLs, DNS name and workload selector templates, no"
          + " admin, other hint), the same entries")
  void afterEditingEveryField() {
    objects.applyYaml(
        """
        apiVersion: spire.spiffe.io/v1alpha1
        kind: ClusterSPIFFEID
        metadata:
          name: every-field
        spec:
          spiffeIDTemplate: "spiffe://{{ .TrustDomain }}/{{ .ClusterName }}/{{ .NodeMeta.Name }}/{{ printf \\"%s-%s\\" .PodMeta.Namespace .PodMeta.Name }}"
          podSelector:
            matchExpressions:
              - key: app
                operator: In
                values: ["web", "greeter-server"]
          namespaceSelector:
            matchExpressions:
              - key: kubernetes.io/metadata.name
                operator: In
                values: ["parity-a", "parity-b"]
          workloadSelectorTemplates:
            - "k8s:ns:{{ .PodMeta.Namespace }}"
          dnsNameTemplates:
            - "{{ .PodMeta.Name }}.{{ .PodMeta.Namespace }}.svc.{{ .ClusterDomain }}"
          ttl: 45m
          jwtTtl: 2m30s
          downstream: true
          hint: every-field-2
          federatesWith: ["cluster2.demo"]
        """);

    settle(
        "the edit of the ClusterSPIFFEID using every field",
        scm ->
            has(scm, "parity-a/web-0", e -> e.hint().equals("every-field-2"))
                && has(scm, "parity-b/greeter-server-0", e -> e.hint().equals("every-field-2")));
  }

  @Test
  @Order(11)
  @DisplayName(
      "the SPIRE Helm chart's OIDC discovery provider ClusterSPIFFEID (its class, namespaces"
          + " spire-server and spire-system, DNS name template and autoPopulateDNSNames) gives the"
          + " same entries")
  void theHelmChartsOidcDiscoveryProviderClusterSpiffeId() {
    workloads.namespace(NS_SPIRE_SYSTEM, Map.of());
    pod(
        NS_SPIRE_SYSTEM,
        "spire-oidc-0",
        "spire-oidc",
        NODE_2,
        Map.of(
            "component", "oidc-discovery-provider",
            "release", "spire",
            "release-namespace", "spire-server"),
        "Running",
        "10.2.2.1");
    objects.apply(ScmObjects.sample("helm-chart-oidc-discovery-provider-clusterspiffeid.yaml"));

    settle(
        "the OIDC discovery provider's ClusterSPIFFEID",
        scm ->
            has(
                scm,
                NS_SPIRE_SYSTEM + "/spire-oidc-0",
                e -> e.dnsNames().contains("oidc-discovery." + TRUST_DOMAIN)));
  }

  @Test
  @Order(12)
  @DisplayName(
      "a ClusterSPIFFEID federating with a trust domain the servers hold no bundle of gives, like"
          + " spire-controller-manager's refused creates, no entries")
  void aClusterSpiffeIdFederatingWithAnUnknownTrustDomain() {
    objects.applyYaml(
        """
        apiVersion: spire.spiffe.io/v1alpha1
        kind: ClusterSPIFFEID
        metadata:
          name: late-federation
        spec:
          spiffeIDTemplate: "spiffe://{{ .TrustDomain }}/late/{{ .PodMeta.Name }}"
          podSelector:
            matchLabels:
              app: web
          federatesWith: ["late.test"]
        """);

    converges("spire-controller-manager's server refuses the entry federating with late.test")
        .until(
            () ->
                scm.logLinesWith("Failed to create entry").stream()
                    .anyMatch(l -> l.contains("late.test")));
    settle(
        "a ClusterSPIFFEID federating with an unknown trust domain",
        scm -> scm.stream().noneMatch(e -> e.federatesWith().contains("late.test")));
  }

  @Test
  @Order(13)
  @DisplayName(
      "once a ClusterFederatedTrustDomain gives the servers that trust domain's bundle, the same"
          + " entries (the refused ones created)")
  void theRefusedEntriesOnceTheBundleArrives() {
    objects.apply(resource("/scm/late-federated-trust-domain.yaml"));

    settle(
        "the late federation's bundle",
        scm -> has(scm, "parity-a/web-0", e -> e.federatesWith().contains("late.test")));
  }

  /**
   * Both write the counters of every ClusterSPIFFEID's {@code status.stats} (the operator at most
   * every 5 s, spire-controller-manager whenever its own differ from what is stored): as long as
   * they disagree they overwrite each other, so a quiet spell of 12 s means they agree.
   */
  @Test
  @Order(14)
  @DisplayName(
      "spire-controller-manager finds nothing to correct in the ClusterSPIFFEID status counters the operator writes")
  void theStatusCountersAgree() {
    long[] seen = {-1};
    within(
            Duration.ofSeconds(60),
            "12 s without a ClusterSPIFFEID status write of spire-controller-manager")
        .during(Duration.ofSeconds(12))
        .until(
            () -> {
              long now =
                  scm.logLinesWith("Updated status").stream()
                      .filter(l -> l.contains("clusterSPIFFEID"))
                      .count();
              boolean quiet = now == seen[0];
              seen[0] = now;
              return quiet;
            });
  }

  // ------------------------------------------------------------------ federation

  @Test
  @Order(15)
  @DisplayName(
      "a ClusterFederatedTrustDomain (the docs' https_web example) makes a federation relationship")
  void aClusterFederatedTrustDomainMakesARelationship() {
    objects.apply(ScmObjects.sample("docs-clusterfederatedtrustdomain-https-web.yaml"));

    assertFederation(
        new Relationship("backend", "https://backend.test/bundle", "https_web", "", false));
  }

  @Test
  @Order(16)
  @DisplayName(
      "changing the object (the docs' https_spiffe example, same name, with a bundle) changes the relationship and gives the server the bundle")
  void theRelationshipFollowsTheObject() {
    objects.apply(ScmObjects.sample("docs-clusterfederatedtrustdomain-https-spiffe.yaml"));

    assertFederation(
        new Relationship(
            "backend",
            "https://backend.teste/bundle",
            "https_spiffe",
            "spiffe://backend/bundle-endpoint-server",
            true));
  }

  @Test
  @Order(17)
  @DisplayName("deleting the object removes the relationship")
  void deletingTheObjectRemovesTheRelationship() {
    objects.delete(ScmObjects.CLUSTER_FEDERATED_TRUST_DOMAIN, "backend");

    converges("backend's relationship gone")
        .untilAsserted(
            () -> {
              assertThat(ourFederation.with(List.of("backend"))).isEmpty();
              assertThat(scmFederation.with(List.of("backend"))).isEmpty();
            });
  }

  @Test
  @Order(18)
  @DisplayName(
      "a relationship the operator did not create is left alone, also when an object declares its trust domain otherwise")
  void aForeignRelationshipIsLeftAlone() {
    objects.applyYaml(
        """
        apiVersion: spire.spiffe.io/v1alpha1
        kind: ClusterFederatedTrustDomain
        metadata:
          name: partner
        spec:
          trustDomain: partner.test
          bundleEndpointURL: https://partner.test/another-bundle
          bundleEndpointProfile:
            type: https_web
        """);
    converges("the operator reports the conflict")
        .until(
            () -> readyReason(ScmObjects.CLUSTER_FEDERATED_TRUST_DOMAIN, "partner"),
            "RelationshipConflict"::equals);
    objects.delete(ScmObjects.CLUSTER_FEDERATED_TRUST_DOMAIN, "partner");

    within(STABLE.multipliedBy(2), "the foreign relationship, unchanged")
        .during(STABLE)
        .untilAsserted(
            () ->
                assertThat(ourFederation.list())
                    .filteredOn(r -> r.trustDomain().equals("partner.test"))
                    .containsExactly(foreign));
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Waits until spire-controller-manager's server shows the step ({@code scmDone}), then until the
   * operator's server holds exactly the same entries, and stays so for {@link #STABLE}.
   */
  private void settle(String step, Predicate<List<Entry>> scmDone) {
    converges(step + ": spire-controller-manager's entries").until(scmEntries::now, scmDone);
    converges(step + ": the operator's entries, field by field equal to spire-controller-manager's")
        .during(STABLE)
        .untilAsserted(
            () -> assertThat(ourEntries.now()).containsExactlyElementsOf(scmEntries.now()));
  }

  private boolean has(List<Entry> entries, String pod, Predicate<Entry> what) {
    String uid = uids.get(pod);
    return uid != null && WrittenEntries.ofPod(entries, uid).stream().anyMatch(what);
  }

  /** The operator's and spire-controller-manager's servers both have exactly this relationship. */
  private void assertFederation(Relationship expected) {
    converges("relationship " + expected)
        .untilAsserted(
            () -> {
              assertThat(ourFederation.with(List.of(expected.trustDomain())))
                  .as("the operator's server")
                  .containsExactly(expected);
              assertThat(scmFederation.with(List.of(expected.trustDomain())))
                  .as("spire-controller-manager's server")
                  .containsExactly(expected);
            });
  }

  private String readyReason(String kind, String name) {
    GenericKubernetesResource r = objects.get(kind, name);
    if (r == null || !(r.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return null;
    }
    if (!(status.get("conditions") instanceof List<?> conditions)) {
      return null;
    }
    return conditions.stream()
        .filter(c -> c instanceof Map<?, ?> m && "Ready".equals(m.get("type")))
        .map(c -> (String) ((Map<?, ?>) c).get("reason"))
        .findFirst()
        .orElse(null);
  }

  private static Path resource(String name) {
    try {
      return Path.of(ScmParityE2ETest.class.getResource(name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the clock is past the second the (first) object was created in. */
  private static void afterTheSecondOf(List<GenericKubernetesResource> created) {
    long second =
        Instant.parse(created.get(0).getMetadata().getCreationTimestamp()).getEpochSecond();
    within(Duration.ofSeconds(5), "a second after " + created.get(0).getMetadata().getName())
        .until(() -> Instant.now().getEpochSecond() > second);
  }
}
