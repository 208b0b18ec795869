package org.spireoperator.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.spireoperator.spire.DeleteOutcome;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.SpireException;

/** What the SPIRE server answered to an {@link EntryDiff}, item by item. */
public record Applied(
    List<EntryOutcome> created, List<EntryOutcome> updated, List<DeleteOutcome> deleted) {

  public Applied {
    created = List.copyOf(created);
    updated = List.copyOf(updated);
    deleted = List.copyOf(deleted);
  }

  public static Applied nothing() {
    return new Applied(List.of(), List.of(), List.of());
  }

  /**
   * The entries of a subject after these writes: {@code before} less what was deleted, with updates
   * replaced and creates added; a create answered ALREADY_EXISTS adds the existing similar entry
   * only if {@code adoptable} accepts it. Failed items leave the subject as it was.
   */
  public List<Entry> applyTo(List<Entry> before, Predicate<Entry> adoptable) {
    List<Entry> after = new ArrayList<>(before);
    for (DeleteOutcome d : deleted) {
      if (d.deleted()) {
        after.removeIf(e -> e.id().equals(d.id()));
      }
    }
    for (EntryOutcome u : updated) {
      if (u.succeeded() && u.entry() != null) {
        after.removeIf(e -> e.id().equals(u.entry().id()));
        after.add(u.entry());
      }
    }
    for (EntryOutcome c : created) {
      boolean keep = c.succeeded() || (c.alreadyExists() && adoptable.test(c.entry()));
      if (keep
          && c.entry() != null
          && after.stream().noneMatch(e -> e.id().equals(c.entry().id()))) {
        after.add(c.entry());
      }
    }
    return after;
  }

  /** The first failure that may heal by itself, to be retried; null if none. */
  public SpireException transientFailure() {
    for (EntryOutcome o : created) {
      if (!o.succeeded() && !o.alreadyExists() && SpireException.isTransient(o.code())) {
        return new SpireException(
            "BatchCreateEntry", o.code(), o.requested().spiffeId().toString(), o.message(), null);
      }
    }
    for (EntryOutcome o : updated) {
      if (!o.succeeded() && SpireException.isTransient(o.code())) {
        return new SpireException(
            "BatchUpdateEntry", o.code(), o.requested().id(), o.message(), null);
      }
    }
    for (DeleteOutcome o : deleted) {
      if (!o.deleted() && SpireException.isTransient(o.code())) {
        return new SpireException("BatchDeleteEntry", o.code(), o.id(), o.message(), null);
      }
    }
    return null;
  }

  /** True if any item reached the server and was answered (SPIRE is up). */
  public boolean anyAnswered() {
    return created.stream().anyMatch(o -> !SpireException.isTransient(o.code()))
        || updated.stream().anyMatch(o -> !SpireException.isTransient(o.code()))
        || deleted.stream().anyMatch(o -> !SpireException.isTransient(o.code()));
  }
}
