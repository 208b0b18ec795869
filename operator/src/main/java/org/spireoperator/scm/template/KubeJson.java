package org.spireoperator.scm.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Objects;

/**
 * A part of a Kubernetes object (e.g. a Pod's metadata or spec) in its JSON model, the source of
 * the Go field values templates read. Immutable: the tree is copied in and never handed out.
 */
public final class KubeJson {

  private final JsonNode tree;

  private KubeJson(JsonNode tree) {
    this.tree = tree;
  }

  /** The JSON model of a fabric8 object ({@code pod.getMetadata()}, {@code pod.getSpec()}...). */
  public static KubeJson of(Object kubernetesModel) {
    Objects.requireNonNull(kubernetesModel, "kubernetesModel");
    return new KubeJson(Serialization.jsonMapper().valueToTree(kubernetesModel));
  }

  /** A copy of a JSON tree. */
  public static KubeJson ofTree(JsonNode tree) {
    return new KubeJson(Objects.requireNonNull(tree, "tree").deepCopy());
  }

  JsonNode tree() {
    return tree;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KubeJson k && tree.equals(k.tree);
  }

  @Override
  public int hashCode() {
    return tree.hashCode();
  }

  @Override
  public String toString() {
    return tree.toString();
  }
}
