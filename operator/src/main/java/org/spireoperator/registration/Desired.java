package org.spireoperator.registration;

import java.util.Objects;
import org.spireoperator.spire.Entry;

/** What the cluster says about one subject's entry. */
public sealed interface Desired {

  /** The subject should have exactly this entry. */
  record Wanted(Entry entry) implements Desired {
    public Wanted {
      Objects.requireNonNull(entry, "entry");
    }
  }

  /** The subject should have no entry (not scheduled, no label, disabled namespace, gone...). */
  record Unwanted(String reason) implements Desired {}

  /**
   * The subject asks for something invalid. Its existing entries are left as they are (bad input
   * loses nothing) and the reason is reported to the user.
   */
  record Rejected(String reason) implements Desired {}
}
