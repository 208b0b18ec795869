package org.spireoperator.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Kubernetes naming rules for the names and label keys the configuration holds. */
final class KubernetesNames {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern NAME_PART =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

  private KubernetesNames() {}

  /**
   * RFC 1123 label, as namespace names are: lowercase alphanumerics and '-', at most 63 characters.
   */
  static boolean isDnsLabel(String s) {
    return s.length() <= 63 && DNS_LABEL.matcher(s).matches();
  }

  /** RFC 1123 subdomain, as most object names are: dot-separated labels, at most 253 characters. */
  static boolean isDnsSubdomain(String s) {
    return s.length() <= 253 && DNS_SUBDOMAIN.matcher(s).matches();
  }

  /** A DNS name of lowercase RFC 1123 labels, each at most 63 characters, in all at most 253. */
  static boolean isDnsName(String s) {
    if (s.isEmpty() || s.length() > 253) {
      return false;
    }
    for (String label : s.split("\\.", -1)) {
      if (!isDnsLabel(label)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A label or annotation key: an optional DNS subdomain prefix and '/', then a name of at most 63
   * characters.
   */
  static boolean isQualifiedName(String s) {
    int slash = s.lastIndexOf('/');
    String name = slash < 0 ? s : s.substring(slash + 1);
    if (slash >= 0 && !isDnsSubdomain(s.substring(0, slash))) {
      return false;
    }
    return name.length() <= 63 && NAME_PART.matcher(name).matches();
  }

  /**
   * A label value: empty, or at most 63 alphanumerics, '-', '_' and '.', starting and ending
   * alphanumeric.
   */
  static boolean isLabelValue(String s) {
    return s.isEmpty() || (s.length() <= 63 && NAME_PART.matcher(s).matches());
  }

  /**
   * The labels an equality-based selector such as {@code "app=spire-agent,tier=node"} requires.
   *
   * @throws IllegalArgumentException naming the part that is not {@code key=value}
   */
  static Map<String, String> parseEqualitySelector(String selector) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String part : selector.split(",", -1)) {
      String requirement = part.trim();
      int eq = requirement.indexOf('=');
      if (eq <= 0 || requirement.contains("!=")) {
        throw new IllegalArgumentException("\"" + requirement + "\" is not of the form key=value");
      }
      String key = requirement.substring(0, eq).trim();
      String value =
          requirement.substring(requirement.startsWith("==", eq) ? eq + 2 : eq + 1).trim();
      if (!isQualifiedName(key)) {
        throw new IllegalArgumentException("\"" + key + "\" is not a valid label key");
      }
      if (!isLabelValue(value) || value.contains("=")) {
        throw new IllegalArgumentException("\"" + value + "\" is not a valid label value");
      }
      if (labels.putIfAbsent(key, value) != null) {
        throw new IllegalArgumentException("label \"" + key + "\" appears twice");
      }
    }
    return labels;
  }
}
