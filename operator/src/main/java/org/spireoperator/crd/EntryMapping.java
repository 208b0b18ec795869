package org.spireoperator.crd;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.spireoperator.spire.Entry;

/**
 * The outcome of turning a {@link SpiffeIDSpec} into a SPIRE {@link Entry}: the entry, or every
 * problem found.
 */
public sealed interface EntryMapping {

  /** The spec is valid and describes {@code entry} (without an entry ID). */
  record Valid(Entry entry) implements EntryMapping {
    public Valid {
      Objects.requireNonNull(entry, "entry");
    }
  }

  /**
   * The spec is invalid; {@code problems} is never empty and lists each problem once, in field
   * order.
   */
  record Invalid(List<SpecProblem> problems) implements EntryMapping {
    public Invalid {
      problems = List.copyOf(problems);
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("an invalid mapping needs at least one problem");
      }
    }

    /** All problems, separated by "; ". */
    public String message() {
      return problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; "));
    }
  }

  default boolean isValid() {
    return this instanceof Valid;
  }

  /** The entry when valid, else empty. */
  default Optional<Entry> entryIfValid() {
    return this instanceof Valid v ? Optional.of(v.entry()) : Optional.empty();
  }

  /** The problems when invalid, else empty. */
  default List<SpecProblem> problems() {
    return this instanceof Invalid i ? i.problems() : List.of();
  }
}
