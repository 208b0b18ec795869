package org.spireoperator.reconcile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.Entry;

/**
 * The entries this operator owns in SPIRE, by subject, as last read or written. Filled by a full
 * pass and kept current by every write, so that a change to one pod costs no read.
 *
 * <p>Every {@link #put} stamps its subject with a rising sequence number, so that a full pass that
 * listed SPIRE while incremental writes went on can tell which subjects its listing may have missed
 * ({@link #touchedSince}).
 */
public final class OwnedEntries {

  private final Map<Subject, List<Entry>> bySubject = new ConcurrentHashMap<>();
  private final Map<Subject, Long> stamps = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
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
    stamps.put(subject, sequence.incrementAndGet());
  }

  /** The sequence number of the latest {@link #put}; pass it to {@link #touchedSince} later. */
  public long stamp() {
    return sequence.get();
  }

  /** The subjects written after {@code stamp} was taken. */
  public Set<Subject> touchedSince(long stamp) {
    Set<Subject> out = new HashSet<>();
    stamps.forEach(
        (subject, s) -> {
          if (s > stamp) {
            out.add(subject);
          }
        });
    return out;
  }

  /** Replaces everything with a fresh listing. */
  public void replaceAll(Map<Subject, List<Entry>> entries) {
    bySubject.clear();
    stamps.clear();
    entries.forEach(
        (subject, list) -> {
          if (!list.isEmpty()) {
            bySubject.put(subject, List.copyOf(list));
          }
        });
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
