package org.spireoperator.scm.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import org.spireoperator.scm.template.GoType.Field;
import org.spireoperator.scm.template.GoType.Pointer;
import org.spireoperator.scm.template.GoType.Struct;

/**
 * What spire-controller-manager v0.6.4 gives its templates ({@code spireentry.templateData}):
 * {@code .TrustDomain}, {@code .ClusterName}, {@code .ClusterDomain} (strings) and {@code
 * .PodMeta}, {@code .PodSpec}, {@code .NodeMeta}, {@code .NodeSpec} (pointers; nil when absent, as
 * for the parent ID template, which sees no pod).
 */
public record TemplateData(
    String trustDomain,
    String clusterName,
    String clusterDomain,
    KubeJson podMeta,
    KubeJson podSpec,
    KubeJson nodeMeta,
    KubeJson nodeSpec) {

  /** The Go type of the data: a pointer to spire-controller-manager's struct. */
  static final Pointer TYPE =
      new Pointer(
          new Struct(
              "spireentry.templateData",
              List.of(
                  new Field("TrustDomain", "TrustDomain", GoType.string()),
                  new Field("ClusterName", "ClusterName", GoType.string()),
                  new Field("ClusterDomain", "ClusterDomain", GoType.string()),
                  new Field("PodMeta", "PodMeta", new Pointer(KubernetesGoTypes.OBJECT_META)),
                  new Field("PodSpec", "PodSpec", new Pointer(KubernetesGoTypes.POD_SPEC)),
                  new Field("NodeMeta", "NodeMeta", new Pointer(KubernetesGoTypes.OBJECT_META)),
                  new Field("NodeSpec", "NodeSpec", new Pointer(KubernetesGoTypes.NODE_SPEC)))));

  public TemplateData {
    Objects.requireNonNull(trustDomain, "trustDomain");
    clusterName = clusterName == null ? "" : clusterName;
    clusterDomain = clusterDomain == null ? "" : clusterDomain;
  }

  /** Data for the parent ID template: the node only (PodMeta and PodSpec are nil). */
  public TemplateData withoutPod() {
    return new TemplateData(
        trustDomain, clusterName, clusterDomain, null, null, nodeMeta, nodeSpec);
  }

  /** The data as one JSON tree keyed by Go field name, as {@link #TYPE} describes it. */
  JsonNode tree() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("TrustDomain", trustDomain);
    root.put("ClusterName", clusterName);
    root.put("ClusterDomain", clusterDomain);
    put(root, "PodMeta", podMeta);
    put(root, "PodSpec", podSpec);
    put(root, "NodeMeta", nodeMeta);
    put(root, "NodeSpec", nodeSpec);
    return root;
  }

  private static void put(ObjectNode root, String name, KubeJson value) {
    if (value != null) {
      root.set(name, value.tree());
    }
  }
}
