package org.spireoperator.reconcile;

import java.util.Set;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.Selector;

/**
 * What the registrar tells the outside world: Kubernetes Events, metrics. Logging is done by the
 * registrar.
 */
public interface RegistrarEvents {

  /** The subject asks for something invalid; it got no new entry. */
  default void rejected(Subject subject, String reason) {}

  /** SPIRE refused a write for a reason retrying will not fix. */
  default void writeFailed(Subject subject, String detail) {}

  /** Entries written for a subject, by kind of subject. */
  default void wrote(Subject subject, int created, int updated, int deleted) {}

  /**
   * Several nodes' entries select the same agents; each such agent receives all their pods'
   * identities.
   */
  default void indistinguishableNodes(Set<String> nodes, Set<Selector> selectors) {}

  /** A pod entry falls back to the node entry as parent because no agent could be identified. */
  default void agentFallback(String node, String reason) {}

  /** A full pass ended. */
  default void passCompleted(PassReport report) {}

  RegistrarEvents NONE = new RegistrarEvents() {};
}
