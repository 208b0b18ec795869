package org.spireoperator.crd;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.spireoperator.spire.Entry;

/** What {@link SpiffeIdRules} decided about a {@link SpiffeID}. */
public sealed interface Admission {

  /**
   * The SpiffeID may be registered as {@code entry} (the effective entry, e.g. with the namespace
   * selector added).
   */
  record Allowed(Entry entry) implements Admission {
    public Allowed {
      Objects.requireNonNull(entry, "entry");
    }

    @Override
    public String message() {
      return "allowed";
    }
  }

  /** The spec itself is invalid; {@code problems} is never empty. */
  record Invalid(List<SpecProblem> problems) implements Admission {
    public Invalid {
      problems = List.copyOf(problems);
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("an invalid admission needs at least one problem");
      }
    }

    @Override
    public String message() {
      return problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; "));
    }
  }

  /**
   * The spec is valid but breaks {@code rule}; {@code message} names the rule and how to comply.
   */
  record Forbidden(org.spireoperator.tenancy.TenantRule rule, String message) implements Admission {
    public Forbidden {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(message, "message");
    }
  }

  /** One human-readable sentence (or list of problems) describing the decision. */
  String message();

  default boolean isAllowed() {
    return this instanceof Allowed;
  }
}
