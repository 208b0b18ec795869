package org.spireoperator.scm.template;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Go type of a value that templates see: enough of Go's type system to evaluate field chains,
 * {@code index} and printing as text/template does. Kubernetes objects are described by {@link
 * KubernetesGoTypes}: every struct field has its Go name (what a template writes) and its JSON name
 * (where the value is in the Kubernetes JSON model).
 */
public sealed interface GoType {

  /** The type's name as Go prints it ({@code %T}), e.g. {@code *v1.ObjectMeta}. */
  String name();

  /** string, integer and boolean types (named ones such as {@code types.UID} included). */
  record Scalar(String name, Kind kind) implements GoType {
    public enum Kind {
      STRING,
      INT,
      BOOL
    }
  }

  /** A pointer; a JSON null or absent value is a nil pointer. */
  record Pointer(GoType elem) implements GoType {
    @Override
    public String name() {
      return "*" + elem.name();
    }
  }

  /** A map with string keys; absent is a nil map (no entries). */
  record MapOf(GoType elem) implements GoType {
    @Override
    public String name() {
      return "map[string]" + elem.name();
    }
  }

  /** A slice; absent is a nil slice (no elements). */
  record SliceOf(GoType elem) implements GoType {
    @Override
    public String name() {
      return "[]" + elem.name();
    }
  }

  /** {@code metav1.Time}: an RFC 3339 string in JSON, printed as Go's {@code time.Time}. */
  record Time() implements GoType {
    @Override
    public String name() {
      return "v1.Time";
    }
  }

  /** A struct: fields by Go name, each with its JSON name. */
  record Struct(String name, Map<String, Field> fields) implements GoType {
    public Struct(String name, List<Field> fields) {
      this(
          name,
          fields.stream()
              .collect(
                  Collectors.toUnmodifiableMap(Field::goName, Function.identity(), (a, b) -> a)));
    }

    public Optional<Field> field(String goName) {
      return Optional.ofNullable(fields.get(goName));
    }
  }

  /**
   * A Kubernetes type this operator does not model field by field (e.g. {@code v1.Affinity}): a
   * template can test a pointer to it for nil but not read inside it.
   */
  record Opaque(String name) implements GoType {}

  /** A struct field: {@code goName} is what templates write, {@code jsonName} its JSON key. */
  record Field(String goName, String jsonName, GoType type) {}

  static Scalar string() {
    return new Scalar("string", Scalar.Kind.STRING);
  }

  static Scalar named(String name) {
    return new Scalar(name, Scalar.Kind.STRING);
  }

  static Scalar int32() {
    return new Scalar("int32", Scalar.Kind.INT);
  }

  static Scalar int64() {
    return new Scalar("int64", Scalar.Kind.INT);
  }

  static Scalar bool() {
    return new Scalar("bool", Scalar.Kind.BOOL);
  }
}
