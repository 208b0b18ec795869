package org.spireoperator.spire.testserver;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import spire.api.server.entry.v1.ListEntriesRequest;

/**
 * Holds a full pass in its listing: once the children of {@code nodeEntries} node entries are being
 * listed (the listings run in parallel), one of those listings waits until {@link #release}; a pass
 * that reads the whole server instead waits in that listing. Tests use it to change the cluster
 * while a pass reads the server.
 */
public final class ListingHold implements AutoCloseable {

  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  private ListingHold() {}

  /** Arms the hold on {@code server}'s ListEntries calls. */
  public static ListingHold onceNodeEntriesListed(SpireTestServer server, int nodeEntries) {
    ListingHold hold = new ListingHold();
    AtomicBoolean taken = new AtomicBoolean();
    server.onEvery(
        "ListEntries",
        () -> {
          var filters =
              server.calls("ListEntries").stream()
                  .map(c -> c.request(ListEntriesRequest.class).getFilter())
                  .toList();
          boolean whole = filters.stream().anyMatch(f -> !f.hasByParentId());
          long listed =
              filters.stream()
                  .map(f -> f.getByParentId().getPath())
                  .filter(path -> path.contains("/node/"))
                  .distinct()
                  .count();
          if ((listed < nodeEntries && !whole) || !taken.compareAndSet(false, true)) {
            return;
          }
          hold.held.countDown();
          try {
            hold.released.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    return hold;
  }

  /** True once a listing waits. */
  public boolean isHolding() {
    return held.getCount() == 0;
  }

  /** Lets the held listing go on. */
  public void release() {
    released.countDown();
  }

  @Override
  public void close() {
    release();
  }
}
