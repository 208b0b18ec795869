package org.spireoperator.reconcile;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.spireoperator.spire.DeleteOutcome;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryOutcome;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireException;

/**
 * The one place that writes entries to SPIRE. Callers hand it diffs and wait for the answers;
 * writes from concurrent callers that arrive while a batch is in flight are sent together in the
 * next batch (group commit), so a burst of pod changes costs few RPCs while a single change is sent
 * at once.
 */
public final class EntryWriter implements AutoCloseable {

  private enum Kind {
    CREATE,
    UPDATE,
    DELETE
  }

  private record Op(Kind kind, Entry entry, String id, CompletableFuture<Object> result) {}

  private final SpireClient spire;
  private final int batchSize;
  private final BlockingQueue<List<Op>> queue = new LinkedBlockingQueue<>();
  private final java.util.concurrent.atomic.AtomicInteger pendingOps =
      new java.util.concurrent.atomic.AtomicInteger();
  private final ExecutorService dispatchers;
  private final AtomicBoolean closed = new AtomicBoolean();

  public EntryWriter(SpireClient spire, int batchSize, int concurrency) {
    this.spire = spire;
    this.batchSize = batchSize;
    this.dispatchers =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "spire-entry-writer");
              t.setDaemon(true);
              return t;
            });
    for (int i = 0; i < concurrency; i++) {
      dispatchers.execute(this::dispatchLoop);
    }
  }

  /** Writes waiting to be sent. */
  public int pending() {
    return pendingOps.get();
  }

  /**
   * Sends the diff and returns every item's outcome; blocks until the server answered all of them.
   */
  public Applied apply(EntryDiff diff) {
    if (diff.isEmpty()) {
      return Applied.nothing();
    }
    if (closed.get()) {
      throw new SpireException(
          "EntryWriter", Status.Code.UNAVAILABLE, "", "writer is closed", null);
    }
    List<Op> group = new ArrayList<>(diff.size());
    List<CompletableFuture<Object>> creates = new ArrayList<>();
    List<CompletableFuture<Object>> updates = new ArrayList<>();
    List<CompletableFuture<Object>> deletes = new ArrayList<>();
    diff.creates().forEach(e -> creates.add(op(group, Kind.CREATE, e, null)));
    diff.updates().forEach(e -> updates.add(op(group, Kind.UPDATE, e, e.id())));
    diff.deletes().forEach(e -> deletes.add(op(group, Kind.DELETE, e, e.id())));
    pendingOps.addAndGet(group.size());
    queue.add(group);
    return new Applied(
        creates.stream().map(f -> (EntryOutcome) join(f)).toList(),
        updates.stream().map(f -> (EntryOutcome) join(f)).toList(),
        deletes.stream().map(f -> (DeleteOutcome) join(f)).toList());
  }

  /**
   * Deletes entries known only by ID (e.g. a SpiffeID's {@code status.entryId}); NOT_FOUND counts
   * as deleted.
   */
  public List<DeleteOutcome> delete(List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    if (closed.get()) {
      throw new SpireException(
          "EntryWriter", Status.Code.UNAVAILABLE, "", "writer is closed", null);
    }
    List<Op> group = new ArrayList<>(ids.size());
    List<CompletableFuture<Object>> deletes = new ArrayList<>();
    ids.forEach(id -> deletes.add(op(group, Kind.DELETE, null, id)));
    pendingOps.addAndGet(group.size());
    queue.add(group);
    return deletes.stream().map(f -> (DeleteOutcome) join(f)).toList();
  }

  private static CompletableFuture<Object> op(List<Op> group, Kind kind, Entry entry, String id) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    group.add(new Op(kind, entry, id, f));
    return f;
  }

  private static Object join(CompletableFuture<Object> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SpireException("EntryWriter", Status.Code.CANCELLED, "", "interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re
          ? re
          : new IllegalStateException(e.getCause());
    }
  }

  private void dispatchLoop() {
    while (!closed.get()) {
      List<Op> ops = new ArrayList<>();
      try {
        ops.addAll(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      List<Op> more;
      while (ops.size() < batchSize && (more = queue.poll()) != null) {
        ops.addAll(more);
      }
      pendingOps.addAndGet(-ops.size());
      send(ops, Kind.DELETE);
      send(ops, Kind.UPDATE);
      send(ops, Kind.CREATE);
    }
  }

  private void send(List<Op> all, Kind kind) {
    List<Op> ops = all.stream().filter(o -> o.kind == kind).toList();
    for (int from = 0; from < ops.size(); from += batchSize) {
      List<Op> batch = ops.subList(from, Math.min(ops.size(), from + batchSize));
      try {
        switch (kind) {
          case CREATE ->
              complete(batch, spire.createEntries(batch.stream().map(Op::entry).toList()));
          case UPDATE ->
              complete(batch, spire.updateEntries(batch.stream().map(Op::entry).toList()));
          case DELETE -> complete(batch, spire.deleteEntries(batch.stream().map(Op::id).toList()));
        }
      } catch (SpireException e) {
        for (Op op : batch) {
          op.result.complete(
              kind == Kind.DELETE
                  ? new DeleteOutcome(op.id, e.code(), e.getMessage())
                  : new EntryOutcome(op.entry, null, e.code(), e.getMessage()));
        }
      } catch (RuntimeException e) {
        batch.forEach(op -> op.result.completeExceptionally(e));
      }
    }
  }

  private static void complete(List<Op> batch, List<?> outcomes) {
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).result.complete(outcomes.get(i));
    }
  }

  @Override
  public void close() {
    closed.set(true);
    dispatchers.shutdownNow();
    List<Op> left = new ArrayList<>();
    List<List<Op>> groups = new ArrayList<>();
    queue.drainTo(groups);
    groups.forEach(left::addAll);
    left.forEach(
        op ->
            op.result.completeExceptionally(
                new SpireException(
                    "EntryWriter", Status.Code.UNAVAILABLE, op.id, "writer closed", null)));
  }
}
