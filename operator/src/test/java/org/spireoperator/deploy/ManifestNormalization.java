package org.spireoperator.deploy;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pure functions that bring two renderings of the same objects to one form before they are compared
 * field by field. Each one removes or rewrites only what it names; everything else must be equal.
 */
public final class ManifestNormalization {

  /** The operator's configuration file in its ConfigMap. */
  public static final String CONFIG_FILE = "k8s-workload-registrar.conf";

  /** Labels Helm (and the chart, by Helm convention) put on the objects of a release. */
  public static final Set<String> HELM_LABELS =
      Set.of(
          "helm.sh/chart",
          "app.kubernetes.io/managed-by",
          "app.kubernetes.io/instance",
          "app.kubernetes.io/version");

  /**
   * Annotations of the chart that deploy/ does not have: the CRD's resource policy, the release
   * Helm records on every object it creates, and the pod template's configuration checksum.
   */
  public static final Set<String> HELM_ANNOTATIONS =
      Set.of(
          "helm.sh/resource-policy",
          "meta.helm.sh/release-name",
          "meta.helm.sh/release-namespace",
          "checksum/config");

  /** Metadata the API server writes. */
  private static final Set<String> SERVER_METADATA =
      Set.of("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields");

  /** Annotations kubectl and the API server write. */
  private static final Set<String> SERVER_ANNOTATIONS =
      Set.of(
          "kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision");

  /** Lists Kubernetes merges by a key (listType map): their order carries no meaning. */
  private static final Map<String, String> KEYED_LISTS =
      Map.of("volumes", "name", "volumeMounts", "mountPath");

  private ManifestNormalization() {}

  /**
   * One form for equal content: numbers as exact decimals (0 and 0.0 are equal), the operator's HCL
   * configuration parsed into its keys and values (comments, order and spacing do not count),
   * volumes and volume mounts ordered by their keys.
   */
  public static Map<String, Object> canonical(Map<String, Object> object) {
    @SuppressWarnings("unchecked")
    Map<String, Object> copy = (Map<String, Object>) canonicalValue(null, object);
    if ("ConfigMap".equals(copy.get("kind")) && copy.get("data") instanceof Map<?, ?> data) {
      Map<String, Object> parsed = new LinkedHashMap<>();
      data.forEach(
          (key, value) ->
              parsed.put(
                  key.toString(),
                  CONFIG_FILE.equals(key)
                      ? canonicalValue(null, parseHcl(value.toString()))
                      : value));
      copy.put("data", parsed);
    }
    return copy;
  }

  /** Any YAML value (map, list, scalar) in the same canonical form as {@link #canonical}. */
  public static Object canonicalContent(Object value) {
    return canonicalValue(null, value);
  }

  /** Without Helm's labels and annotations ({@link #HELM_LABELS}, {@link #HELM_ANNOTATIONS}). */
  public static Map<String, Object> withoutHelmFields(Map<String, Object> object) {
    Map<String, Object> copy = deepCopy(object);
    Map<String, Object> metadata = child(copy, "metadata");
    removeKeys(metadata, "labels", HELM_LABELS);
    removeKeys(metadata, "annotations", HELM_ANNOTATIONS);
    Map<String, Object> template = child(child(copy, "spec"), "template");
    removeKeys(child(template, "metadata"), "annotations", HELM_ANNOTATIONS);
    return copy;
  }

  /**
   * Without what the API server assigns or records (uid, resource version, timestamps, managed
   * fields, kubectl's last-applied annotation, status, a Service's cluster IPs).
   */
  public static Map<String, Object> withoutServerFields(Map<String, Object> object) {
    Map<String, Object> copy = deepCopy(object);
    Map<String, Object> metadata = child(copy, "metadata");
    if (metadata != null) {
      metadata.keySet().removeAll(SERVER_METADATA);
      removeKeys(metadata, "annotations", SERVER_ANNOTATIONS);
    }
    copy.remove("status");
    if ("Service".equals(copy.get("kind"))) {
      Map<String, Object> spec = child(copy, "spec");
      if (spec != null) {
        spec.remove("clusterIP");
        spec.remove("clusterIPs");
      }
    }
    return copy;
  }

  private static Object canonicalValue(String key, Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k.toString(), canonicalValue(k.toString(), v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(item -> copy.add(canonicalValue(null, item)));
      String by = KEYED_LISTS.get(key);
      if (by != null && copy.stream().allMatch(item -> item instanceof Map<?, ?>)) {
        copy.sort(Comparator.comparing(item -> String.valueOf(((Map<?, ?>) item).get(by))));
      }
      return copy;
    }
    if (value instanceof Number number) {
      return new BigDecimal(number.toString()).stripTrailingZeros();
    }
    return value;
  }

  private static Map<String, Object> parseHcl(String hcl) {
    try {
      return new HCLParser().parse(hcl);
    } catch (Exception e) {
      throw new IllegalArgumentException("not valid HCL: " + e.getMessage() + "\n" + hcl, e);
    }
  }

  private static void removeKeys(Map<String, Object> parent, String field, Set<String> keys) {
    Map<String, Object> map = child(parent, field);
    if (map == null) {
      return;
    }
    map.keySet().removeAll(keys);
    if (map.isEmpty()) {
      parent.remove(field);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> parent, String field) {
    return parent != null && parent.get(field) instanceof Map<?, ?> map
        ? (Map<String, Object>) map
        : null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> object) {
    return (Map<String, Object>) copyOf(object);
  }

  private static Object copyOf(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k.toString(), copyOf(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(item -> copy.add(copyOf(item)));
      return copy;
    }
    return value;
  }
}
