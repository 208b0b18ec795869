package org.spireoperator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The manifests in deploy/ as a cluster administrator would apply them. */
class DeployManifestsTest {

  private static final String CONFIG_KEY = "k8s-workload-registrar.conf";
  private static final String SERVICE_ACCOUNT = "spire-k8s-registrar";
  private static final String NAMESPACE = "spire";

  private final DeployDirectory deploy = DeployDirectory.ofRepository();

  private Deployment deployment() {
    return deploy.load("deployment.yaml", Deployment.class);
  }

  private PodSpec podSpec() {
    return deployment().getSpec().getTemplate().getSpec();
  }

  private Container registrar() {
    return podSpec().getContainers().get(0);
  }

  private Map<String, Object> operatorConfiguration() {
    ConfigMap configMap = deploy.load("configmap.yaml", ConfigMap.class);
    return DeployDirectory.parseHcl(configMap.getData().get(CONFIG_KEY));
  }

  private List<Container> allContainers() {
    return Stream.concat(podSpec().getContainers().stream(), podSpec().getInitContainers().stream())
        .toList();
  }

  private static Set<String> grants(List<PolicyRule> rules) {
    return rules.stream()
        .flatMap(
            rule ->
                rule.getApiGroups().stream()
                    .flatMap(
                        group ->
                            rule.getResources().stream()
                                .flatMap(
                                    resource ->
                                        rule.getVerbs().stream()
                                            .map(
                                                verb ->
                                                    (group.isEmpty() ? "core" : group)
                                                        + " "
                                                        + resource
                                                        + " "
                                                        + verb))))
        .collect(Collectors.toUnmodifiableSet());
  }

  // Deployment

