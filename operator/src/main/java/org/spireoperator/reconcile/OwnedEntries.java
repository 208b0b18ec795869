package org.spireoperator.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.Entry;

/**
 * The entries this operator owns in SPIRE, by subject, as last read or written: filled by a full
 * pass and kept current by every write, so that a change to one object costs no read.
 *
 * <p>Every {@link #put} (a write's result) stamps its subject with a rising sequence number; a full
 * pass that listed SPIRE while writes went on replaces a subject's entries with what it listed only
 * if the subject was not written after the listing began ({@link #mergeListed}).
 */
public final class OwnedEntries {

  private final Map<Subject, List<Entry>> bySubject = new ConcurrentHashMap<>();
  private final Map<Subject, Long> stamps = new ConcurrentHashMap<>();
  private final Map<String, Long> entryStamps = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicBoolean loaded = new AtomicBoolean();

  /** True once a full pass has loaded the index. */
  public boolean isLoaded() {
    return loaded.get();
  }

  public void markLoaded() {
    loaded.set(true);
  }

  /** The index may be stale (another replica wrote): the next full pass loads it again. */
  public void markStale() {
    loaded.set(false);
  }

  public List<Entry> get(Subject subject) {
    return bySubject.getOrDefault(subject, List.of());
  }

  /** Records a subject's entries after a write; stamps the subject and every entry it touched. */
  public void put(Subject subject, List<Entry> entries) {
    long stamp = sequence.incrementAndGet();
    get(subject).forEach(e -> entryStamps.put(e.id(), stamp));
    entries.forEach(e -> entryStamps.put(e.id(), stamp));
    set(subject, entries);
    stamps.put(subject, stamp);
  }

  /**
   * True if the entry with this ID was written (created, updated or deleted) after {@code since}: a
   * listing that began at {@code since} may show it as it was before, so it must not count.
   */
  public boolean writtenSince(String entryId, long since) {
    return entryStamps.getOrDefault(entryId, 0L) > since;
  }

  /** The sequence number of the latest {@link #put}; give it to {@link #mergeListed} later. */
  public long stamp() {
    return sequence.get();
  }

  /**
   * Replaces a subject's entries with what a listing that began at {@code since} found, unless the
   * subject was written after that; returns whether it replaced them.
   */
  public boolean mergeListed(Subject subject, List<Entry> listed, long since) {
    if (stamps.getOrDefault(subject, 0L) > since) {
      return false;
    }
    set(subject, listed);
    return true;
  }

  /** Forgets the stamps of writes up to {@code since}: no later merge can need them. */
  public void forgetStampsUpTo(long since) {
    stamps.values().removeIf(s -> s <= since);
    entryStamps.values().removeIf(s -> s <= since);
  }

  private void set(Subject subject, List<Entry> entries) {
    if (entries.isEmpty()) {
      bySubject.remove(subject);
    } else {
      bySubject.put(subject, List.copyOf(entries));
    }
  }

  /** Every subject that owns at least one entry. */
  public Set<Subject> subjects() {
    return Set.copyOf(bySubject.keySet());
  }

  /** Entries owned by subjects of one kind ({@link Subject#kind()}). */
  public int count(String kind) {
    int n = 0;
    for (var e : bySubject.entrySet()) {
      if (e.getKey().kind().equals(kind)) {
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
