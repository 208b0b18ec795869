package org.spireoperator.scm.entries;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.spireoperator.scm.Outcome;

/**
 * spire-controller-manager's {@code ignoreNamespaces}: regular expressions, a namespace is ignored
 * when any of them matches <em>anywhere</em> in its name (Go's {@code regexp.MatchString}, not a
 * whole-string match: {@code kube-system} also ignores {@code my-kube-system-copy}; anchor with
 * {@code ^...$} for an exact name).
 *
 * <p>Patterns are Go RE2 syntax; the constructs Java accepts but RE2 refuses (look-around,
 * back-references, possessive quantifiers, atomic groups) are refused here too.
 */
public final class IgnoredNamespaces {

  /**
   * spire-controller-manager's default list, in effect when it is started with a configuration file
   * that does not set {@code ignoreNamespaces} (without any configuration file it ignores none).
   */
  public static final List<String> SCM_DEFAULT =
      List.of("kube-system", "kube-public", "spire-system");

  /** Ignores nothing. */
  public static final IgnoredNamespaces NONE = new IgnoredNamespaces(List.of(), List.of());

  private static final Pattern NOT_RE2 =
      Pattern.compile("\\(\\?[=!>]|\\(\\?<[=!]|\\\\[1-9]|\\\\k<|(?<!\\\\)[*+?}][+]");

  private static final Map<String, String> POSIX_CLASSES =
      Map.ofEntries(
          Map.entry("alnum", "Alnum"),
          Map.entry("alpha", "Alpha"),
          Map.entry("ascii", "ASCII"),
          Map.entry("blank", "Blank"),
          Map.entry("cntrl", "Cntrl"),
          Map.entry("digit", "Digit"),
          Map.entry("graph", "Graph"),
          Map.entry("lower", "Lower"),
          Map.entry("print", "Print"),
          Map.entry("punct", "Punct"),
          Map.entry("space", "Space"),
          Map.entry("upper", "Upper"),
          Map.entry("xdigit", "XDigit"));

  private static final Pattern POSIX = Pattern.compile("\\[:(\\^?)([a-z]+):]");

  private final List<String> sources;
  private final List<Pattern> patterns;

  private IgnoredNamespaces(List<String> sources, List<Pattern> patterns) {
    this.sources = List.copyOf(sources);
    this.patterns = List.copyOf(patterns);
  }

  /** Compiles the patterns, or says which one is not a valid RE2 expression. */
  public static Outcome<IgnoredNamespaces> of(List<String> expressions) {
    List<Pattern> compiled = new ArrayList<>();
    for (String expression : expressions) {
      if (expression == null) {
        return Outcome.failed("ignoreNamespaces: a pattern is null");
      }
      if (NOT_RE2.matcher(expression).find()) {
        return Outcome.failed(
            "ignoreNamespaces: \""
                + expression
                + "\" uses a construct Go's regular expressions (RE2) do not have");
      }
      try {
        compiled.add(Pattern.compile(toJava(expression)));
      } catch (PatternSyntaxException e) {
        return Outcome.failed(
            "ignoreNamespaces: \""
                + expression
                + "\" is not a valid regular expression: "
                + e.getDescription());
      }
    }
    return Outcome.ok(new IgnoredNamespaces(expressions, compiled));
  }

  /** RE2 spellings Java writes differently: {@code (?P<name>...)} and {@code [[:alpha:]]}. */
  private static String toJava(String re2) {
    String translated = re2.replace("(?P<", "(?<");
    Matcher m = POSIX.matcher(translated);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(2).equals("word") ? null : POSIX_CLASSES.get(m.group(2));
      String replacement;
      if (m.group(2).equals("word")) {
        replacement = m.group(1).isEmpty() ? "\\w" : "\\W";
      } else if (name == null) {
        replacement = m.group();
      } else {
        replacement = (m.group(1).isEmpty() ? "\\p{" : "\\P{") + name + "}";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  public boolean isIgnored(String namespace) {
    for (Pattern p : patterns) {
      if (p.matcher(namespace).find()) {
        return true;
      }
    }
    return false;
  }

  public List<String> patterns() {
    return sources;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IgnoredNamespaces i && sources.equals(i.sources);
  }

  @Override
  public int hashCode() {
    return sources.hashCode();
  }

  @Override
  public String toString() {
    return "IgnoredNamespaces" + sources;
  }
}
