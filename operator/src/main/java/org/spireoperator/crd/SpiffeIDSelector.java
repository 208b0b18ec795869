package org.spireoperator.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a workload must look like to receive the SPIFFE ID: the selector fields of the upstream
 * {@code k8s-workload-registrar} CRD, with the same JSON names. Every field set adds one selector
 * (a pod label and an arbitrary item each add one); see {@link SpiffeIDEntries} for the mapping.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "cluster",
  "agent_node_uid",
  "podLabel",
  "podName",
  "podUid",
  "namespace",
  "serviceAccount",
  "containerImage",
  "containerName",
  "nodeName",
  "arbitrary"
})
public class SpiffeIDSelector {

  /** Item pattern of {@code arbitrary}: {@code <k8s selector name>:<value>}. */
  public static final String ARBITRARY_PATTERN = "^[^:]+:.+$";

  @Size(max = Limits.NAME)
  @JsonProperty("cluster")
  @JsonPropertyDescription(
      "Cluster name the node agent attested with (k8s_psat node attestor); adds the selector "
          + "k8s_psat:cluster:<value>. Only for node entries.")
  private String cluster;

  @Size(max = Limits.NAME)
  @JsonProperty("agent_node_uid")
  @JsonPropertyDescription(
      "UID of the node the agent runs on (k8s_psat node attestor); adds the selector "
          + "k8s_psat:agent_node_uid:<value>. Only for node entries.")
  private String agentNodeUid;

  @Size(max = Limits.POD_LABELS)
  @JsonProperty("podLabel")
  @JsonPropertyDescription(
      "Pod labels the workload must carry; each name/value pair adds the selector "
          + "k8s:pod-label:<name>:<value>.")
  private Map<String, String> podLabel;

  @Size(max = Limits.NAME)
  @JsonProperty("podName")
  @JsonPropertyDescription("Name of the pod; adds the selector k8s:pod-name:<value>.")
  private String podName;

  @Size(max = Limits.NAME)
  @JsonProperty("podUid")
  @JsonPropertyDescription("UID of the pod; adds the selector k8s:pod-uid:<value>.")
  private String podUid;

  @Size(max = Limits.NAME)
  @JsonProperty("namespace")
  @JsonPropertyDescription(
      "Namespace of the pod; adds the selector k8s:ns:<value>. When the operator confines "
          + "SpiffeIDs to their namespace it must equal metadata.namespace, and is filled in when empty.")
  private String namespace;

  @Size(max = Limits.NAME)
  @JsonProperty("serviceAccount")
  @JsonPropertyDescription("Service account of the pod; adds the selector k8s:sa:<value>.")
  private String serviceAccount;

  @Size(max = Limits.IMAGE)
  @JsonProperty("containerImage")
  @JsonPropertyDescription(
      "Image of the workload's container; adds the selector k8s:container-image:<value>.")
  private String containerImage;

  @Size(max = Limits.NAME)
  @JsonProperty("containerName")
  @JsonPropertyDescription(
      "Name of the workload's container; adds the selector k8s:container-name:<value>.")
  private String containerName;

  @Size(max = Limits.NAME)
  @JsonProperty("nodeName")
  @JsonPropertyDescription(
      "Name of the node the pod runs on; adds the selector k8s:node-name:<value>.")
  private String nodeName;

  @Size(max = Limits.ARBITRARY)
  @JsonProperty("arbitrary")
  @JsonPropertyDescription(
      "Further Kubernetes workload attestor selectors written as <name>:<value> without the "
          + "'k8s:' type (for example pod-image-count:1); each item adds the selector k8s:<item>, as upstream did.")
  private List<@Pattern(ARBITRARY_PATTERN) @Size(max = Limits.ARBITRARY_ITEM) String> arbitrary;

  public SpiffeIDSelector() {}

  public String getCluster() {
    return cluster;
  }

  public void setCluster(String cluster) {
    this.cluster = cluster;
  }

  public String getAgentNodeUid() {
    return agentNodeUid;
  }

  public void setAgentNodeUid(String agentNodeUid) {
    this.agentNodeUid = agentNodeUid;
  }

  public Map<String, String> getPodLabel() {
    return podLabel;
  }

  public void setPodLabel(Map<String, String> podLabel) {
    this.podLabel = podLabel;
  }

  public String getPodName() {
    return podName;
  }

  public void setPodName(String podName) {
    this.podName = podName;
  }

  public String getPodUid() {
    return podUid;
  }

  public void setPodUid(String podUid) {
    this.podUid = podUid;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getServiceAccount() {
    return serviceAccount;
  }

  public void setServiceAccount(String serviceAccount) {
    this.serviceAccount = serviceAccount;
  }

  public String getContainerImage() {
    return containerImage;
  }

  public void setContainerImage(String containerImage) {
    this.containerImage = containerImage;
  }

  public String getContainerName() {
    return containerName;
  }

  public void setContainerName(String containerName) {
    this.containerName = containerName;
  }

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  public List<String> getArbitrary() {
    return arbitrary;
  }

  public void setArbitrary(List<String> arbitrary) {
    this.arbitrary = arbitrary;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpiffeIDSelector s
        && Objects.equals(cluster, s.cluster)
        && Objects.equals(agentNodeUid, s.agentNodeUid)
        && Objects.equals(podLabel, s.podLabel)
        && Objects.equals(podName, s.podName)
        && Objects.equals(podUid, s.podUid)
        && Objects.equals(namespace, s.namespace)
        && Objects.equals(serviceAccount, s.serviceAccount)
        && Objects.equals(containerImage, s.containerImage)
        && Objects.equals(containerName, s.containerName)
        && Objects.equals(nodeName, s.nodeName)
        && Objects.equals(arbitrary, s.arbitrary);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        cluster,
        agentNodeUid,
        podLabel,
        podName,
        podUid,
        namespace,
        serviceAccount,
        containerImage,
        containerName,
        nodeName,
        arbitrary);
  }

  @Override
  public String toString() {
    return "SpiffeIDSelector{cluster="
        + cluster
        + ", agent_node_uid="
        + agentNodeUid
        + ", podLabel="
        + podLabel
        + ", podName="
        + podName
        + ", podUid="
        + podUid
        + ", namespace="
        + namespace
        + ", serviceAccount="
        + serviceAccount
        + ", containerImage="
        + containerImage
        + ", containerName="
        + containerName
        + ", nodeName="
        + nodeName
        + ", arbitrary="
        + arbitrary
        + "}";
  }
}
