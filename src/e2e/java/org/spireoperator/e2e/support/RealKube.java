package org.spireoperator.e2e.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.testing.LogFiles;
import org.spireoperator.testing.Script;

/**
 * A real etcd + kube-apiserver on loopback, run by {@code scripts/kube-apiserver.sh}. Every client
 * (the admin one here, and the operator's) reaches it through a {@link TcpForwarder}, whose port
 * stays the same across restarts. Installs the operator's CRD and deploy/ RBAC from the repository,
 * and hands out a kubeconfig that authenticates as the operator's ServiceAccount (a TokenRequest
 * token), never as admin.
 */
public final class RealKube implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RealKube.class);

  public static final String OPERATOR_NAMESPACE = "spire";
  public static final String OPERATOR_SERVICE_ACCOUNT = "spire-k8s-registrar";

  /** The ServiceAccount the spire-server's k8s_psat attestor reads the API server as. */
  public static final String SPIRE_SERVER_SERVICE_ACCOUNT = "spire-server";

  public static final String CRD_NAME = "spiffeids.spiffeid.spiffe.io";

  /**
   * The CRDs deploy/ installs (the SpiffeID one and spire-controller-manager's three), so the
   * operator's {@code cluster_spiffeids} is active in every test.
   */
  public static final List<String> CRD_NAMES =
      List.of(
          CRD_NAME,
          "clusterspiffeids.spire.spiffe.io",
          "clusterstaticentries.spire.spiffe.io",
          "clusterfederatedtrustdomains.spire.spiffe.io");

  private static final List<String> RBAC_FILES =
      List.of(
          "namespace.yaml",
          "serviceaccount.yaml",
          "clusterrole.yaml",
          "clusterrolebinding.yaml",
          "role.yaml",
          "rolebinding.yaml");

  private final Path repoRoot;
  private final Path workdir;
  private final Script script;
  private final TcpForwarder forwarder;
  private final KubernetesClient admin;
  private final String caPem;

  private RealKube(
      Path repoRoot,
      Path workdir,
      Script script,
      TcpForwarder forwarder,
      KubernetesClient admin,
      String caPem) {
    this.repoRoot = repoRoot;
    this.workdir = workdir;
    this.script = script;
    this.forwarder = forwarder;
    this.admin = admin;
    this.caPem = caPem;
  }

  /**
   * Starts the API server in {@code workdir} (left over processes of a former run are stopped
   * first).
   */
  public static RealKube start(Path repoRoot, Path workdir, Path logDir) throws IOException {
    Script script =
        new Script(
            repoRoot.resolve("scripts/kube-apiserver.sh"),
            logDir.resolve("kube-apiserver.sh.log"),
            Map.of());
    Files.createDirectories(workdir);
    script.run("stop", workdir.toString());
    LogFiles.deleteRecursively(workdir);
    script.run("start", workdir.toString());
    Map<String, String> env = Script.exports(script.run("env", workdir.toString()));
    TcpForwarder forwarder = new TcpForwarder(address(env));
    String kubeconfig = Files.readString(Path.of(require(env, "KUBECONFIG")));
    Config config = Config.fromKubeconfig(kubeconfig);
    config.setMasterUrl("https://127.0.0.1:" + forwarder.port());
    config.setRequestTimeout(30_000);
    KubernetesClient admin = new KubernetesClientBuilder().withConfig(config).build();
    String ca = Files.readString(Path.of(require(env, "KUBE_CA_CERT")));
    LOG.atInfo()
        .addKeyValue("apiserver", require(env, "KUBE_APISERVER_URL"))
        .addKeyValue("forwarder", forwarder.port())
        .log("kube-apiserver started");
    return new RealKube(repoRoot, workdir, script, forwarder, admin, ca);
  }

  /** An admin client (system:masters), for the tests' own reads and writes. */
  public KubernetesClient admin() {
    return admin;
  }

  /** The stable URL every client uses. */
  public String url() {
    return "https://127.0.0.1:" + forwarder.port();
  }

  /**
   * Applies the operator's CRDs from deploy/crds/ (every one deploy/ installs) and its Namespace,
   * ServiceAccount and RBAC from deploy/.
   */
  public void installOperatorResources() throws IOException {
    for (String file : RBAC_FILES) {
      apply(repoRoot.resolve("deploy").resolve(file));
    }
    for (String crd : CRD_NAMES) {
      apply(repoRoot.resolve("deploy/crds").resolve(crd + "-v1.yml"));
    }
    for (String crd : CRD_NAMES) {
      admin
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd)
          .waitUntilCondition(
              c ->
                  c != null
                      && c.getStatus() != null
                      && c.getStatus().getConditions() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              k ->
                                  k.getType().equals("Established")
                                      && k.getStatus().equals("True")),
              60,
              TimeUnit.SECONDS);
    }
  }

  /** The CRD as the API server serves it. */
  public CustomResourceDefinition servedCrd() {
    return admin.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).get();
  }

  private void apply(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      for (HasMetadata item : admin.load(in).items()) {
        admin.resource(item).fieldManager("e2e").forceConflicts().serverSideApply();
      }
    }
  }

  /**
   * Writes a kubeconfig that authenticates as the operator's ServiceAccount with a fresh
   * TokenRequest token, so the operator runs with exactly the deploy/ RBAC.
   */
  public Path writeOperatorKubeconfig(Path file) throws IOException {
    return writeKubeconfig(file, OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT);
  }

  /**
   * Gives the spire-server's {@code k8s_psat} node attestor its own ServiceAccount ({@code
   * spire/spire-server}) with exactly the permissions SPIRE documents for it (get pods and nodes,
   * create tokenreviews) and writes a kubeconfig for it.
   */
  public Path writeSpireServerKubeconfig(Path file) throws IOException {
    admin
        .serviceAccounts()
        .inNamespace(OPERATOR_NAMESPACE)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withNamespace(OPERATOR_NAMESPACE)
                .withName(SPIRE_SERVER_SERVICE_ACCOUNT)
                .endMetadata()
                .build())
        .fieldManager("e2e")
        .forceConflicts()
        .serverSideApply();
    admin
        .rbac()
        .clusterRoles()
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName("spire-server-k8s-psat")
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("pods", "nodes")
                .withVerbs("get")
                .endRule()
                .addNewRule()
                .withApiGroups("authentication.k8s.io")
                .withResources("tokenreviews")
                .withVerbs("create")
                .endRule()
                .build())
        .fieldManager("e2e")
        .forceConflicts()
        .serverSideApply();
    admin
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("spire-server-k8s-psat")
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("ClusterRole")
                .withName("spire-server-k8s-psat")
                .endRoleRef()
                .addNewSubject()
                .withKind("ServiceAccount")
                .withNamespace(OPERATOR_NAMESPACE)
                .withName(SPIRE_SERVER_SERVICE_ACCOUNT)
                .endSubject()
                .build())
        .fieldManager("e2e")
        .forceConflicts()
        .serverSideApply();
    return writeKubeconfig(file, OPERATOR_NAMESPACE, SPIRE_SERVER_SERVICE_ACCOUNT);
  }

  /** A kubeconfig authenticating as {@code namespace/serviceAccount} with a TokenRequest token. */
  private Path writeKubeconfig(Path file, String namespace, String serviceAccount)
      throws IOException {
    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(24L * 3600)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    String ca = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: e2e
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: e2e
          context:
            cluster: e2e
            user: %s
            namespace: %s
        current-context: e2e
        """
            .formatted(url(), ca, serviceAccount, token, serviceAccount, namespace);
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
    return file;
  }

  /** A client that uses a kubeconfig file (e.g. the operator's), for permission checks. */
  public static KubernetesClient clientFor(Path kubeconfig) throws IOException {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
        .build();
  }

  /** Stops etcd and kube-apiserver (their data stays). */
  public void stop() {
    script.run("stop", workdir.toString());
    forwarder.dropConnections();
  }

  /** Starts them again on the kept data; the forwarder follows the new port. */
  public void startAgain() {
    script.run("start", workdir.toString());
    forwarder.retarget(address(Script.exports(script.run("env", workdir.toString()))));
  }

  @Override
  public void close() throws IOException {
    admin.close();
    forwarder.close();
    script.run("stop", workdir.toString());
  }

  private static InetSocketAddress address(Map<String, String> env) {
    URI uri = URI.create(require(env, "KUBE_APISERVER_URL"));
    return new InetSocketAddress(uri.getHost(), uri.getPort());
  }

  private static String require(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException(
          "scripts/kube-apiserver.sh env printed no " + name + ": " + env);
    }
    return value;
  }
}
