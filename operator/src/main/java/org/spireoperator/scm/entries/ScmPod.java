package org.spireoperator.scm.entries;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.Map;
import java.util.Objects;
import org.spireoperator.scm.template.KubeJson;

/**
 * A Pod as spire-controller-manager's rendering sees it: identity and labels for selection, node
 * name for its parent, and metadata and spec as template data ({@code .PodMeta}, {@code .PodSpec}).
 */
public record ScmPod(
    String namespace,
    String name,
    String uid,
    String nodeName,
    Map<String, String> labels,
    KubeJson meta,
    KubeJson spec) {

  public ScmPod {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    uid = uid == null ? "" : uid;
    nodeName = nodeName == null ? "" : nodeName;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    Objects.requireNonNull(meta, "meta");
    Objects.requireNonNull(spec, "spec");
  }

  public static ScmPod of(Pod pod) {
    ObjectMeta meta = pod.getMetadata();
    PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
    return new ScmPod(
        meta.getNamespace(),
        meta.getName(),
        meta.getUid(),
        spec.getNodeName(),
        meta.getLabels(),
        KubeJson.of(meta),
        KubeJson.of(spec));
  }
}
