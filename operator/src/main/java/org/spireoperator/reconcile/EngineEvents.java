package org.spireoperator.reconcile;

import org.spireoperator.registration.Subject;

/** What the engine counts (metrics); every method must return at once. */
public interface EngineEvents {

  /** Entries written for a subject. */
  default void wrote(Subject subject, int created, int updated, int deleted) {}

  /** SPIRE refused a write for a reason retrying will not fix. */
  default void writeFailed(Subject subject) {}

  /** The subject asks for something invalid or forbidden. */
  default void rejected(Subject subject) {}

  /** A full pass ended. */
  default void passCompleted(PassReport report) {}

  EngineEvents NONE = new EngineEvents() {};
}
