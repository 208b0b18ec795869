package org.spireoperator.scm.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.spireoperator.scm.template.Ast.BoolLit;
import org.spireoperator.scm.template.Ast.Chain;
import org.spireoperator.scm.template.Ast.Command;
import org.spireoperator.scm.template.Ast.Dot;
import org.spireoperator.scm.template.Ast.Identifier;
import org.spireoperator.scm.template.Ast.IntLit;
import org.spireoperator.scm.template.Ast.NilLit;
import org.spireoperator.scm.template.Ast.Operand;
import org.spireoperator.scm.template.Ast.Paren;
import org.spireoperator.scm.template.Ast.Pipeline;
import org.spireoperator.scm.template.Ast.Root;
import org.spireoperator.scm.template.Ast.StringLit;
import org.spireoperator.scm.template.GoType.MapOf;
import org.spireoperator.scm.template.GoType.Opaque;
import org.spireoperator.scm.template.GoType.Pointer;
import org.spireoperator.scm.template.GoType.SliceOf;
import org.spireoperator.scm.template.GoType.Struct;
import org.spireoperator.scm.template.Value.Basic;
import org.spireoperator.scm.template.Value.Data;

/**
 * Evaluates pipelines against the data as Go text/template does with its default options ({@code
 * missingkey=default}): a missing map key is an invalid value that prints {@code <no value>},
 * {@code index} of a missing key gives the element type's zero value, a field of a nil pointer is
 * an error.
 */
final class Executor {

  private final Value data;

  Executor(Value data) {
    this.data = data;
  }

  Value pipeline(Pipeline pipeline) {
    Value result = null;
    for (Command command : pipeline.commands()) {
      result = command(command, result);
    }
    return result;
  }

  /** One command; {@code piped} is the previous command's result (null for the first). */
  private Value command(Command command, Value piped) {
    Operand head = command.operands().get(0);
    if (head instanceof Identifier function) {
      List<Value> args = new ArrayList<>();
      for (Operand o : command.operands().subList(1, command.operands().size())) {
        args.add(argument(o));
      }
      if (piped != null) {
        args.add(piped);
      }
      return call(function.name(), args);
    }
    if (head instanceof NilLit) {
      throw new TemplateException("nil cannot be a command");
    }
    if (command.operands().size() > 1 || piped != null) {
      throw new TemplateException(describe(head) + " is not a function and takes no arguments");
    }
    return operand(head);
  }

  private Value argument(Operand o) {
    if (o instanceof Identifier function) {
      return call(function.name(), List.of());
    }
    return operand(o);
  }

  private Value operand(Operand o) {
    if (o instanceof Dot || o instanceof Root) {
      return data;
    }
    if (o instanceof Chain chain) {
      Value v = operand(chain.base());
      String path = chain.base() instanceof Root ? "$" : "";
      for (String field : chain.fields()) {
        path += "." + field;
        v = field(v, field, path);
      }
      return v;
    }
    if (o instanceof Paren paren) {
      return pipeline(paren.pipeline());
    }
    if (o instanceof StringLit s) {
      return Basic.string(s.value());
    }
    if (o instanceof IntLit i) {
      return Basic.integer(i.value());
    }
    if (o instanceof BoolLit b) {
      return Basic.bool(b.value());
    }
    if (o instanceof NilLit) {
      return Value.NIL;
    }
    throw new TemplateException("unexpected operand " + describe(o));
  }

  // ------------------------------------------------------------------ fields

  private static Value field(Value receiver, String name, String path) {
    if (receiver instanceof Value.Missing || receiver instanceof Value.Nil) {
      return Value.MISSING;
    }
    if (receiver instanceof Basic b) {
      throw cannotEvaluate(name, b.typeName());
    }
    Data d = (Data) receiver;
    GoType type = d.type();
    if (type instanceof Pointer p) {
      if (p.elem() instanceof Struct s && s.field(name).isEmpty()) {
        throw cannotEvaluate(name, type.name());
      }
      if (d.isAbsent()) {
        throw new TemplateException("cannot read field " + name + " of a nil " + type.name());
      }
      Data target = new Data(p.elem(), d.node());
      if (!(p.elem() instanceof Struct) && !(p.elem() instanceof MapOf)) {
        if (p.elem() instanceof Opaque) {
          throw notAvailable(p.elem(), path);
        }
        throw cannotEvaluate(name, type.name());
      }
      return field(target, name, path);
    }
    if (type instanceof Struct s) {
      GoType.Field f = s.field(name).orElseThrow(() -> cannotEvaluate(name, type.name()));
      return new Data(f.type(), d.isAbsent() ? null : d.node().get(f.jsonName()));
    }
    if (type instanceof MapOf m) {
      JsonNode child = d.isAbsent() ? null : d.node().get(name);
      return child == null ? Value.MISSING : new Data(m.elem(), child);
    }
    if (type instanceof Opaque) {
      throw notAvailable(type, path);
    }
    throw cannotEvaluate(name, type.name());
  }

  private static TemplateException cannotEvaluate(String field, String typeName) {
    return new TemplateException("type " + typeName + " has no field " + field);
  }

