package org.spireoperator.scm.selector;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.spireoperator.scm.Outcome;
import org.spireoperator.scm.selector.Requirement.Operator;

/**
 * Compiles a Kubernetes {@link LabelSelector} ({@code matchLabels} and {@code matchExpressions})
 * into a {@link LabelQuery} with the rules of Kubernetes' {@code metav1.LabelSelectorAsSelector}:
 * keys must be qualified names, values valid label values, {@code In}/{@code NotIn} need values and
 * {@code Exists}/{@code DoesNotExist} none, operators are case-sensitive. A selector breaking them
 * is a failure naming the problem (spire-controller-manager then ignores the whole object).
 */
public final class LabelSelectors {

  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS_1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final int MAX_NAME = 63;
  private static final int MAX_PREFIX = 253;

  private LabelSelectors() {}

  /** The query of {@code selector}; null (absent) selects everything, as an empty one does. */
  public static Outcome<LabelQuery> compile(LabelSelector selector) {
    if (selector == null) {
      return Outcome.ok(LabelQuery.EVERYTHING);
    }
    List<Requirement> requirements = new ArrayList<>();
    Map<String, String> matchLabels = selector.getMatchLabels();
    if (matchLabels != null) {
      for (Map.Entry<String, String> e : matchLabels.entrySet()) {
        String value = e.getValue() == null ? "" : e.getValue();
        String problem = keyProblem(e.getKey());
        if (problem == null) {
          problem = valueProblem(value);
        }
        if (problem != null) {
          return Outcome.failed("matchLabels[" + quote(e.getKey()) + "]: " + problem);
        }
        requirements.add(new Requirement(e.getKey(), Operator.In, new TreeSet<>(List.of(value))));
      }
    }
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
    if (expressions != null) {
      for (int i = 0; i < expressions.size(); i++) {
        Outcome<Requirement> r = requirement(expressions.get(i));
        if (!r.isOk()) {
          return Outcome.failed("matchExpressions[" + i + "]: " + r.failure());
        }
        requirements.add(r.orElseThrow());
      }
    }
    requirements.sort(Comparator.comparing(Requirement::key));
    return Outcome.ok(new LabelQuery(requirements));
  }

  private static Outcome<Requirement> requirement(LabelSelectorRequirement expression) {
    if (expression == null) {
      return Outcome.failed("empty requirement");
    }
    String key = expression.getKey();
    String problem = keyProblem(key);
    if (problem != null) {
      return Outcome.failed("key " + quote(key) + ": " + problem);
    }
    Operator operator;
    try {
      operator = Operator.valueOf(String.valueOf(expression.getOperator()));
    } catch (IllegalArgumentException e) {
      return Outcome.failed(
          quote(expression.getOperator())
              + " is not a label selector operator (In, NotIn, Exists or DoesNotExist)");
    }
    List<String> values =
        expression.getValues() == null
            ? List.of()
            : expression.getValues().stream().map(v -> v == null ? "" : v).toList();
    boolean needsValues = operator == Operator.In || operator == Operator.NotIn;
    if (needsValues && values.isEmpty()) {
      return Outcome.failed(operator + " needs at least one value (key " + quote(key) + ")");
    }
    if (!needsValues && !values.isEmpty()) {
      return Outcome.failed(operator + " takes no values (key " + quote(key) + ")");
    }
    for (String value : values) {
      String valueProblem = valueProblem(value);
      if (valueProblem != null) {
        return Outcome.failed(
            "value " + quote(value) + " of key " + quote(key) + ": " + valueProblem);
      }
    }
    return Outcome.ok(new Requirement(key, operator, new TreeSet<>(values)));
  }

  /** Null when {@code key} is a Kubernetes qualified name ({@code [prefix/]name}), else why not. */
  static String keyProblem(String key) {
    if (key == null || key.isEmpty()) {
      return "a label key must not be empty";
    }
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty()) {
        return "prefix part must not be empty";
      }
      if (prefix.length() > MAX_PREFIX || !DNS_1123_SUBDOMAIN.matcher(prefix).matches()) {
        return "prefix part must be a lowercase DNS subdomain of at most "
            + MAX_PREFIX
            + " characters";
      }
    }
    if (name.isEmpty()) {
      return "name part must not be empty";
    }
    if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
      return "name part must be at most "
          + MAX_NAME
          + " characters of alphanumerics, '-', '_' or '.', starting and ending with an "
          + "alphanumeric";
    }
    return null;
  }

  /** Null when {@code value} is a valid label value (may be empty), else why not. */
  static String valueProblem(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (value.length() > MAX_NAME || !NAME.matcher(value).matches()) {
      return "a label value must be at most "
          + MAX_NAME
          + " characters of alphanumerics, '-', '_' or '.', starting and ending with an "
          + "alphanumeric";
    }
    return null;
  }

  private static String quote(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }
}
