package org.spireoperator.reconcile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spireoperator.registration.Desired;
import org.spireoperator.spire.Entry;

/**
 * The writes that make the owned entries of some subjects equal to what the cluster wants. Pure:
 * computed from the desired state and the current owned entries, applied elsewhere.
 *
 * <p>Per subject: no entry wanted deletes every current one; a wanted entry keeps the lowest-ID
 * current entry that already registers it, otherwise updates the lowest-ID current entry, otherwise
 * creates it; every other current entry of the subject is a duplicate and is deleted (lowest ID
 * wins, so concurrent replicas agree). A rejected subject keeps its entries untouched.
 */
public record EntryDiff(List<Entry> creates, List<Entry> updates, List<Entry> deletes) {

  private static final Comparator<Entry> BY_ID = Comparator.comparing(Entry::id);

  public EntryDiff {
    creates = List.copyOf(creates);
    updates = List.copyOf(updates);
    deletes = List.copyOf(deletes);
  }

  public static EntryDiff empty() {
    return new EntryDiff(List.of(), List.of(), List.of());
  }

  public boolean isEmpty() {
    return creates.isEmpty() && updates.isEmpty() && deletes.isEmpty();
  }

  public int size() {
    return creates.size() + updates.size() + deletes.size();
  }

  /** The diff for one subject. */
  public static EntryDiff forSubject(Desired desired, List<Entry> current) {
    List<Entry> creates = new ArrayList<>(1);
    List<Entry> updates = new ArrayList<>(1);
    List<Entry> deletes = new ArrayList<>();
    plan(desired, current, creates, updates, deletes);
    return new EntryDiff(creates, updates, deletes);
  }

  /**
   * The diff for many subjects at once; subjects absent from {@code desired} want no entry (their
   * object is gone).
   */
  public static <K> EntryDiff compute(Map<K, Desired> desired, Map<K, List<Entry>> current) {
    List<Entry> creates = new ArrayList<>();
    List<Entry> updates = new ArrayList<>();
    List<Entry> deletes = new ArrayList<>();
    Set<K> subjects = new HashSet<>(desired.keySet());
    subjects.addAll(current.keySet());
    for (K subject : subjects) {
      Desired d = desired.getOrDefault(subject, new Desired.Unwanted("object is gone"));
      plan(d, current.getOrDefault(subject, List.of()), creates, updates, deletes);
    }
    return new EntryDiff(creates, updates, deletes);
  }

  private static void plan(
      Desired desired,
      List<Entry> current,
      List<Entry> creates,
      List<Entry> updates,
      List<Entry> deletes) {
    if (desired instanceof Desired.Rejected) {
      return;
    }
    List<Entry> sorted = current.stream().sorted(BY_ID).toList();
    if (desired instanceof Desired.Unwanted) {
      deletes.addAll(sorted);
      return;
    }
    Entry wanted = ((Desired.Wanted) desired).entry();
    if (sorted.isEmpty()) {
      creates.add(wanted);
      return;
    }
    Entry keep = sorted.stream().filter(wanted::sameRegistration).findFirst().orElse(null);
    if (keep == null) {
      keep = sorted.get(0);
      updates.add(wanted.withId(keep.id()));
    }
    for (Entry e : sorted) {
      if (e != keep) {
        deletes.add(e);
      }
    }
  }
}
