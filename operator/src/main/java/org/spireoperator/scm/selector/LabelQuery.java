package org.spireoperator.scm.selector;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A compiled, valid Kubernetes label selector: all requirements must hold. An empty query matches
 * every object (as an absent or empty {@code LabelSelector} does).
 */
public record LabelQuery(List<Requirement> requirements) {

  /** Matches everything: what an absent or empty selector means. */
  public static final LabelQuery EVERYTHING = new LabelQuery(List.of());

  public LabelQuery {
    requirements = List.copyOf(requirements);
  }

  public boolean matches(Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    for (Requirement r : requirements) {
      if (!r.matches(l)) {
        return false;
      }
    }
    return true;
  }

  public boolean matchesEverything() {
    return requirements.isEmpty();
  }

  /**
   * The selector in Kubernetes' string syntax (for a list call's {@code labelSelector}); empty for
   * {@link #EVERYTHING}.
   */
  @Override
  public String toString() {
    return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
  }
}
