package org.spireoperator.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.spireoperator.spire.DeleteOutcome;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireException;

/**
 * The one place that writes entries to SPIRE: sends a diff as batch calls of at most {@code
 * batchSize} items (deletes, then updates, then creates, so that a replaced entry is gone before
 * its successor is created) and answers item by item. A failed call becomes that code on each of
 * its items; nothing is retried here (the {@link SubjectQueue} owns retries).
 */
public final class EntryWriter {

  private final SpireClient spire;
  private final int batchSize;

  public EntryWriter(SpireClient spire, int batchSize) {
    this.spire = spire;
    this.batchSize = batchSize;
  }

  /** Sends the diff and returns every item's outcome, in the diff's order. */
  public Applied apply(EntryDiff diff) {
    if (diff.isEmpty()) {
      return Applied.nothing();
    }
    List<DeleteOutcome> deleted =
        inBatches(
            diff.deletes().stream().map(Entry::id).toList(),
            spire::deleteEntries,
            (id, e) -> new DeleteOutcome(id, e.code(), e.getMessage()));
    List<EntryOutcome> updated =
        inBatches(
            diff.updates(),
            spire::updateEntries,
            (entry, e) -> new EntryOutcome(entry, null, e.code(), e.getMessage()));
    List<EntryOutcome> created =
        inBatches(
            diff.creates(),
            spire::createEntries,
            (entry, e) -> new EntryOutcome(entry, null, e.code(), e.getMessage()));
    return new Applied(created, updated, deleted);
  }

  private interface Failure<I, O> {
    O of(I item, SpireException e);
  }

  private <I, O> List<O> inBatches(
      List<I> items, Function<List<I>, List<O>> call, Failure<I, O> failure) {
    List<O> out = new ArrayList<>(items.size());
    for (int from = 0; from < items.size(); from += batchSize) {
      List<I> batch = items.subList(from, Math.min(items.size(), from + batchSize));
      try {
        out.addAll(call.apply(batch));
      } catch (SpireException e) {
        batch.forEach(item -> out.add(failure.of(item, e)));
      }
    }
    return out;
  }
}
