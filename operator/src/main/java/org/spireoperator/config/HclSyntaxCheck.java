package org.spireoperator.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks the shape of an HCL text before hcl4j reads it. hcl4j silently drops lines it cannot read
 * ({@code foo bar}), keeps the last of repeated keys, ignores unbalanced braces and evaluates
 * {@code ${...}}: each of these would turn a mistake into a different configuration, so they are
 * rejected here, with the line.
 *
 * <p>Each line that starts a statement (outside lists, strings, comments and heredocs) must be a
 * {@code key = value} assignment with the value on the same line, a block opening ({@code name},
 * optional quoted labels, then an opening brace), or a closing brace.
 */
final class HclSyntaxCheck {

  private final String source;
  private final Deque<Scope> scopes = new ArrayDeque<>();
  private int bracketDepth;
  private int bracketLine;
  private boolean inBlockComment;
  private int blockCommentLine;
  private String heredocEnd;
  private int heredocLine;

  private HclSyntaxCheck(String source) {
    this.source = source;
    scopes.push(new Scope(0));
  }

  /**
   * @throws ConfigException naming the line of the first problem
   */
  static void check(String text, String source) {
    new HclSyntaxCheck(source).run(text);
  }

  private void run(String text) {
    String[] lines = text.split("\r?\n", -1);
    for (int n = 0; n < lines.length; n++) {
      line(lines[n], n + 1);
    }
    if (heredocEnd != null) {
      throw ConfigException.syntax(
          source,
          heredocLine,
          "heredoc is never closed",
          "end it with a line holding only " + heredocEnd);
    }
    if (inBlockComment) {
      throw ConfigException.syntax(
          source, blockCommentLine, "comment \"/*\" is never closed", "close it with \"*/\"");
    }
    if (bracketDepth > 0) {
      throw ConfigException.syntax(
          source, bracketLine, "list \"[\" is never closed", "close it with \"]\"");
    }
    if (scopes.size() > 1) {
      throw ConfigException.syntax(
          source, scopes.peek().openedOnLine, "block \"{\" is never closed", "close it with \"}\"");
    }
  }

