package org.spireoperator.config;

/** The syntax of {@code tenant.spiffe_id_path}. */
final class TenantPaths {

  private TenantPaths() {}

  /**
   * Null when {@code path} starts and ends with '/', has {@value TenantSettings#NAMESPACE} as
   * exactly one whole segment and only SPIFFE ID path segments besides; else what is wrong.
   */
  static String problem(String path) {
    if (!path.startsWith("/") || !path.endsWith("/") || path.length() < 2) {
      return "must start and end with \"/\"";
    }
    String[] segments = path.substring(1, path.length() - 1).split("/", -1);
    int namespaces = 0;
    for (String segment : segments) {
      if (segment.equals(TenantSettings.NAMESPACE)) {
        namespaces++;
      } else if (segment.contains("{{") || segment.contains("}}")) {
        return "has the segment \""
            + segment
            + "\", but the only template action it may hold is "
            + TenantSettings.NAMESPACE
            + ", written so, as a whole path segment";
      } else if (segment.isEmpty()) {
        return "has an empty path segment (\"//\")";
      } else if (!SpiffeSyntax.isPathSegment(segment)) {
        return "has a path segment that is not letters, digits, \".\", \"_\" and \"-\": \""
            + segment
            + "\"";
      }
    }
    if (namespaces != 1) {
      return "must hold "
          + TenantSettings.NAMESPACE
          + " exactly once, as a whole path segment (it holds it "
          + namespaces
          + " times)";
    }
    return null;
  }
}
