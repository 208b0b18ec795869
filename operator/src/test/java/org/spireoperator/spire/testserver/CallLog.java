package org.spireoperator.spire.testserver;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Every RPC the test server received, in arrival order. Thread-safe. */
public final class CallLog {

  /** The methods that change entries. */
  public static final Set<String> WRITE_METHODS =
      Set.of("BatchCreateEntry", "BatchUpdateEntry", "BatchDeleteEntry");

  private final List<RecordedCall> calls = new ArrayList<>();
  private final List<String> listed = new ArrayList<>();

  synchronized void record(RecordedCall call) {
    calls.add(call);
  }

  /** Notes the IDs of the entries a ListEntries page answered with. */
  synchronized void listed(List<String> entryIds) {
    listed.addAll(entryIds);
  }

  /**
   * The IDs of every entry ListEntries answered with, in order, once per time it was sent: what the
   * clients read.
   */
  public synchronized List<String> listedEntryIds() {
    return List.copyOf(listed);
  }

  public synchronized List<RecordedCall> calls() {
    return List.copyOf(calls);
  }

  /** Calls of one method, by its bare name, e.g. {@code "ListEntries"}. */
  public synchronized List<RecordedCall> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  /** BatchCreateEntry, BatchUpdateEntry and BatchDeleteEntry calls. */
  public synchronized List<RecordedCall> writeCalls() {
    return calls.stream().filter(c -> WRITE_METHODS.contains(c.method())).toList();
  }

  public synchronized void reset() {
    calls.clear();
    listed.clear();
  }
}
