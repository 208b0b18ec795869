package org.spireoperator.scm.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.spireoperator.scm.template.Ast.Action;
import org.spireoperator.scm.template.Ast.BoolLit;
import org.spireoperator.scm.template.Ast.Chain;
import org.spireoperator.scm.template.Ast.Command;
import org.spireoperator.scm.template.Ast.Dot;
import org.spireoperator.scm.template.Ast.Identifier;
import org.spireoperator.scm.template.Ast.IntLit;
import org.spireoperator.scm.template.Ast.NilLit;
import org.spireoperator.scm.template.Ast.Node;
import org.spireoperator.scm.template.Ast.Operand;
import org.spireoperator.scm.template.Ast.Pipeline;
import org.spireoperator.scm.template.Ast.Root;
import org.spireoperator.scm.template.Ast.StringLit;
import org.spireoperator.scm.template.Ast.Text;

/**
 * Reads template source into {@link Ast} nodes with Go text/template's lexical rules (delimiters
 * {@code {{ }}}, trim markers {@code {{- } and { -}}}, comments, Go string, raw string, rune and
 * integer literals). Anything outside the supported subset fails here with a message naming it.
 */
final class TemplateParser {

  /** Functions this operator implements. */
  static final Set<String> SUPPORTED_FUNCTIONS =
      Set.of("index", "printf", "print", "println", "len");

  /** Go text/template's predefined functions (the others fail as "not defined", as in Go). */
  private static final Set<String> GO_FUNCTIONS =
      Set.of(
          "and",
          "call",
          "html",
          "index",
          "slice",
          "js",
          "len",
          "not",
          "or",
          "print",
          "printf",
          "println",
          "urlquery",
          "eq",
          "ge",
          "gt",
          "le",
          "lt",
          "ne");

  private static final Set<String> KEYWORDS =
      Set.of(
          "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue");

  private static final int MAX_NESTING = 64;

  private final String src;
  private int pos;

  private TemplateParser(String src) {
    this.src = src;
  }

  static List<Node> parse(String source) {
    return new TemplateParser(source).nodes();
  }

  // ------------------------------------------------------------------ text and delimiters

  private List<Node> nodes() {
    List<Node> nodes = new ArrayList<>();
    boolean trimNext = false;
    while (pos < src.length()) {
      int open = src.indexOf("{{", pos);
      String text = open < 0 ? src.substring(pos) : src.substring(pos, open);
      if (trimNext) {
        text = stripLeading(text);
      }
      if (open < 0) {
        addText(nodes, text);
        break;
      }
      int start = open;
      pos = open + 2;
      if (hasLeftTrimMarker()) {
        text = stripTrailing(text);
        pos += 2;
      }
      addText(nodes, text);
      if (src.startsWith("/*", pos)) {
        trimNext = comment(start);
        continue;
      }
      List<Token> tokens = new ArrayList<>();
      trimNext = actionTokens(start, tokens);
      String source = src.substring(start, pos);
      nodes.add(new Action(new ActionParser(tokens, source).action(), source));
    }
    return nodes;
  }

  private static void addText(List<Node> nodes, String text) {
    if (!text.isEmpty()) {
      nodes.add(new Text(text));
    }
  }

  private boolean hasLeftTrimMarker() {
    return pos + 1 < src.length() && src.charAt(pos) == '-' && isSpace(src.charAt(pos + 1));
  }

  /** At the right delimiter: 0 if not, else its length (2 for }}, 4 for " -}}"). */
  private int rightDelimiter() {
    if (src.startsWith("}}", pos)) {
      return 2;
    }
    if (pos + 3 < src.length() && isSpace(src.charAt(pos)) && src.startsWith("-}}", pos + 1)) {
      return 4;
    }
    return 0;
  }

  private boolean comment(int start) {
    int end = src.indexOf("*/", pos + 2);
    if (end < 0) {
      throw new TemplateException("comment not closed with */");
    }
    pos = end + 2;
    int delimiter = rightDelimiter();
    if (delimiter == 0) {
      throw new TemplateException(
          "a comment must end right before }} in " + excerpt(start, pos + 2));
    }
    pos += delimiter;
    return delimiter == 4;
  }

  // ------------------------------------------------------------------ tokens of one action

  enum Kind {
    FIELD,
    DOT,
    VARIABLE,
    IDENTIFIER,
    STRING,
    CHAR,
    NUMBER,
    PIPE,
    LEFT_PAREN,
    RIGHT_PAREN,
    DECLARE,
    ASSIGN,
    COMMA
  }

