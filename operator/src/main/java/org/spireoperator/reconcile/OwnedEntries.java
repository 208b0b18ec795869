package org.spireoperator.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.Entry;

/**
 * The entries this operator owns in SPIRE, by subject, as last read or written. Filled by a full pass and kept current
 * by every write, so that a change to one pod costs no read.
 */
public final class OwnedEntries {

  private final Map<Subject, List<Entry>> bySubject = new ConcurrentHashMap<>();
  private final AtomicBoolean loaded = new AtomicBoolean();

  public boolean isLoaded() {
    return loaded.get();
  }

  public List<Entry> get(Subject subject) {
    return bySubject.getOrDefault(subject, List.of());
  }

  public void put(Subject subject, List<Entry> entries) {
    if (entries.isEmpty()) {
      bySubject.remove(subject);
    } else {
      bySubject.put(subject, List.copyOf(entries));
    }
  }

  /** Replaces everything with a fresh listing. */
  public void replaceAll(Map<Subject, List<Entry>> entries) {
    bySubject.clear();
    entries.forEach(this::put);
    loaded.set(true);
  }

  public Map<Subject, List<Entry>> snapshot() {
    return Map.copyOf(bySubject);
  }

  public int podEntryCount() {
    return count(PodKey.class);
  }

  public int nodeEntryCount() {
    return count(NodeKey.class);
  }

  private int count(Class<? extends Subject> kind) {
    int n = 0;
    for (var e : bySubject.entrySet()) {
      if (kind.isInstance(e.getKey())) {
        n += e.getValue().size();
      }
    }
    return n;
  }

  /** All owned entries, flat. */
  public List<Entry> all() {
    List<Entry> out = new ArrayList<>();
    bySubject.values().forEach(out::addAll);
    return out;
  }
}
