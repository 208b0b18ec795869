package org.spireoperator.scm;

import java.util.Objects;
import java.util.function.Function;

/**
 * A value or the reason there is none: how every pure function of this package reports a failure (a
 * bad template, selector or spec fails one object, never the caller).
 *
 * @param <T> the value's type
 */
public sealed interface Outcome<T> {

  /** A value. */
  record Ok<T>(T value) implements Outcome<T> {
    public Ok {
      Objects.requireNonNull(value, "value");
    }
  }

  /** No value, and why: one line a user can act on. */
  record Failed<T>(String message) implements Outcome<T> {
    public Failed {
      Objects.requireNonNull(message, "message");
    }
  }

  static <T> Outcome<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Outcome<T> failed(String message) {
    return new Failed<>(message);
  }

  default boolean isOk() {
    return this instanceof Ok<T>;
  }

  /** The value; throws {@link IllegalStateException} with the message when there is none. */
  default T orElseThrow() {
    if (this instanceof Ok<T> ok) {
      return ok.value();
    }
    throw new IllegalStateException(((Failed<T>) this).message());
  }

  /** The message of a failure, or null for a value. */
  default String failure() {
    return this instanceof Failed<T> f ? f.message() : null;
  }

  default <R> Outcome<R> map(Function<? super T, ? extends R> f) {
    if (this instanceof Ok<T> ok) {
      return new Ok<>(f.apply(ok.value()));
    }
    return new Failed<>(failure());
  }

  default <R> Outcome<R> flatMap(Function<? super T, Outcome<R>> f) {
    if (this instanceof Ok<T> ok) {
      return f.apply(ok.value());
    }
    return new Failed<>(failure());
  }

  /** The same failure with {@code prefix: } in front of the message; a value unchanged. */
  default Outcome<T> context(String prefix) {
    return this instanceof Failed<T> f ? new Failed<>(prefix + ": " + f.message()) : this;
  }
}
