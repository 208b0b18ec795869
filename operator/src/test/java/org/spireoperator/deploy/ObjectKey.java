package org.spireoperator.deploy;

import java.util.Map;

/**
 * Which Kubernetes object a manifest describes: API group, kind, namespace (empty for
 * cluster-scoped objects) and name.
 */
public record ObjectKey(String group, String kind, String namespace, String name)
    implements Comparable<ObjectKey> {

  static ObjectKey of(Map<String, Object> object) {
    String apiVersion = String.valueOf(object.get("apiVersion"));
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    Map<?, ?> metadata = (Map<?, ?>) object.get("metadata");
    Object namespace = metadata.get("namespace");
    return new ObjectKey(
        group,
        String.valueOf(object.get("kind")),
        namespace == null ? "" : namespace.toString(),
        String.valueOf(metadata.get("name")));
  }

  @Override
  public int compareTo(ObjectKey other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return kind
        + (group.isEmpty() ? "" : "." + group)
        + " "
        + (namespace.isEmpty() ? "" : namespace + "/")
        + name;
  }
}
