package org.spireoperator.registration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of Go's text/template that upstream's identity templates use, parsed once when the
 * configuration is read. Supported actions:
 *
 * <ul>
 *   <li>{@code {{.Pod.Name}}}, {@code .Pod.Namespace}, {@code .Pod.UID}, {@code
 *       .Pod.ServiceAccount}, {@code .Pod.Hostname}, {@code .Pod.NodeName} (upstream's fields)
 *   <li>{@code {{.Context.key}}}: a value from the configuration's {@code context} map
 *   <li>{@code {{.Pod.Labels.key}}}, {@code {{index .Pod.Labels "key"}}} and the same for {@code
 *       Annotations}
 * </ul>
 *
 * Anything else is refused when parsing, with the position and the supported forms.
 */
public final class IdentityTemplate {

  private static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}");
  private static final Pattern FIELD =
      Pattern.compile("\\.(Pod|Context)\\.([A-Za-z0-9_]+)(?:\\.([A-Za-z0-9_./-]+))?");
  private static final Pattern INDEX =
      Pattern.compile("index\\s+\\.Pod\\.(Labels|Annotations)\\s+\"([^\"]+)\"");

  private final String source;
  private final List<Part> parts;

  private IdentityTemplate(String source, List<Part> parts) {
    this.source = source;
    this.parts = List.copyOf(parts);
  }

  /** Parses a template; throws {@link IllegalArgumentException} naming the offending action. */
  public static IdentityTemplate parse(String source, Map<String, String> context) {
    List<Part> parts = new ArrayList<>();
    Matcher m = ACTION.matcher(source);
    int last = 0;
    while (m.find()) {
      String literal = source.substring(last, m.start());
      checkLiteral(source, literal);
      parts.add(new Literal(literal));
      parts.add(action(source, m.group(1), context));
      last = m.end();
    }
    String tail = source.substring(last);
    checkLiteral(source, tail);
    parts.add(new Literal(tail));
    return new IdentityTemplate(source, parts);
  }

  private static void checkLiteral(String source, String literal) {
    if (literal.contains("{{") || literal.contains("}}")) {
      throw new IllegalArgumentException(
          "identity template \"" + source + "\": unbalanced \"{{\" or \"}}\"");
    }
  }

  private static Part action(String source, String action, Map<String, String> context) {
    Matcher index = INDEX.matcher(action);
    if (index.matches()) {
      return new PodMap(index.group(1), index.group(2));
    }
    Matcher field = FIELD.matcher(action);
    if (field.matches()) {
      String root = field.group(1);
      String name = field.group(2);
      String key = field.group(3);
      if (root.equals("Context")) {
        if (key != null) {
          throw unsupported(source, action);
        }
        String value = context.get(name);
        if (value == null) {
          throw new IllegalArgumentException(
              "identity template \""
                  + source
                  + "\" references .Context."
                  + name
                  + ", which the configuration's context map does not define");
        }
        return new Literal(value);
      }
      if (name.equals("Labels") || name.equals("Annotations")) {
        if (key == null) {
          throw unsupported(source, action);
        }
        return new PodMap(name, key);
      }
      if (key == null && PodField.byName(name) != null) {
        return PodField.byName(name);
      }
    }
    throw unsupported(source, action);
  }

  private static IllegalArgumentException unsupported(String source, String action) {
    return new IllegalArgumentException(
        "identity template \""
            + source
            + "\": unsupported action {{"
            + action
            + "}}; use .Pod.Name, .Pod.Namespace, .Pod.UID, .Pod.ServiceAccount, .Pod.Hostname, .Pod.NodeName, "
            + ".Pod.Labels.<key>, .Pod.Annotations.<key>, index .Pod.Labels \"<key>\" or .Context.<key>");
  }

  public String source() {
    return "\"" + source + "\"";
  }

  /** Renders for a pod; a label or annotation the pod lacks is a problem, not an empty string. */
  public Rendered render(PodView pod) {
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      String value = part.value(pod);
      if (value == null) {
        return new Rendered(null, part.missing());
      }
      out.append(value);
    }
    return new Rendered(out.toString(), null);
  }

  /** The rendered text, or the problem that prevented rendering. */
  public record Rendered(String text, String problem) {}

  private sealed interface Part permits Literal, PodField, PodMap {
    String value(PodView pod);

    default String missing() {
      return "";
    }
  }

  private record Literal(String text) implements Part {
    @Override
    public String value(PodView pod) {
      return text;
    }
  }

  private enum PodField implements Part {
    Name,
    Namespace,
    UID,
    ServiceAccount,
    Hostname,
    NodeName;

    static PodField byName(String name) {
      for (PodField f : values()) {
        if (f.name().equals(name)) {
          return f;
        }
      }
      return null;
    }

    @Override
    public String value(PodView pod) {
      return switch (this) {
        case Name -> pod.name();
        case Namespace -> pod.namespace();
        case UID -> pod.uid();
        case ServiceAccount -> pod.serviceAccount();
        case Hostname -> pod.hostname();
        case NodeName -> pod.nodeName();
      };
    }
  }

  private record PodMap(String map, String key) implements Part {
    @Override
    public String value(PodView pod) {
      return (map.equals("Labels") ? pod.labels() : pod.annotations()).get(key);
    }

    @Override
    public String missing() {
      return "pod has no " + (map.equals("Labels") ? "label" : "annotation") + " \"" + key + "\"";
    }
  }
}
