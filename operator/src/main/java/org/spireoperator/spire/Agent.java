package org.spireoperator.spire;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/** An attested SPIRE agent as the Agent API reports it. */
public record Agent(
    SpiffeId id,
    String attestationType,
    SortedSet<Selector> selectors,
    boolean banned,
    long x509SvidExpiresAt,
    boolean canReattest) {

  public Agent {
    Objects.requireNonNull(id, "id");
    attestationType = attestationType == null ? "" : attestationType;
    selectors = Collections.unmodifiableSortedSet(new TreeSet<>(selectors));
  }

  /**
   * The value of the first selector with this type and value prefix, e.g. {@code ("k8s_psat",
   * "agent_node_name")}.
   */
  public String selectorValue(String type, String name) {
    String prefix = name + ":";
    return selectors.stream()
        .filter(s -> s.type().equals(type) && s.value().startsWith(prefix))
        .map(s -> s.value().substring(prefix.length()))
        .findFirst()
        .orElse(null);
  }
}
