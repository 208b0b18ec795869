package org.spireoperator.scm.template;

import java.util.List;

/** The parse tree of the supported text/template subset. */
final class Ast {

  private Ast() {}

  /** A piece of a template: literal text or an action. */
  sealed interface Node permits Text, Action {}

  record Text(String text) implements Node {}

  /** {@code {{ pipeline }}}; {@code source} is the action as written, for error messages. */
  record Action(Pipeline pipeline, String source) implements Node {}

  /** Commands separated by {@code |}; each result is the last argument of the next command. */
  record Pipeline(List<Command> commands) {}

  /** A function call ({@code printf "%s" .X}) or a single operand ({@code .PodMeta.Name}). */
  record Command(List<Operand> operands) {}

  sealed interface Operand
      permits Dot, Root, Chain, Paren, StringLit, IntLit, BoolLit, NilLit, Identifier {}

  /** {@code .}: the data. */
  record Dot() implements Operand {}

  /** {@code $}: the data. */
  record Root() implements Operand {}

  /** {@code base.A.B}: fields (or map keys) read one after the other. */
  record Chain(Operand base, List<String> fields) implements Operand {}

  /** {@code ( pipeline )}. */
  record Paren(Pipeline pipeline) implements Operand {}

  record StringLit(String value) implements Operand {}

  record IntLit(long value) implements Operand {}

  record BoolLit(boolean value) implements Operand {}

  record NilLit() implements Operand {}

  /** A function name. */
  record Identifier(String name) implements Operand {}
}
