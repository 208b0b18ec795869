package org.spireoperator.scm.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.spireoperator.scm.template.GoType.MapOf;
import org.spireoperator.scm.template.GoType.Pointer;
import org.spireoperator.scm.template.GoType.Scalar;
import org.spireoperator.scm.template.GoType.SliceOf;
import org.spireoperator.scm.template.GoType.Time;
import org.spireoperator.scm.template.Value.Basic;
import org.spireoperator.scm.template.Value.Data;

/**
 * Go's fmt as text/template uses it: printing an action's value, {@code print}, {@code println} and
 * {@code printf} with the verbs {@code %v}, {@code %s}, {@code %d} and {@code %%}, including fmt's
 * error texts ({@code %!d(string=x)}, {@code %!s(MISSING)}, {@code %!(EXTRA ...)}). Strings,
 * integers, booleans, times and maps and slices of them print as in Go; structs and values Go would
 * print as memory addresses are refused.
 */
final class GoFormat {

  private static final DateTimeFormatter GO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final String ZERO_TIME = "0001-01-01 00:00:00 +0000 UTC";

  private GoFormat() {}

  /**
   * What {@code {{ value }}} writes: a missing value is {@code <no value>}, pointers are followed
   * once.
   */
  static String action(Value v) {
    if (v instanceof Value.Missing) {
      return "<no value>";
    }
    if (v instanceof Data d && d.type() instanceof Pointer p) {
      return d.isAbsent() ? nilPointer(p) : verbV(new Data(p.elem(), d.node()), true);
    }
    return verbV(v, true);
  }

  /**
   * How fmt prints a nil pointer: Kubernetes API structs have a generated {@code String()} method
   * that prints {@code nil}; other types print {@code <nil>}.
   */
  private static String nilPointer(Pointer p) {
    return p.elem() instanceof GoType.Struct || p.elem() instanceof GoType.Opaque ? "nil" : "<nil>";
  }

  /** fmt.Sprint. */
  static String print(List<Value> args) {
    StringBuilder out = new StringBuilder();
    boolean previousString = false;
    for (int i = 0; i < args.size(); i++) {
      boolean isString = isStringKind(args.get(i));
      if (i > 0 && !isString && !previousString) {
        out.append(' ');
      }
      out.append(verbV(args.get(i), true));
      previousString = isString;
    }
    return out.toString();
  }

  /** fmt.Sprintln. */
  static String println(List<Value> args) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(verbV(args.get(i), true));
    }
    return out.append('\n').toString();
  }

  /** fmt.Sprintf for the verbs v, s and d. */
  static String printf(String format, List<Value> args) {
    StringBuilder out = new StringBuilder();
    int argument = 0;
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (i + 1 >= format.length()) {
        out.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(++i);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (verb != 'v' && verb != 's' && verb != 'd') {
        throw new TemplateException(
            "printf verb %"
                + verb
                + " is not supported by this operator's templates (supported: %v, %s, %d, %%)");
      }
      if (argument >= args.size()) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      out.append(formatOne(verb, args.get(argument++)));
    }
    if (argument < args.size()) {
      out.append("%!(EXTRA ");
      for (int i = argument; i < args.size(); i++) {
        if (i > argument) {
          out.append(", ");
        }
        Value a = args.get(i);
        out.append(isNil(a) ? "<nil>" : Value.typeName(a) + "=" + verbV(a, true));
      }
      out.append(')');
    }
    return out.toString();
  }

  private static String formatOne(char verb, Value arg) {
    if (verb == 'v') {
      return verbV(arg, true);
    }
    if (arg instanceof Value.Missing || arg instanceof Value.Nil) {
      return "%!" + verb + "(<nil>)";
    }
    if (arg instanceof Data d && d.type() instanceof Pointer) {
      if (!d.isAbsent()) {
        throw refuse(d.type(), "a pointer (Go would print its address)");
      }
      if (verb == 'd') {
        return "0";
      }
      Pointer p = (Pointer) d.type();
      return nilPointer(p).equals("nil") ? "nil" : "%!s(" + d.type().name() + "=<nil>)";
    }
    Object scalar = Value.scalar(arg);
    if (scalar == null) {
      if (verb == 's' && arg instanceof Data d && !(d.type() instanceof GoType.Struct)) {
        return verbV(arg, true);
      }
      throw refuse(((Data) arg).type(), "%" + verb + " of this type");
    }
    boolean ok = verb == 's' ? scalar instanceof String : scalar instanceof Long;
    if (ok) {
      return scalar.toString();
    }
    return "%!" + verb + "(" + Value.typeName(arg) + "=" + scalar + ")";
  }

  /** %v of one operand ({@code top}: not inside a map or slice). */
  static String verbV(Value v, boolean top) {
    if (v instanceof Value.Missing || v instanceof Value.Nil) {
      return "<nil>";
    }
    if (v instanceof Basic b) {
      return b.value().toString();
    }
    Data d = (Data) v;
    GoType type = d.type();
    if (type instanceof Scalar) {
      return Value.scalar(d).toString();
    }
    if (type instanceof Time) {
      return d.isAbsent() ? ZERO_TIME : time(d.node());
    }
    if (type instanceof Pointer p) {
      if (d.isAbsent()) {
        return nilPointer(p);
      }
      if (p.elem() instanceof Time && top) {
        return time(d.node());
      }
      throw refuse(type, "a pointer (Go would print its address)");
    }
    if (type instanceof MapOf m) {
      Map<String, JsonNode> sorted = new TreeMap<>(GoFormat::compareUtf8);
      if (!d.isAbsent()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = d.node().fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          sorted.put(e.getKey(), e.getValue());
        }
      }
      List<String> parts = new ArrayList<>();
      sorted.forEach((k, child) -> parts.add(k + ":" + verbV(new Data(m.elem(), child), false)));
      return "map[" + String.join(" ", parts) + "]";
    }
    if (type instanceof SliceOf s) {
      List<String> parts = new ArrayList<>();
      if (!d.isAbsent()) {
        d.node().forEach(child -> parts.add(verbV(new Data(s.elem(), child), false)));
      }
      return "[" + String.join(" ", parts) + "]";
    }
    throw refuse(type, "a struct");
  }

  /**
   * Go's time.Time.String() of an RFC 3339 time, in UTC (the zone spire-controller-manager runs
   * in).
   */
  static String time(JsonNode node) {
    try {
      Instant instant = OffsetDateTime.parse(node.asText()).toInstant();
      OffsetDateTime utc = instant.atOffset(ZoneOffset.UTC);
      String fraction = "";
      if (utc.getNano() != 0) {
        fraction = "." + String.format("%09d", utc.getNano()).replaceAll("0+$", "");
      }
      return GO_TIME.format(utc) + fraction + " +0000 UTC";
    } catch (DateTimeParseException e) {
      throw new TemplateException("time " + node.asText() + " is not RFC 3339");
    }
  }

  static boolean isStringKind(Value v) {
    return Value.scalar(v) instanceof String;
  }

  private static boolean isNil(Value v) {
    return v instanceof Value.Missing || v instanceof Value.Nil;
  }

  /** Go orders map keys by byte value; for UTF-8 that is code point order. */
  private static int compareUtf8(String a, String b) {
    return java.util.Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static TemplateException refuse(GoType type, String what) {
    return new TemplateException(
        "cannot print a value of type "
            + type.name()
            + ": "
            + what
            + " (this operator's templates print strings, integers, booleans, times and maps and "
            + "lists of them)");
  }
}