  /** A token; {@code spaced} when whitespace precedes it (separates operands, ends a chain). */
  record Token(Kind kind, String text, Object value, boolean spaced) {}

  /** Reads the tokens up to the right delimiter; true when it is a trim marker. */
  private boolean actionTokens(int start, List<Token> out) {
    boolean spaced = true;
    while (true) {
      if (pos >= src.length()) {
        throw new TemplateException("action not closed with }}: " + excerpt(start, pos));
      }
      int delimiter = rightDelimiter();
      if (delimiter > 0) {
        pos += delimiter;
        return delimiter == 4;
      }
      char c = src.charAt(pos);
      if (isSpace(c)) {
        pos++;
        spaced = true;
        continue;
      }
      out.add(token(c, spaced, start));
      spaced = false;
    }
  }

  private Token token(char c, boolean spaced, int start) {
    int from = pos;
    switch (c) {
      case '|':
        pos++;
        return new Token(Kind.PIPE, "|", null, spaced);
      case '(':
        pos++;
        return new Token(Kind.LEFT_PAREN, "(", null, spaced);
      case ')':
        pos++;
        return new Token(Kind.RIGHT_PAREN, ")", null, spaced);
      case ',':
        pos++;
        return new Token(Kind.COMMA, ",", null, spaced);
      case '=':
        pos++;
        return new Token(Kind.ASSIGN, "=", null, spaced);
      case ':':
        if (src.startsWith(":=", pos)) {
          pos += 2;
          return new Token(Kind.DECLARE, ":=", null, spaced);
        }
        throw new TemplateException("expected :=, found ':' in " + excerpt(start, pos + 1));
      case '"':
        return new Token(Kind.STRING, null, quoted('"', start), spaced);
      case '`':
        return new Token(Kind.STRING, null, raw(start), spaced);
      case '\'':
        return new Token(Kind.CHAR, null, character(start), spaced);
      case '$':
        pos++;
        return new Token(Kind.VARIABLE, "$" + word(), null, spaced);
      case '.':
        if (pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))) {
          return number(start, spaced);
        }
        pos++;
        String name = word();
        return name.isEmpty()
            ? new Token(Kind.DOT, ".", null, spaced)
            : new Token(Kind.FIELD, "." + name, name, spaced);
      default:
        if (c == '+' || c == '-' || Character.isDigit(c)) {
          return number(start, spaced);
        }
        if (isWordStart(c)) {
          String word = word();
          return new Token(Kind.IDENTIFIER, word, word, spaced);
        }
        pos = from;
        throw new TemplateException(
            "unexpected character " + printable(c) + " in " + excerpt(start, pos + 1));
    }
  }

  private String word() {
    int from = pos;
    while (pos < src.length() && isWordPart(src.charAt(pos))) {
      pos++;
    }
    return src.substring(from, pos);
  }

  private Token number(int start, boolean spaced) {
    int from = pos;
    if (src.charAt(pos) == '+' || src.charAt(pos) == '-') {
      pos++;
    }
    while (pos < src.length()
        && (isWordPart(src.charAt(pos))
            || src.charAt(pos) == '.'
            || ((src.charAt(pos) == '+' || src.charAt(pos) == '-')
                && Character.toLowerCase(src.charAt(pos - 1)) == 'e'))) {
      pos++;
    }
    String text = src.substring(from, pos);
    return new Token(Kind.NUMBER, text, integer(text, start), spaced);
  }

  /** Go's strconv.ParseInt(text, 0, 64): 0x, 0o, 0b and leading-0 octal prefixes, underscores. */
  private Long integer(String text, int start) {
    String s = text;
    boolean negative = false;
    if (s.startsWith("+") || s.startsWith("-")) {
      negative = s.startsWith("-");
      s = s.substring(1);
    }
    int radix = 10;
    String lower = s.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("0x")) {
      radix = 16;
      s = s.substring(2);
    } else if (lower.startsWith("0o")) {
      radix = 8;
      s = s.substring(2);
    } else if (lower.startsWith("0b")) {
      radix = 2;
      s = s.substring(2);
    } else if (s.length() > 1 && s.startsWith("0")) {
      radix = 8;
      s = s.substring(1);
    }
    s = s.replace("_", "");
    try {
      return Long.parseLong((negative ? "-" : "") + s, radix);
    } catch (NumberFormatException e) {
      throw new TemplateException(
          "number "
              + text
              + " is not supported (only integers fit for int64) in "
              + excerpt(start, pos));
    }
  }

  private String raw(int start) {
    int end = src.indexOf('`', pos + 1);
    if (end < 0) {
      throw new TemplateException("raw string not closed with ` in " + excerpt(start, pos));
    }
    String value = src.substring(pos + 1, end).replace("\r", "");
    pos = end + 1;
    return value;
  }

  private long character(int start) {
    String value = quoted('\'', start);
    if (value.codePointCount(0, value.length()) != 1) {
      throw new TemplateException(
          "a rune literal holds exactly one character: " + excerpt(start, pos));
    }
    return value.codePointAt(0);
  }

  /** A Go interpreted string (or rune) literal, with Go's escapes. */
  private String quoted(char quote, int start) {
    StringBuilder out = new StringBuilder();
    pos++;
    while (true) {
      if (pos >= src.length() || src.charAt(pos) == '\n') {
        throw new TemplateException("string not closed in " + excerpt(start, pos));
      }
      char c = src.charAt(pos++);
      if (c == quote) {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= src.length()) {
        throw new TemplateException("string not closed in " + excerpt(start, pos));
      }
      char e = src.charAt(pos++);
      switch (e) {
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'v' -> out.append('\u000b');
        case '\\' -> out.append('\\');
        case '"', '\'' -> {
          if (e != quote) {
            throw new TemplateException("invalid escape \\" + e + " in " + excerpt(start, pos));
          }
          out.append(e);
        }
        case 'x' -> out.append((char) hex(2, start));
        case 'u' -> out.appendCodePoint(hex(4, start));
        case 'U' -> out.appendCodePoint(hex(8, start));
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          pos--;
          int value = digits(3, 8, start);
          if (value > 255) {
            throw new TemplateException("invalid octal escape in " + excerpt(start, pos));
          }
          out.append((char) value);
        }
        default ->
            throw new TemplateException("invalid escape \\" + e + " in " + excerpt(start, pos));
      }
    }
  }

  private int hex(int count, int start) {
    int value = digits(count, 16, start);
    if (!Character.isValidCodePoint(value)) {
      throw new TemplateException("invalid Unicode escape in " + excerpt(start, pos));
    }
    return value;
  }

  private int digits(int count, int radix, int start) {
    if (pos + count > src.length()) {
      throw new TemplateException("invalid escape in " + excerpt(start, pos));
    }
    try {
      long value = Long.parseLong(src.substring(pos, pos + count), radix);
      pos += count;
      return (int) Math.min(value, Integer.MAX_VALUE);
    } catch (NumberFormatException e) {
      throw new TemplateException("invalid escape in " + excerpt(start, pos));
    }
  }

  // ------------------------------------------------------------------ helpers

  private String excerpt(int from, int to) {
    String s = src.substring(from, Math.min(Math.max(from, to), src.length()));
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  private static String printable(char c) {
    return Character.isISOControl(c) ? String.format("U+%04X", (int) c) : "'" + c + "'";
  }

  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean isWordStart(char c) {
    return c == '_' || Character.isLetter(c);
  }

  private static boolean isWordPart(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  private static String stripLeading(String s) {
    int i = 0;
    while (i < s.length() && isSpace(s.charAt(i))) {
      i++;
    }
    return s.substring(i);
  }

  private static String stripTrailing(String s) {
    int i = s.length();
    while (i > 0 && isSpace(s.charAt(i - 1))) {
      i--;
    }
    return s.substring(0, i);
  }

  // ------------------------------------------------------------------ grammar of one action

  /** Recursive descent over one action's tokens. */
  private static final class ActionParser {

    private final List<Token> tokens;
    private final String source;
    private int next;
    private int depth;

    ActionParser(List<Token> tokens, String source) {
      this.tokens = tokens;
      this.source = source;
    }

    Pipeline action() {
      if (tokens.isEmpty()) {
        throw error("empty action");
      }
      Token first = tokens.get(0);
      if (first.kind() == Kind.IDENTIFIER && KEYWORDS.contains(first.text())) {
        throw error("{{" + first.text() + "}} is not supported by this operator's templates");
      }
      for (Token t : tokens) {
        if (t.kind() == Kind.DECLARE || t.kind() == Kind.ASSIGN) {
          throw error("variables are not supported by this operator's templates");
        }
      }
      for (Token t : tokens) {
        if (t.kind() == Kind.COMMA) {
          throw error("unexpected \",\"");
        }
        if (t.kind() == Kind.VARIABLE && !t.text().equals("$")) {
          throw error(
              "variables are not supported by this operator's templates (" + t.text() + ")");
        }
      }
      Pipeline pipeline = pipeline();
      if (next < tokens.size()) {
        throw error("unexpected \"" + tokens.get(next).text() + "\"");
      }
      return pipeline;
    }

    private Pipeline pipeline() {
      List<Command> commands = new ArrayList<>();
      while (true) {
        commands.add(command());
        if (next < tokens.size() && tokens.get(next).kind() == Kind.PIPE) {
          next++;
          continue;
        }
        break;
      }
      for (int i = 0; i < commands.size(); i++) {
        Operand head = commands.get(i).operands().get(0);
        if (i > 0
            && (head instanceof BoolLit
                || head instanceof Dot
                || head instanceof NilLit
                || head instanceof IntLit
                || head instanceof StringLit)) {
          throw error("stage " + (i + 1) + " of the pipeline is a constant, not a function");
        }
      }
      return new Pipeline(List.copyOf(commands));
    }

    private Command command() {
      List<Operand> operands = new ArrayList<>();
      while (next < tokens.size()) {
        Kind kind = tokens.get(next).kind();
        if (kind == Kind.PIPE || kind == Kind.RIGHT_PAREN) {
          break;
        }
        operands.add(operand());
      }
      if (operands.isEmpty()) {
        throw error("empty command");
      }
      return new Command(List.copyOf(operands));
    }

    private Operand operand() {
      Operand term = term();
      List<String> fields = new ArrayList<>();
      while (next < tokens.size()
          && tokens.get(next).kind() == Kind.FIELD
          && !tokens.get(next).spaced()) {
        fields.add((String) tokens.get(next++).value());
      }
      if (fields.isEmpty()) {
        return term;
      }
      if (term instanceof Chain chain) {
        List<String> all = new ArrayList<>(chain.fields());
        all.addAll(fields);
        return new Chain(chain.base(), List.copyOf(all));
      }
      if (term instanceof StringLit
          || term instanceof IntLit
          || term instanceof BoolLit
          || term instanceof NilLit
          || term instanceof Identifier) {
        throw error("unexpected " + fields.get(0) + " after a " + describe(term));
      }
      return new Chain(term, List.copyOf(fields));
    }

    private Operand term() {
      Token t = tokens.get(next++);
      switch (t.kind()) {
        case FIELD:
          return new Chain(new Dot(), List.of((String) t.value()));
        case DOT:
          return new Dot();
        case VARIABLE:
          return new Root();
        case STRING:
          return new StringLit((String) t.value());
        case CHAR:
          return new IntLit((Long) t.value());
        case NUMBER:
          return new IntLit((Long) t.value());
        case LEFT_PAREN:
          if (++depth > MAX_NESTING) {
            throw error("parentheses nested deeper than " + MAX_NESTING);
          }
          Pipeline inner = pipeline();
          if (next >= tokens.size() || tokens.get(next).kind() != Kind.RIGHT_PAREN) {
            throw error("( not closed with )");
          }
          next++;
          depth--;
          return new Ast.Paren(inner);
        case IDENTIFIER:
          return identifier(t.text());
        default:
          throw error("unexpected \"" + t.text() + "\" in operand");
      }
    }

    private Operand identifier(String name) {
      switch (name) {
        case "true":
          return new BoolLit(true);
        case "false":
          return new BoolLit(false);
        case "nil":
          return new NilLit();
        default:
          break;
      }
      if (KEYWORDS.contains(name)) {
        throw error("unexpected {{" + name + "}} in operand");
      }
      if (!GO_FUNCTIONS.contains(name)) {
        throw error("unknown function \"" + name + "\"");
      }
      if (!SUPPORTED_FUNCTIONS.contains(name)) {
        throw error(
            "function \""
                + name
                + "\" is not supported by this operator's templates (supported: index, printf, "
                + "print, println, len)");
      }
      return new Identifier(name);
    }

    private static String describe(Operand o) {
      if (o instanceof Identifier i) {
        return "function " + i.name();
      }
      return "constant";
    }

    private TemplateException error(String message) {
      return new TemplateException(message + " in " + source);
    }
  }
}
