package org.spireoperator.spire;

import java.util.Objects;

/**
 * A SPIRE selector {@code type:value}. The type is non-empty and has no ':'; the value is non-empty
 * and may contain ':' (e.g. {@code k8s:pod-label:app:web} has type {@code k8s} and value {@code
 * pod-label:app:web}).
 */
public record Selector(String type, String value) implements Comparable<Selector> {

  public Selector {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    if (type.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid selector \"" + type + ":" + value + "\": type is empty");
    }
    if (type.contains(":")) {
      throw new IllegalArgumentException(
          "invalid selector type \"" + type + "\": must not contain ':'");
    }
    if (value.isEmpty()) {
      throw new IllegalArgumentException("invalid selector \"" + type + ":\": value is empty");
    }
  }

  /** Parses {@code type:value}. */
  public static Selector parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "invalid selector \"" + text + "\": expected \"type:value\"");
    }
    return new Selector(text.substring(0, colon), text.substring(colon + 1));
  }

  /** A selector of the Kubernetes workload attestor: {@code k8s:<name>:<value>}. */
  public static Selector k8s(String name, String value) {
    return new Selector("k8s", name + ":" + value);
  }

  @Override
  public int compareTo(Selector o) {
    int c = type.compareTo(o.type);
    return c != 0 ? c : value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return type + ":" + value;
  }
}
