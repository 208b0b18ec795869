package org.spireoperator.scm.template;

import com.fasterxml.jackson.databind.JsonNode;
import org.spireoperator.scm.template.GoType.Pointer;
import org.spireoperator.scm.template.GoType.Scalar;

/** A value during template execution, with Go's distinctions (typed, missing, nil). */
sealed interface Value {

  /** A value read from the data: its Go type and JSON node (null when absent: zero or nil). */
  record Data(GoType type, JsonNode node) implements Value {
    boolean isAbsent() {
      return node == null || node.isNull() || node.isMissingNode();
    }

    boolean isNilPointer() {
      return type instanceof Pointer && isAbsent();
    }
  }

  /** A string, integer or boolean made by the template itself (a literal or a function result). */
  record Basic(String typeName, Object value) implements Value {
    static Basic string(String s) {
      return new Basic("string", s);
    }

    static Basic integer(long i) {
      return new Basic("int", i);
    }

    static Basic bool(boolean b) {
      return new Basic("bool", b);
    }
  }

  /** Go's invalid value: what a missing map key gives; prints as {@code <no value>}. */
  record Missing() implements Value {}

  /** The untyped {@code nil} literal. */
  record Nil() implements Value {}

  Missing MISSING = new Missing();
  Nil NIL = new Nil();

  /** The Go type name as {@code %T} prints it. */
  static String typeName(Value v) {
    if (v instanceof Data d) {
      return d.type().name();
    }
    if (v instanceof Basic b) {
      return b.typeName();
    }
    return "<nil>";
  }

  /**
   * A scalar's Java value (String, Long or Boolean), zero when absent; null for anything else.
   * Pointers are not followed.
   */
  static Object scalar(Value v) {
    if (v instanceof Basic b) {
      return b.value();
    }
    if (v instanceof Data d && d.type() instanceof Scalar s) {
      return switch (s.kind()) {
        case STRING -> d.isAbsent() ? "" : d.node().asText();
        case INT -> d.isAbsent() ? 0L : d.node().asLong();
        case BOOL -> !d.isAbsent() && d.node().asBoolean();
      };
    }
    return null;
  }
}
