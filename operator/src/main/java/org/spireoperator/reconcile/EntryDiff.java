package org.spireoperator.reconcile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.spireoperator.registration.Desired;
import org.spireoperator.spire.Entry;

/**
 * The writes that make one subject's owned entries equal to what the cluster wants. Pure: computed
 * from the desired state and the current owned entries, applied elsewhere.
 *
 * <p>No entry wanted deletes every current one; a wanted entry keeps the lowest-ID current entry
 * that already registers it, otherwise updates the lowest-ID current entry in place (a change of
 * SPIFFE ID, parent or selectors is one update: never a window without an entry), otherwise creates
 * it under the ID the operator chose for the subject; every other current entry of the subject is a
 * duplicate and is deleted (lowest ID wins, so concurrent replicas agree). A rejected subject keeps
 * its entries, except those its rejection no longer retains.
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

  /**
   * The diff for one subject.
   *
   * @param newId the entry ID to create the wanted entry under (the operator's mark)
   */
  public static EntryDiff forSubject(Desired desired, List<Entry> current, String newId) {
    List<Entry> sorted = current.stream().sorted(BY_ID).toList();
    if (desired instanceof Desired.Rejected rejected) {
      return new EntryDiff(
          List.of(), List.of(), sorted.stream().filter(rejected.retain().negate()).toList());
    }
    if (desired instanceof Desired.Unwanted) {
      return new EntryDiff(List.of(), List.of(), sorted);
    }
    Entry wanted = ((Desired.Wanted) desired).entry();
    if (sorted.isEmpty()) {
      return new EntryDiff(List.of(wanted.withId(newId)), List.of(), List.of());
    }
    Entry keep = sorted.stream().filter(wanted::sameRegistration).findFirst().orElse(null);
    List<Entry> updates = new ArrayList<>(1);
    if (keep == null) {
      keep = sorted.get(0);
      updates.add(wanted.withId(keep.id()));
    }
    List<Entry> deletes = new ArrayList<>();
    for (Entry e : sorted) {
      if (e != keep) {
        deletes.add(e);
      }
    }
    return new EntryDiff(List.of(), updates, deletes);
  }
}
