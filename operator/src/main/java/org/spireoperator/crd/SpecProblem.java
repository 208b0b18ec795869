package org.spireoperator.crd;

import java.util.Objects;

/**
 * Why a {@link SpiffeIDSpec} cannot become a SPIRE entry: the JSON path of the offending field
 * (always starting with {@code spec}, e.g. {@code spec.selector.arbitrary[2]}) and what is wrong
 * with it.
 */
public record SpecProblem(String field, String message) {

  public SpecProblem {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  /** {@code <field>: <message>}, ready for a status condition or a log line. */
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
