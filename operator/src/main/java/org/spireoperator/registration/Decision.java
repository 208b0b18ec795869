package org.spireoperator.registration;

import java.util.List;
import java.util.Objects;

/** What the cluster says about one subject: its desired entry and what to tell the user. */
public record Decision(Desired desired, List<Diagnostic> diagnostics) {

  public Decision {
    Objects.requireNonNull(desired, "desired");
    diagnostics = List.copyOf(diagnostics);
  }

  public static Decision of(Desired desired) {
    return new Decision(desired, List.of());
  }
}
