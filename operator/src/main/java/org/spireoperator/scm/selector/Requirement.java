package org.spireoperator.scm.selector;

import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/** One label requirement of a compiled selector: a key, an operator and (for In/NotIn) values. */
public record Requirement(String key, Operator operator, SortedSet<String> values) {

  /** The operators of Kubernetes label selectors, spelled as Kubernetes spells them. */
  public enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist
  }

  public Requirement {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(operator, "operator");
    values = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(values));
  }

  /** Kubernetes' semantics: NotIn and DoesNotExist hold for an absent label. */
  public boolean matches(Map<String, String> labels) {
    String value = labels.get(key);
    return switch (operator) {
      case In -> value != null && values.contains(value);
      case NotIn -> value == null || !values.contains(value);
      case Exists -> value != null;
      case DoesNotExist -> value == null;
    };
  }

  /** The requirement in Kubernetes' label selector syntax ({@code app in (a,b)}, {@code !x}). */
  @Override
  public String toString() {
    return switch (operator) {
      case In ->
          values.size() == 1
              ? key + "=" + values.first()
              : key + " in (" + String.join(",", values) + ")";
      case NotIn -> key + " notin (" + String.join(",", values) + ")";
      case Exists -> key;
      case DoesNotExist -> "!" + key;
    };
  }
}
