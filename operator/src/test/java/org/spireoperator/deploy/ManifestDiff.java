package org.spireoperator.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The differences between two {@link ManifestSet}s, field by field, one readable line each: an
 * object only one side has, or a path whose values differ.
 */
public final class ManifestDiff {

  private ManifestDiff() {}

  /** Empty when both sets hold the same objects with the same content. */
  public static List<String> between(ManifestSet expected, ManifestSet actual) {
    List<String> differences = new ArrayList<>();
    TreeSet<ObjectKey> keys = new TreeSet<>(expected.objects().keySet());
    keys.addAll(actual.objects().keySet());
    for (ObjectKey key : keys) {
      Map<String, Object> left = expected.get(key);
      Map<String, Object> right = actual.get(key);
      if (left == null) {
        differences.add(key + ": only in the second set");
      } else if (right == null) {
        differences.add(key + ": only in the first set");
      } else {
        compare(key + ": ", "", left, right, differences);
      }
    }
    return List.copyOf(differences);
  }

  private static void compare(
      String prefix, String path, Object left, Object right, List<String> differences) {
    if (left instanceof Map<?, ?> l && right instanceof Map<?, ?> r) {
      TreeSet<String> fields = new TreeSet<>();
      l.keySet().forEach(k -> fields.add(k.toString()));
      r.keySet().forEach(k -> fields.add(k.toString()));
      for (String field : fields) {
        compare(
            prefix,
            path.isEmpty() ? field : path + "." + field,
            l.get(field),
            r.get(field),
            differences);
      }
    } else if (left instanceof List<?> l && right instanceof List<?> r && l.size() == r.size()) {
      for (int i = 0; i < l.size(); i++) {
        compare(prefix, path + "[" + i + "]", l.get(i), r.get(i), differences);
      }
    } else if (!Objects.equals(left, right)) {
      differences.add(prefix + path + ": " + describe(left) + " != " + describe(right));
    }
  }

  private static String describe(Object value) {
    String text = value == null ? "(absent)" : value.toString();
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
