package org.spireoperator.scm.entries;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpec;
import java.util.Objects;
import org.spireoperator.scm.template.KubeJson;

/** A Node as template data ({@code .NodeMeta}, {@code .NodeSpec}) with its name and UID. */
public record ScmNode(String name, String uid, KubeJson meta, KubeJson spec) {

  public ScmNode {
    Objects.requireNonNull(name, "name");
    uid = uid == null ? "" : uid;
    Objects.requireNonNull(meta, "meta");
    Objects.requireNonNull(spec, "spec");
  }

  public static ScmNode of(Node node) {
    return new ScmNode(
        node.getMetadata().getName(),
        node.getMetadata().getUid(),
        KubeJson.of(node.getMetadata()),
        KubeJson.of(node.getSpec() == null ? new NodeSpec() : node.getSpec()));
  }
}
