package org.spireoperator.scm.template;

import java.util.List;
import java.util.Objects;
import org.spireoperator.scm.Outcome;
import org.spireoperator.scm.template.Ast.Action;
import org.spireoperator.scm.template.Ast.Node;
import org.spireoperator.scm.template.Ast.Text;

/**
 * A Go text/template as spire-controller-manager users write them, parsed once and rendered against
 * {@link TemplateData} many times. Pure: no I/O, no reflection, and every problem is a value
 * ({@link Outcome.Failed}) whose message names the template and the action.
 *
 * <p>Supported: literal text, actions with trim markers, comments, field chains on {@code .} and
 * {@code $} ({@code .PodMeta.Name}, {@code .PodMeta.Labels.app}, {@code
 * .PodSpec.ServiceAccountName}), parentheses, pipelines ({@code .PodMeta.Name | printf "%s-x"}),
 * string, raw string, rune and integer literals, {@code true}, {@code false}, {@code nil}, and the
 * functions {@code index}, {@code printf} ({@code %v %s %d %%}), {@code print}, {@code println} and
 * {@code len}. Semantics are text/template's with its default options, as spire-controller-manager
 * parses templates: {@code .PodMeta.Labels.missing} renders {@code <no value>}, {@code index
 * .PodMeta.Labels "missing"} renders the empty string, a field of a nil pointer fails.
 *
 * <p>Refused with a message (Go would accept them): {@code if}, {@code range}, {@code with}, {@code
 * define}, {@code template}, {@code block}, variables, the functions {@code and}, {@code or},
 * {@code not}, {@code eq}..., method calls ({@code .PodMeta.GetName}), printf flags and other
 * verbs, and printing structs or pointers Go would print as addresses.
 */
public final class GoTemplate {

  private final String name;
  private final String source;
  private final List<Node> nodes;

  private GoTemplate(String name, String source, List<Node> nodes) {
    this.name = name;
    this.source = source;
    this.nodes = nodes;
  }

  /** Parses {@code source}; {@code name} is used in messages (e.g. {@code spiffeIDTemplate}). */
  public static Outcome<GoTemplate> parse(String name, String source) {
    Objects.requireNonNull(name, "name");
    if (source == null) {
      return Outcome.failed("template \"" + name + "\": missing");
    }
    try {
      return Outcome.ok(new GoTemplate(name, source, List.copyOf(TemplateParser.parse(source))));
    } catch (TemplateException e) {
      return Outcome.failed("template \"" + name + "\": " + e.getMessage());
    } catch (RuntimeException | StackOverflowError e) {
      return Outcome.failed("template \"" + name + "\": cannot be parsed (" + e + ")");
    }
  }

  /** The rendered text, or why it cannot be rendered for this data. */
  public Outcome<String> render(TemplateData data) {
    Objects.requireNonNull(data, "data");
    Executor executor = new Executor(new Value.Data(TemplateData.TYPE, data.tree()));
    StringBuilder out = new StringBuilder();
    for (Node node : nodes) {
      if (node instanceof Text text) {
        out.append(text.text());
        continue;
      }
      Action action = (Action) node;
      try {
        out.append(GoFormat.action(executor.pipeline(action.pipeline())));
      } catch (TemplateException e) {
        return Outcome.failed(
            "template \"" + name + "\": executing " + action.source() + ": " + e.getMessage());
      } catch (RuntimeException | StackOverflowError e) {
        return Outcome.failed(
            "template \"" + name + "\": executing " + action.source() + " failed (" + e + ")");
      }
    }
    return Outcome.ok(out.toString());
  }

  public String name() {
    return name;
  }

  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return name + ": " + source;
  }
}