  @Test
  void deploymentRunsTwoReplicas() {
    assertThat(deployment().getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void deploymentChecksLivenessAtHealthzOnTheHealthPort() {
    Probe liveness = registrar().getLivenessProbe();

    assertThat(liveness.getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(liveness.getHttpGet().getPort()).isEqualTo(new IntOrString("health"));
  }

  @Test
  void deploymentChecksReadinessAtReadyzOnTheHealthPort() {
    Probe readiness = registrar().getReadinessProbe();

    assertThat(readiness.getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(readiness.getHttpGet().getPort()).isEqualTo(new IntOrString("health"));
  }

  @Test
  void deploymentExposesHealthOn8081AndMetricsOn8080() {
    assertThat(registrar().getPorts())
        .extracting(ContainerPort::getName, ContainerPort::getContainerPort)
        .containsExactlyInAnyOrder(tuple("health", 8081), tuple("metrics", 8080));
  }

  @Test
  void deploymentReadsTheConfigurationFileOfTheConfigMap() {
    String configFile = "/run/spire/config/" + CONFIG_KEY;
    VolumeMount mount = mountContaining(configFile).orElseThrow();

    assertThat(registrar().getArgs()).containsExactly("-config", configFile);
    assertThat(podSpec().getVolumes())
        .filteredOn(volume -> volume.getName().equals(mount.getName()))
        .singleElement()
        .satisfies(
            volume -> assertThat(volume.getConfigMap().getName()).isEqualTo("spire-k8s-registrar"));
  }

  @Test
  void deploymentRunsUnderTheOperatorServiceAccount() {
    assertThat(podSpec().getServiceAccountName())
        .isEqualTo(deploy.load("serviceaccount.yaml", ServiceAccount.class).getMetadata().getName())
        .isEqualTo(SERVICE_ACCOUNT);
  }

  @Test
  void deploymentReachesTheServerSocketThroughAReadOnlyMount() {
    String socket = (String) operatorConfiguration().get("server_socket_path");

    assertThat(mountContaining(socket))
        .hasValueSatisfying(mount -> assertThat(mount.getReadOnly()).isTrue());
  }

  @Test
  void deploymentTellsTheOperatorItsPodNameAndNamespace() {
    assertThat(registrar().getEnv())
        .filteredOn(env -> env.getValueFrom() != null && env.getValueFrom().getFieldRef() != null)
        .extracting(env -> env.getName() + "=" + env.getValueFrom().getFieldRef().getFieldPath())
        .contains("POD_NAME=metadata.name", "POD_NAMESPACE=metadata.namespace");
  }

  @Test
  void deploymentRequests100mCpuAnd256MiAndIsLimitedToOneCpuAnd512Mi() {
    ResourceRequirements resources = registrar().getResources();

    assertThat(resources.getRequests())
        .containsEntry("cpu", new Quantity("100m"))
        .containsEntry("memory", new Quantity("256Mi"));
    assertThat(resources.getLimits())
        .containsEntry("cpu", new Quantity("1"))
        .containsEntry("memory", new Quantity("512Mi"));
  }

  @Test
  void deploymentSizesTheJavaHeapFromTheMemoryLimit() {
    assertThat(registrar().getEnv())
        .filteredOn(env -> env.getName().equals("JAVA_TOOL_OPTIONS"))
        .singleElement()
        .satisfies(env -> assertThat(env.getValue()).contains("-XX:MaxRAMPercentage=75"));
  }

  @Test
  void
      deploymentRunsTheJvmWithTheSerialCollectorTheClientCompilerAndTheHeapFreeRatiosAsBenchmarked() {
    assertThat(registrar().getEnv())
        .filteredOn(env -> env.getName().equals("JAVA_TOOL_OPTIONS"))
        .singleElement()
        .satisfies(
            env ->
                assertThat(env.getValue().split(" "))
                    .contains(
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:MinHeapFreeRatio=20",
                        "-XX:MaxHeapFreeRatio=40"));
  }

  private Optional<VolumeMount> mountContaining(String file) {
    return registrar().getVolumeMounts().stream()
        .filter(mount -> Path.of(file).startsWith(Path.of(mount.getMountPath())))
        .findFirst();
  }

  // Container hardening

  @Test
  void everyContainerRunsAsNonRoot() {
    PodSecurityContext pod = podSpec().getSecurityContext();

    assertThat(allContainers())
        .isNotEmpty()
        .allSatisfy(
            container -> {
              SecurityContext own = container.getSecurityContext();
              Boolean nonRoot =
                  own != null && own.getRunAsNonRoot() != null
                      ? own.getRunAsNonRoot()
                      : pod.getRunAsNonRoot();
              Long user =
                  own != null && own.getRunAsUser() != null
                      ? own.getRunAsUser()
                      : pod.getRunAsUser();
              assertThat(nonRoot).as("runAsNonRoot of %s", container.getName()).isTrue();
              assertThat(user).as("runAsUser of %s", container.getName()).isNotNull().isNotZero();
            });
  }

  @Test
  void everyContainerHasAReadOnlyRootFilesystem() {
    assertThat(allContainers())
        .isNotEmpty()
        .allSatisfy(
            container ->
                assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
                    .as(container.getName())
                    .isTrue());
  }

  @Test
  void everyContainerDropsAllCapabilities() {
    assertThat(allContainers())
        .isNotEmpty()
        .allSatisfy(
            container -> {
              assertThat(container.getSecurityContext().getCapabilities().getDrop())
                  .as(container.getName())
                  .contains("ALL");
              assertThat(container.getSecurityContext().getCapabilities().getAdd())
                  .as(container.getName())
                  .isNullOrEmpty();
            });
  }

  @Test
  void noContainerCanEscalatePrivileges() {
    assertThat(allContainers())
        .isNotEmpty()
        .allSatisfy(
            container ->
                assertThat(container.getSecurityContext().getAllowPrivilegeEscalation())
                    .as(container.getName())
                    .isFalse());
  }

  @Test
  void everyContainerUsesTheRuntimeDefaultSeccompProfile() {
    PodSecurityContext pod = podSpec().getSecurityContext();

    assertThat(allContainers())
        .isNotEmpty()
        .allSatisfy(
            container -> {
              SecurityContext own = container.getSecurityContext();
              SeccompProfile profile =
                  own != null && own.getSeccompProfile() != null
                      ? own.getSeccompProfile()
                      : pod.getSeccompProfile();
              assertThat(profile.getType()).as(container.getName()).isEqualTo("RuntimeDefault");
            });
  }

  // RBAC

  @Test
  void clusterRoleGrantsExactlyWhatTheOperatorUses() {
    ClusterRole clusterRole = deploy.load("clusterrole.yaml", ClusterRole.class);

    assertThat(grants(clusterRole.getRules()))
        .containsExactlyInAnyOrder(
            "core pods get",
            "core pods list",
            "core pods watch",
            "core nodes get",
            "core nodes list",
            "core nodes watch",
            "discovery.k8s.io endpointslices get",
            "discovery.k8s.io endpointslices list",
            "discovery.k8s.io endpointslices watch",
            "spiffeid.spiffe.io spiffeids get",
            "spiffeid.spiffe.io spiffeids list",
            "spiffeid.spiffe.io spiffeids watch",
            "spiffeid.spiffe.io spiffeids create",
            "spiffeid.spiffe.io spiffeids update",
            "spiffeid.spiffe.io spiffeids patch",
            "spiffeid.spiffe.io spiffeids delete",
            "spiffeid.spiffe.io spiffeids/status get",
            "spiffeid.spiffe.io spiffeids/status update",
            "spiffeid.spiffe.io spiffeids/status patch",
            "spiffeid.spiffe.io spiffeids/finalizers update",
            "spire.spiffe.io clusterspiffeids get",
            "spire.spiffe.io clusterspiffeids list",
            "spire.spiffe.io clusterspiffeids watch",
            "spire.spiffe.io clusterspiffeids update",
            "spire.spiffe.io clusterspiffeids patch",
            "spire.spiffe.io clusterstaticentries get",
            "spire.spiffe.io clusterstaticentries list",
            "spire.spiffe.io clusterstaticentries watch",
            "spire.spiffe.io clusterstaticentries update",
            "spire.spiffe.io clusterstaticentries patch",
            "spire.spiffe.io clusterfederatedtrustdomains get",
            "spire.spiffe.io clusterfederatedtrustdomains list",
            "spire.spiffe.io clusterfederatedtrustdomains watch",
            "spire.spiffe.io clusterfederatedtrustdomains update",
            "spire.spiffe.io clusterfederatedtrustdomains patch",
            "spire.spiffe.io clusterspiffeids/status get",
            "spire.spiffe.io clusterspiffeids/status update",
            "spire.spiffe.io clusterspiffeids/status patch",
            "spire.spiffe.io clusterstaticentries/status get",
            "spire.spiffe.io clusterstaticentries/status update",
            "spire.spiffe.io clusterstaticentries/status patch",
            "spire.spiffe.io clusterfederatedtrustdomains/status get",
            "spire.spiffe.io clusterfederatedtrustdomains/status update",
            "spire.spiffe.io clusterfederatedtrustdomains/status patch",
            "spire.spiffe.io clusterfederatedtrustdomains/finalizers update",
            "core namespaces get",
            "core namespaces list",
            "core namespaces watch",
            "core events create",
            "core events patch",
            "events.k8s.io events create",
            "events.k8s.io events patch",
            "authorization.k8s.io selfsubjectrulesreviews create");
  }

  @Test
  void clusterRoleIsNotLimitedToNamedObjectsNorUrls() {
    ClusterRole clusterRole = deploy.load("clusterrole.yaml", ClusterRole.class);

    assertThat(clusterRole.getRules())
        .allSatisfy(
            rule -> {
              assertThat(rule.getResourceNames()).isNullOrEmpty();
              assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
            });
  }

  @Test
  void noRbacRuleUsesAWildcard() {
    List<PolicyRule> rules =
        Stream.concat(
                deploy.load("clusterrole.yaml", ClusterRole.class).getRules().stream(),
                deploy.load("role.yaml", Role.class).getRules().stream())
            .toList();

    assertThat(rules)
        .isNotEmpty()
        .allSatisfy(
            rule -> {
              assertThat(rule.getApiGroups()).doesNotContain("*");
              assertThat(rule.getResources()).noneMatch(resource -> resource.contains("*"));
              assertThat(rule.getVerbs()).doesNotContain("*");
            });
  }

  @Test
  void leasesAreGrantedOnlyInTheNamespaceOfTheLeaderElection() {
    Role role = deploy.load("role.yaml", Role.class);
    ClusterRole clusterRole = deploy.load("clusterrole.yaml", ClusterRole.class);

    assertThat(role.getMetadata().getNamespace())
        .isEqualTo(NAMESPACE)
        .isEqualTo(operatorConfiguration().get("leader_election_namespace"));
    assertThat(grants(role.getRules()))
        .containsExactlyInAnyOrder(
            "coordination.k8s.io leases get",
            "coordination.k8s.io leases list",
            "coordination.k8s.io leases watch",
            "coordination.k8s.io leases create",
            "coordination.k8s.io leases update",
            "coordination.k8s.io leases patch");
    assertThat(grants(clusterRole.getRules())).noneMatch(grant -> grant.contains("leases"));
  }

  @Test
  void clusterRoleBindingGrantsTheClusterRoleToTheOperatorServiceAccount() {
    ClusterRoleBinding binding = deploy.load("clusterrolebinding.yaml", ClusterRoleBinding.class);

    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName())
        .isEqualTo(deploy.load("clusterrole.yaml", ClusterRole.class).getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(DeployManifestsTest::isTheOperatorServiceAccount);
  }

  @Test
  void roleBindingGrantsTheLeaseRoleToTheOperatorServiceAccount() {
    RoleBinding binding = deploy.load("rolebinding.yaml", RoleBinding.class);
    Role role = deploy.load("role.yaml", Role.class);

    assertThat(binding.getMetadata().getNamespace()).isEqualTo(role.getMetadata().getNamespace());
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(DeployManifestsTest::isTheOperatorServiceAccount);
  }

  private static void isTheOperatorServiceAccount(Subject subject) {
    assertThat(subject.getKind()).isEqualTo("ServiceAccount");
    assertThat(subject.getName()).isEqualTo(SERVICE_ACCOUNT);
    assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
  }

  // kustomization.yaml

  @Test
  void kustomizationNamesOnlyFilesThatExist() {
    assertThat(deploy.kustomizationResources())
        .isNotEmpty()
        .allSatisfy(
            resource ->
                assertThat(deploy.exists(resource)).as("%s exists in deploy/", resource).isTrue());
  }

  @Test
  void kustomizationNamesEveryManifestOutsideVariantsSpireAndExamples() {
    assertThat(deploy.kustomizationResources())
        .containsExactlyInAnyOrderElementsOf(deploy.installableManifests());
  }

  @Test
  void kustomizationInstallsIntoNamespaceSpire() {
    assertThat(deploy.loadMap("kustomization.yaml")).containsEntry("namespace", NAMESPACE);
  }

  // Operator configuration (HCL in configmap.yaml)

  @Test
  void configurationNamesTheTrustDomainAndTheCluster() {
    assertThat(operatorConfiguration())
        .containsEntry("trust_domain", "example.org")
        .containsEntry("cluster", "demo");
  }

  @Test
  void configurationLooksForAgentsWhereTheExampleSpireAgentsRun() {
    assertThat(operatorConfiguration())
        .containsEntry("agent_namespace", NAMESPACE)
        .containsEntry("agent_pod_selector", "app=spire-agent");
  }

  @Test
  void configurationServesHealthAndMetricsOnTheDeploymentsPorts() {
    assertThat(operatorConfiguration())
        .containsEntry("health_addr", ":8081")
        .containsEntry("metrics_addr", ":8080");
  }

  // Other objects

  @Test
  void disruptionBudgetKeepsOneOperatorPod() {
    PodDisruptionBudget budget = deploy.load("pdb.yaml", PodDisruptionBudget.class);

    assertThat(budget.getSpec().getMinAvailable()).isEqualTo(new IntOrString(1));
    assertThat(deployment().getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void metricsServiceSelectsTheOperatorPodsOnTheMetricsPort() {
    Service service = deploy.load("service-metrics.yaml", Service.class);

    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(deployment().getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            (ServicePort port) -> {
              assertThat(port.getPort()).isEqualTo(8080);
              assertThat(port.getTargetPort()).isEqualTo(new IntOrString("metrics"));
            });
    assertThat(service.getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "8080");
  }

  @Test
  void bundledCrdServesNamespacedSpiffeIdsWithAStatusSubresource() {
    CustomResourceDefinition crd =
        deploy.load("crds/spiffeids.spiffeid.spiffe.io-v1.yml", CustomResourceDefinition.class);

    assertThat(crd.getSpec().getGroup()).isEqualTo("spiffeid.spiffe.io");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("SpiffeID");
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("spiffeids");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getVersions())
        .filteredOn(CustomResourceDefinitionVersion::getName, "v1beta1")
        .singleElement()
        .satisfies(
            version -> {
              assertThat(version.getServed()).isTrue();
              assertThat(version.getSubresources().getStatus()).isNotNull();
            });
  }

  @Test
  void exampleSpiffeIdIsOfTheBundledCrdsGroupVersionAndKind() {
    GenericKubernetesResource example =
        deploy.load("examples/spiffeid.yaml", GenericKubernetesResource.class);

    assertThat(example.getApiVersion()).isEqualTo("spiffeid.spiffe.io/v1beta1");
    assertThat(example.getKind()).isEqualTo("SpiffeID");
    assertThat(example.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(example.<String>get("spec", "spiffeId"))
        .isEqualTo("spiffe://example.org/ns/default/sa/my-app");
  }

  @Test
  void exampleTenantQuotaCapsTheSpiffeIdsOfANamespace() {
    io.fabric8.kubernetes.api.model.ResourceQuota quota =
        deploy.load(
            "examples/tenant-quota.yaml", io.fabric8.kubernetes.api.model.ResourceQuota.class);

    assertThat(quota.getSpec().getHard()).containsKey("count/spiffeids.spiffeid.spiffe.io");
  }

  // Example SPIRE configuration (deploy/spire/)

  @Test
  void exampleSpireServerAllowsTheAgentServiceAccountOfTheOperatorsCluster() {
    ConfigMap server = deploy.load("spire/server-configmap.yaml", ConfigMap.class);
    Map<String, Object> hcl = DeployDirectory.parseHcl(server.getData().get("server.conf"));

    String cluster = (String) operatorConfiguration().get("cluster");
    assertThat(
            path(
                hcl,
                "plugins",
                "NodeAttestor",
                "k8s_sat",
                "plugin_data",
                "clusters",
                cluster,
                "service_account_allow_list"))
        .isEqualTo(List.of("spire:spire-agent"));
  }

  @Test
  void exampleSpireServerListensOnTheSocketTheOperatorConnectsTo() {
    ConfigMap server = deploy.load("spire/server-configmap.yaml", ConfigMap.class);
    Map<String, Object> hcl = DeployDirectory.parseHcl(server.getData().get("server.conf"));

    assertThat(path(hcl, "server", "socket_path"))
        .isEqualTo(operatorConfiguration().get("server_socket_path"));
    assertThat(path(hcl, "server", "trust_domain"))
        .isEqualTo(operatorConfiguration().get("trust_domain"));
  }

  @Test
  void exampleSpireAgentAttestsInTheOperatorsClusterAndUsesTheK8sWorkloadAttestor() {
    ConfigMap agent = deploy.load("spire/agent-configmap.yaml", ConfigMap.class);
    Map<String, Object> hcl = DeployDirectory.parseHcl(agent.getData().get("agent.conf"));

    assertThat(path(hcl, "plugins", "NodeAttestor", "k8s_sat", "plugin_data", "cluster"))
        .isEqualTo(operatorConfiguration().get("cluster"));
    assertThat(path(hcl, "plugins", "WorkloadAttestor", "k8s")).isNotNull();
  }

  private static Object path(Map<?, ?> map, String... keys) {
    Object current = map;
    for (String key : keys) {
      assertThat(current).as("parent of %s", key).isInstanceOf(Map.class);
      current = ((Map<?, ?>) current).get(key);
    }
    return current;
  }
}