  private static TemplateException notAvailable(GoType type, String path) {
    return new TemplateException(
        path
            + ": the fields of "
            + type.name()
            + " are not available to this operator's templates");
  }

  // ------------------------------------------------------------------ functions

  private static Value call(String function, List<Value> args) {
    return switch (function) {
      case "index" -> index(args);
      case "printf" -> printf(args);
      case "print" -> Basic.string(GoFormat.print(args));
      case "println" -> Basic.string(GoFormat.println(args));
      case "len" -> len(args);
      default -> throw new TemplateException("unknown function \"" + function + "\"");
    };
  }

  private static Value printf(List<Value> args) {
    if (args.isEmpty()) {
      throw new TemplateException("printf needs a format");
    }
    Value format = args.get(0);
    if (format instanceof Value.Missing || format instanceof Value.Nil) {
      throw new TemplateException("printf's format must be a string, got a missing value");
    }
    if (!Value.typeName(format).equals("string")) {
      throw new TemplateException(
          "printf's format must be a string, got " + Value.typeName(format));
    }
    return Basic.string(
        GoFormat.printf((String) Value.scalar(format), args.subList(1, args.size())));
  }

  private static Value len(List<Value> args) {
    if (args.size() != 1) {
      throw new TemplateException("len takes 1 argument, got " + args.size());
    }
    Value item = args.get(0);
    if (item instanceof Data d && d.type() instanceof Pointer p) {
      if (d.isAbsent()) {
        throw new TemplateException("len of a nil " + d.type().name());
      }
      item = new Data(p.elem(), d.node());
    }
    if (item instanceof Data d && (d.type() instanceof MapOf || d.type() instanceof SliceOf)) {
      return Basic.integer(d.isAbsent() ? 0 : d.node().size());
    }
    Object scalar = Value.scalar(item);
    if (scalar instanceof String s) {
      return Basic.integer(s.getBytes(StandardCharsets.UTF_8).length);
    }
    throw new TemplateException("len of a value of type " + Value.typeName(item));
  }

  private static Value index(List<Value> args) {
    if (args.isEmpty()) {
      throw new TemplateException("index needs a value to index");
    }
    Value item = args.get(0);
    if (item instanceof Value.Missing || item instanceof Value.Nil) {
      throw new TemplateException("index of a missing value");
    }
    for (Value key : args.subList(1, args.size())) {
      if (item instanceof Data d && d.type() instanceof Pointer p) {
        if (d.isAbsent()) {
          throw new TemplateException("index of a nil " + d.type().name());
        }
        item = new Data(p.elem(), d.node());
      }
      item = indexOnce(item, key);
    }
    return item;
  }

  private static Value indexOnce(Value item, Value key) {
    if (item instanceof Data d && d.type() instanceof MapOf m) {
      if (key instanceof Value.Missing || key instanceof Value.Nil) {
        throw new TemplateException("map key must be a string, got a missing value");
      }
      if (!(Value.scalar(key) instanceof String k) || !isPlainString(key)) {
        throw new TemplateException("map key must be a string, got " + Value.typeName(key));
      }
      JsonNode child = d.isAbsent() ? null : d.node().get(k);
      return new Data(m.elem(), child);
    }
    if (item instanceof Data d && d.type() instanceof SliceOf s) {
      int length = d.isAbsent() ? 0 : d.node().size();
      int i = position(key, length);
      return new Data(s.elem(), d.node().get(i));
    }
    Object scalar = Value.scalar(item);
    if (scalar instanceof String s) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      int i = position(key, bytes.length);
      return new Basic("uint8", (long) (bytes[i] & 0xff));
    }
    throw new TemplateException("cannot index a value of type " + Value.typeName(item));
  }

  private static boolean isPlainString(Value key) {
    String type = Value.typeName(key);
    return type.equals("string");
  }

  private static int position(Value key, int length) {
    if (key instanceof Value.Missing || key instanceof Value.Nil) {
      throw new TemplateException("list index must be an integer, got a missing value");
    }
    if (!(Value.scalar(key) instanceof Long i)) {
      throw new TemplateException("list index must be an integer, got " + Value.typeName(key));
    }
    if (i < 0 || i >= length) {
      throw new TemplateException("index " + i + " is out of range (length " + length + ")");
    }
    return i.intValue();
  }

  private static String describe(Operand o) {
    if (o instanceof Chain c) {
      return (c.base() instanceof Root ? "$" : "") + "." + String.join(".", c.fields());
    }
    if (o instanceof Dot) {
      return ".";
    }
    if (o instanceof Root) {
      return "$";
    }
    if (o instanceof StringLit s) {
      return "\"" + s.value() + "\"";
    }
    if (o instanceof IntLit i) {
      return Long.toString(i.value());
    }
    if (o instanceof BoolLit b) {
      return Boolean.toString(b.value());
    }
    if (o instanceof NilLit) {
      return "nil";
    }
    if (o instanceof Paren) {
      return "(...)";
    }
    return o.toString();
  }
}
