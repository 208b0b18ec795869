package org.spireoperator.k8s;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code metadata.generation} a controller last handed to the engine, per object name: a
 * reconcile caused by a status update or an outcome event has nothing new for the engine, one with
 * a new generation (or the first one for that object) has.
 */
final class SpecGenerations {

  private final Map<String, Long> seen = new ConcurrentHashMap<>();

  /** Whether {@code generation} is new for {@code name}; remembers it either way. */
  boolean changed(String name, Long generation) {
    Long before = seen.put(name, generation == null ? 0L : generation);
    return before == null || !Objects.equals(before, generation == null ? 0L : generation);
  }

  /** Forgets {@code name}: its object is gone. */
  void forget(String name) {
    seen.remove(name);
  }
}
