package org.spireoperator.reconcile;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.spireoperator.registration.Subject;

/**
 * The last {@link SubjectOutcome} of each subject the engine processed, for whoever reports it (the
 * SpiffeID controller's status); listeners hear of each change, on the worker's thread, and must
 * not block.
 */
public final class SubjectOutcomes {

  private final Map<Subject, SubjectOutcome> bySubject = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Consumer<Subject>> listeners = new CopyOnWriteArrayList<>();

  public Optional<SubjectOutcome> get(Subject subject) {
    return Optional.ofNullable(bySubject.get(subject));
  }

  public void onChange(Consumer<Subject> listener) {
    listeners.add(listener);
  }

  /** Records an outcome; tells the listeners if it differs from the previous one. */
  public void record(Subject subject, SubjectOutcome outcome) {
    SubjectOutcome previous = bySubject.put(subject, outcome);
    if (!outcome.equals(previous)) {
      listeners.forEach(l -> l.accept(subject));
    }
  }

  /** Every recorded outcome of subjects that {@code include} accepts. */
  public Map<Subject, SubjectOutcome> matching(java.util.function.Predicate<Subject> include) {
    Map<Subject, SubjectOutcome> out = new java.util.HashMap<>();
    bySubject.forEach(
        (s, o) -> {
          if (include.test(s)) {
            out.put(s, o);
          }
        });
    return out;
  }

  /** Forgets a subject whose object is gone. */
  public void forget(Subject subject) {
    if (bySubject.remove(subject) != null) {
      listeners.forEach(l -> l.accept(subject));
    }
  }
}