  private void line(String line, int n) {
    if (heredocEnd != null) {
      if (line.trim().equals(heredocEnd)) {
        heredocEnd = null;
      }
      return;
    }
    boolean statementStart = bracketDepth == 0;
    int i = 0;
    while (i < line.length()) {
      if (inBlockComment) {
        int end = line.indexOf("*/", i);
        if (end < 0) {
          return;
        }
        inBlockComment = false;
        i = end + 2;
        continue;
      }
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#' || line.startsWith("//", i)) {
        return;
      } else if (line.startsWith("/*", i)) {
        inBlockComment = true;
        blockCommentLine = n;
        i += 2;
      } else if (statementStart) {
        statementStart = false;
        i = statement(line, i, n);
      } else {
        i = valueToken(line, i, n);
      }
    }
  }

  /**
   * Reads an assignment, a block opening or a closing brace at the start of a line; returns where
   * to go on.
   */
  private int statement(String line, int i, int n) {
    char c = line.charAt(i);
    if (c == '}') {
      closeBlock(n);
      return i + 1;
    }
    int j;
    String key;
    if (c == '"') {
      j = endOfString(line, i, n);
      key = line.substring(i + 1, j - 1);
    } else if (Character.isLetter(c) || c == '_') {
      j = i;
      while (j < line.length() && isIdentifierPart(line.charAt(j))) {
        j++;
      }
      key = line.substring(i, j);
    } else {
      throw ConfigException.syntax(
          source, n, "expected a key, found " + snippet(line, i), "write key = value");
    }
    j = skipSpaces(line, j);
    if (j < line.length() && line.charAt(j) == '=' && !line.startsWith("==", j)) {
      scopes.peek().declare(key, n);
      String value = line.substring(j + 1).trim();
      if (value.isEmpty() || value.startsWith("#") || value.startsWith("//")) {
        String example = KnownKeys.TOP_LEVEL.getOrDefault(key, KnownKeys.TENANT.get(key));
        throw ConfigException.syntax(
            source,
            n,
            "key \"" + key + "\" has no value",
            "write the value on the same line"
                + (example == null ? "" : ", e.g. " + key + " = " + example));
      }
      return j + 1;
    }
    StringBuilder labels = new StringBuilder();
    while (j < line.length() && line.charAt(j) == '"') {
      int end = endOfString(line, j, n);
      labels.append(' ').append(line, j, end);
      j = skipSpaces(line, end);
    }
    if (j < line.length() && line.charAt(j) == '{') {
      scopes.peek().declare(key + labels, n);
      scopes.push(new Scope(n));
      return j + 1;
    }
    throw ConfigException.syntax(
        source,
        n,
        "expected \"=\" or \"{\" after \"" + key + "\", found " + snippet(line, j),
        "write " + key + " = value");
  }

  private int valueToken(String line, int i, int n) {
    char c = line.charAt(i);
    switch (c) {
      case '"':
        return endOfString(line, i, n);
      case '[':
      case '(':
        if (bracketDepth++ == 0) {
          bracketLine = n;
        }
        return i + 1;
      case ']':
      case ')':
        if (--bracketDepth < 0) {
          throw ConfigException.syntax(source, n, "unmatched \"" + c + "\"", "remove it");
        }
        return i + 1;
      case '{':
        scopes.push(new Scope(n));
        return i + 1;
      case '}':
        closeBlock(n);
        return i + 1;
      case '<':
        if (line.startsWith("<<", i)) {
          return heredoc(line, i, n);
        }
        return i + 1;
      default:
        return i + 1;
    }
  }

  private int heredoc(String line, int i, int n) {
    int j = i + 2;
    if (j < line.length() && line.charAt(j) == '-') {
      j++;
    }
    int start = j;
    while (j < line.length() && isIdentifierPart(line.charAt(j))) {
      j++;
    }
    if (j == start || !line.substring(j).isBlank()) {
      throw ConfigException.syntax(
          source, n, "malformed heredoc", "write <<EOT, the text, then EOT alone");
    }
    heredocEnd = line.substring(start, j);
    heredocLine = n;
    return line.length();
  }

  private void closeBlock(int n) {
    if (scopes.size() == 1) {
      throw ConfigException.syntax(
          source, n, "unmatched \"}\"", "remove it or open the block it closes");
    }
    scopes.pop();
  }

  /** Index after the closing quote of the string starting at {@code i}. */
  private int endOfString(String line, int i, int n) {
    int j = i + 1;
    while (j < line.length()) {
      char c = line.charAt(j);
      if (c == '\\') {
        j += 2;
      } else if (c == '"') {
        return j + 1;
      } else if (line.startsWith("${", j) && line.charAt(j - 1) != '$') {
        throw ConfigException.syntax(
            source, n, "interpolation \"${...}\" is not supported", "write the literal value");
      } else {
        j++;
      }
    }
    throw ConfigException.syntax(
        source, n, "string is never closed", "end it with '\"' on the same line");
  }

  private static int skipSpaces(String line, int i) {
    while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-';
  }

  private static String snippet(String line, int i) {
    String rest = line.substring(Math.min(i, line.length())).trim();
    if (rest.isEmpty()) {
      return "the end of the line";
    }
    return "\"" + (rest.length() > 40 ? rest.substring(0, 40) + "..." : rest) + "\"";
  }

  /**
   * Keys declared in one block, to catch a key given twice (hcl4j would silently keep the last).
   */
  private final class Scope {
    private final int openedOnLine;
    private final Map<String, Integer> keys = new HashMap<>();

    Scope(int openedOnLine) {
      this.openedOnLine = openedOnLine;
    }

    void declare(String key, int line) {
      Integer first = keys.putIfAbsent(key, line);
      if (first != null) {
        throw ConfigException.syntax(
            source,
            line,
            "key \"" + key + "\" is already set on line " + first,
            "keep only one of them");
      }
    }
  }
}
