package org.spireoperator.registration;

import java.util.Objects;

/**
 * Something the user should hear about an object, computed with its desired state: the engine logs
 * it once and posts it as a Warning Event; desired-state code never does I/O itself.
 *
 * @param about the object the message concerns
 * @param reason a CamelCase Event reason, e.g. {@code NoAgentIdentified}
 * @param message one sentence that says what happened and what to do
 */
public record Diagnostic(Subject about, String reason, String message) {
  public Diagnostic {
    Objects.requireNonNull(about, "about");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
