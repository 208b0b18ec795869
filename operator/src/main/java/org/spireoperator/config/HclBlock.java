package org.spireoperator.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One level of the parsed file (the top level or a block) with typed, checked access to its keys.
 * Every failed check is a {@link ConfigException} naming the file, the key and an example of a good
 * value.
 *
 * <p>As upstream (Go zero values) did, an empty string means "not set".
 */
final class HclBlock {

  private final String source;
  private final String prefix;
  private final Map<String, Object> values;
  private final Map<String, String> examples;

  HclBlock(String source, String prefix, Map<String, Object> values, Map<String, String> examples) {
    this.source = source;
    this.prefix = prefix;
    this.values = values;
    this.examples = examples;
  }

  String source() {
    return source;
  }

  /** The key's name as the user sees it, e.g. {@code tenant.confine}. */
  String path(String key) {
    return prefix + key;
  }

  /**
   * @throws ConfigException for the first key (in file order) that is not a known one
   */
  void rejectUnknownKeys() {
    for (String key : values.keySet()) {
      if (!examples.containsKey(key)) {
        String fix =
            KeySuggestion.nearest(key, examples.keySet())
                .map(known -> "did you mean \"" + path(known) + "\"?")
                .orElse("remove it (docs/CONFIG.md lists the known keys)");
        throw new ConfigException(source, "unknown key \"" + path(key) + "\": " + fix);
      }
    }
  }

  /** Whether the file gives the key a value (an empty string counts as not given). */
  boolean isSet(String key) {
    Object value = values.get(key);
    return value != null && !"".equals(value);
  }

  Optional<String> string(String key) {
    Object value = present(key);
    if (value == null || "".equals(value)) {
      return Optional.empty();
    }
    if (value instanceof String s) {
      return Optional.of(s);
    }
    if (value instanceof Number n && isWhole(n)) {
      return Optional.of(Long.toString(n.longValue()));
    }
    if (isBareWord(value)) {
      throw error(
          key,
          "must be a quoted string, got " + describe(value),
          "write " + path(key) + " = \"" + value + "\"");
    }
    throw error(key, "must be a string, got " + describe(value), "write e.g. " + example(key));
  }

  String string(String key, String defaultValue) {
    return string(key).orElse(defaultValue);
  }

  Optional<Boolean> bool(String key) {
    Object value = present(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Boolean b) {
      return Optional.of(b);
    }
    throw error(key, "must be true or false, got " + describe(value), "write e.g. " + example(key));
  }

  boolean bool(String key, boolean defaultValue) {
    return bool(key).orElse(defaultValue);
  }

  /** A whole number in {@code [min, max]}; a quoted number is accepted, as upstream did. */
  int integer(String key, int min, int max, int defaultValue) {
    Object value = present(key);
    if (value == null || "".equals(value)) {
      return defaultValue;
    }
    String range = "write a whole number from " + min + " to " + max + ", e.g. " + example(key);
    double number;
    if (value instanceof Number n) {
      number = n.doubleValue();
    } else if (value instanceof String s && s.trim().matches("[+-]?[0-9]{1,10}")) {
      number = Long.parseLong(s.trim());
    } else {
      throw error(key, "must be a number, got " + describe(value), range);
    }
    if (!isWhole(number)) {
      throw error(key, "must be a whole number, got " + describe(value), range);
    }
    if (number < min || number > max) {
      throw error(key, "is out of range, got " + describe(value), range);
    }
    return (int) number;
  }

  /** A list of non-empty strings; an empty list is a value (not "not set"). */
  Optional<List<String>> strings(String key) {
    Object value = present(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof List<?> list)) {
      throw error(
          key, "must be a list of strings, got " + describe(value), "write e.g. " + example(key));
    }
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object element = list.get(i);
      if (element instanceof Number n && isWhole(n)) {
        element = Long.toString(n.longValue());
      }
      if (!(element instanceof String s) || s.isEmpty()) {
        throw error(
            key,
            "must be a list of non-empty strings, but item " + (i + 1) + " is " + describe(element),
            "write e.g. " + example(key));
      }
      strings.add(s);
    }
    return Optional.of(List.copyOf(strings));
  }

  /** A block or object of string values, e.g. {@code context { region = "eu-1" }}. */
  Optional<Map<String, String>> stringMap(String key) {
    Object value = present(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw error(
          key,
          "must be a block of string values, got " + describe(value),
          "write e.g. " + example(key));
    }
    Map<String, String> strings = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      Object element = entry.getValue();
      if (element instanceof Number n && isWhole(n)) {
        element = Long.toString(n.longValue());
      }
      if (!(element instanceof String s)) {
        throw error(
            key,
            "must hold only string values, but \"" + entry.getKey() + "\" is " + describe(element),
            "write e.g. " + example(key));
      }
      strings.put(String.valueOf(entry.getKey()), s);
    }
    return Optional.of(strings);
  }

  /** A nested block, e.g. {@code tenant { ... }}, whose keys are {@code nestedExamples}' keys. */
  Optional<HclBlock> block(String key, Map<String, String> nestedExamples) {
    Object value = present(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw error(
          key,
          "must be a block, got " + describe(value),
          "write e.g. " + path(key) + " " + examples.get(key));
    }
    Map<String, Object> nested = new LinkedHashMap<>();
    map.forEach((k, v) -> nested.put(String.valueOf(k), v));
    return Optional.of(new HclBlock(source, path(key) + ".", nested, nestedExamples));
  }

  ConfigException error(String key, String problem, String fix) {
    return ConfigException.forKey(source, path(key), problem, fix);
  }

  /** {@code <key> = <example value>}. */
  String example(String key) {
    return path(key) + " = " + examples.get(key);
  }

  /** The value, or null when absent; a key written without a value is an error. */
  private Object present(String key) {
    if (!values.containsKey(key)) {
      return null;
    }
    Object value = values.get(key);
    if (value == null) {
      throw error(key, "has no value", "write e.g. " + example(key));
    }
    return value;
  }

  private static boolean isWhole(Number n) {
    return isWhole(n.doubleValue());
  }

  private static boolean isWhole(double d) {
    return Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15;
  }

  /** hcl4j turns an unquoted word ({@code mode = reconcile}) into one of its own symbol objects. */
  private static boolean isBareWord(Object value) {
    return !(value instanceof String
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof List
        || value instanceof Map);
  }

  /** A short, one-line rendering of a value as the user wrote it. */
  static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof String s) {
      String shown = s.length() > 60 ? s.substring(0, 60) + "..." : s;
      return "\""
          + shown
              .replace("\\", "\\\\")
              .replace("\"", "\\\"")
              .replace("\n", "\\n")
              .replace("\r", "\\r")
              .replace("\t", "\\t")
          + "\"";
    }
    if (value instanceof Number n) {
      return isWhole(n) ? Long.toString(n.longValue()) : n.toString();
    }
    if (value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof List) {
      return "a list";
    }
    if (value instanceof Map) {
      return "a block";
    }
    return value.toString();
  }
}
