package org.spireoperator.tenancy;

import java.util.Objects;

/** A broken tenant rule, with one sentence that names the field, the rule and how to comply. */
public record Violation(TenantRule rule, String message) {
  public Violation {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
  }
}
