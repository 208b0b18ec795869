package org.spireoperator.reconcile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.spireoperator.spire.Entry;

/**
 * Where one subject stands after the engine last looked at it: the entries it owns and a condition
 * for its status ({@code Registered}, {@code Pending}, {@code InvalidSpec}, {@code Forbidden},
 * {@code Conflict}, {@code SpireError}, {@code NotRegistered}...); {@code declared} is true when
 * the subject wants an entry (written or not).
 */
public record SubjectOutcome(
    List<Entry> entries, boolean ready, String reason, String message, boolean declared) {

  public SubjectOutcome {
    entries = List.copyOf(entries);
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  /** The ID of the subject's entry (the lowest, if duplicates remain). */
  public Optional<String> entryId() {
    return entries.stream().map(Entry::id).sorted().findFirst();
  }
}
