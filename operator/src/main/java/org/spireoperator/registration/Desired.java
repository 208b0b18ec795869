package org.spireoperator.registration;

import java.util.Objects;
import java.util.function.Predicate;
import org.spireoperator.spire.Entry;

/** What the cluster says about one subject's entry. */
public sealed interface Desired {

  /** The subject should have exactly this entry. */
  record Wanted(Entry entry) implements Desired {
    public Wanted {
      Objects.requireNonNull(entry, "entry");
    }
  }

  /**
   * The subject should have no entry (not scheduled, no label, disabled namespace, gone...); {@code
   * condition} names why for status counters ({@code NotRegistered} by default, {@code Masked},
   * {@code FallbackSkipped}, {@code NotSelected}).
   */
  record Unwanted(String reason, String condition) implements Desired {
    public Unwanted {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(condition, "condition");
    }

    public Unwanted(String reason) {
      this(reason, "NotRegistered");
    }
  }

  /**
   * The subject asks for something invalid or forbidden. Its existing entries are left as they are
   * (bad input loses nothing), except those that {@code retain} refuses: an entry that breaks the
   * rules now is removed even though the subject's new request is refused. The reason is reported
   * to the user; {@code condition} names it for a status condition or Event ({@code InvalidSpec},
   * {@code Forbidden}, {@code InvalidIdentity}).
   */
  record Rejected(String reason, String condition, Predicate<Entry> retain) implements Desired {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(condition, "condition");
      Objects.requireNonNull(retain, "retain");
    }

    /** Rejected, keeping every existing entry. */
    public Rejected(String reason) {
      this(reason, "InvalidIdentity", e -> true);
    }
  }
}
