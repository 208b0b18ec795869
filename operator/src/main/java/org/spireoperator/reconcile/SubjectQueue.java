package org.spireoperator.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.spireoperator.registration.Subject;

/**
 * The subjects whose entries need another look, handed to the write workers in batches.
 *
 * <p>As a controller work queue: a subject is queued at most once; a subject being processed is
 * never handed to a second worker, and a change that arrives meanwhile queues it again when its
 * worker is {@link #done}. A subject may wait out a backoff ({@link #retryAfter}); {@link
 * #releaseWaiting} ends every wait at once (SPIRE answered again). Nothing is handed out before
 * {@link #open} (the first full pass has loaded the owned entries) or after {@link #close}.
 *
 * <p>One lock guards all of it; callers never block on it for longer than a few map operations,
 * except {@link #take}, which waits for work on worker threads only.
 */
public final class SubjectQueue {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Clock clock;
  private final LinkedHashSet<Subject> ready = new LinkedHashSet<>();
  private final Map<Subject, Instant> waiting = new HashMap<>();
  private final Set<Subject> processing = new HashSet<>();
  private final Set<Subject> dirty = new HashSet<>();
  private final Map<Subject, Instant> takenAt = new HashMap<>();
  private boolean open;
  private boolean closed;

  public SubjectQueue(Clock clock) {
    this.clock = clock;
  }

  public SubjectQueue() {
    this(Clock.systemUTC());
  }

  /** Queues a subject (again); a no-op if it is already queued. */
  public void add(Subject subject) {
    addAll(List.of(subject));
  }

  public void addAll(Collection<? extends Subject> subjects) {
    if (subjects.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      for (Subject s : subjects) {
        if (processing.contains(s)) {
          dirty.add(s);
        } else {
          waiting.remove(s);
          ready.add(s);
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues a subject once {@code delay} has passed (and its worker, if it has one, is done), unless
   * it is queued sooner by a change.
   */
  public void retryAfter(Subject subject, Duration delay) {
    lock.lock();
    try {
      if (!ready.contains(subject)) {
        waiting.merge(subject, clock.instant().plus(delay), (a, b) -> a.isBefore(b) ? a : b);
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends every backoff: the waiting subjects are queued now (one still being processed, once its
   * worker is done).
   */
  public void releaseWaiting() {
    lock.lock();
    try {
      for (Subject s : waiting.keySet()) {
        if (processing.contains(s)) {
          dirty.add(s);
        } else {
          ready.add(s);
        }
      }
      waiting.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Lets workers take subjects (the owned entries are loaded). */
  public void open() {
    lock.lock();
    try {
      open = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Hands out nothing until {@link #open} again (leadership lost); queued subjects stay. */
  public void pause() {
    lock.lock();
    try {
      open = false;
    } finally {
      lock.unlock();
    }
  }

  public boolean isOpen() {
    lock.lock();
    try {
      return open;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiting worker and hands out nothing more. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for up to {@code max} subjects and marks them as processing; returns an empty list once
   * closed. Only worker threads call this.
   */
  public List<Subject> take(int max) throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (closed) {
          return List.of();
        }
        Instant now = clock.instant();
        promoteDue(now);
        if (open && !ready.isEmpty()) {
          List<Subject> out = new ArrayList<>(Math.min(max, ready.size()));
          var it = ready.iterator();
          while (it.hasNext() && out.size() < max) {
            Subject s = it.next();
            it.remove();
            processing.add(s);
            takenAt.put(s, now);
            out.add(s);
          }
          return out;
        }
        Optional<Instant> nextDue =
            waiting.entrySet().stream()
                .filter(e -> !processing.contains(e.getKey()))
                .map(Map.Entry::getValue)
                .min(Instant::compareTo);
        if (open && nextDue.isPresent()) {
          long ms = Math.max(1, Duration.between(now, nextDue.get()).toMillis());
          changed.await(ms, TimeUnit.MILLISECONDS);
        } else {
          changed.await();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Queues the subjects whose delay has passed, except those still being processed. */
  private void promoteDue(Instant now) {
    var it = waiting.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (!e.getValue().isAfter(now) && !processing.contains(e.getKey())) {
        ready.add(e.getKey());
        it.remove();
      }
    }
  }

  /** A worker finished a subject; a change that came meanwhile queues it again. */
  public void done(Subject subject) {
    lock.lock();
    try {
      processing.remove(subject);
      takenAt.remove(subject);
      if (dirty.remove(subject)) {
        waiting.remove(subject);
        ready.add(subject);
        changed.signalAll();
      } else if (waiting.containsKey(subject)) {
        changed.signalAll(); // its retry may be due: takers look again
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code action} for each of {@code subjects} that no worker is processing, while no worker
   * can take it; returns how many it ran for. The full pass replaces index entries this way.
   */
  public int forEachIdle(Collection<? extends Subject> subjects, Predicate<Subject> action) {
    lock.lock();
    try {
      int n = 0;
      for (Subject s : subjects) {
        if (!processing.contains(s) && action.test(s)) {
          n++;
        }
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** Subjects queued, waiting out a backoff or being processed. */
  public int depth() {
    lock.lock();
    try {
      return ready.size() + waiting.size() + processing.size();
    } finally {
      lock.unlock();
    }
  }

  /** True when nothing is queued, waiting or being processed. */
  public boolean isIdle() {
    return depth() == 0;
  }

  /** How long the longest-running subject has been processed, or zero. */
  public Duration longestProcessing() {
    lock.lock();
    try {
      Instant now = clock.instant();
      return takenAt.values().stream()
          .map(t -> Duration.between(t, now))
          .max(Duration::compareTo)
          .orElse(Duration.ZERO);
    } finally {
      lock.unlock();
    }
  }
}
