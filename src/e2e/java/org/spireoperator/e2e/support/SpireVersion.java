package org.spireoperator.e2e.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SPIRE release ({@code v1.15.3}), and what the suite needs to know about it.
 *
 * @param major the major version
 * @param minor the minor version
 * @param patch the patch version
 */
public record SpireVersion(int major, int minor, int patch) implements Comparable<SpireVersion> {

  private static final Pattern FORMAT = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");

  /** The newest release the Go module proxy here serves (docs/SPIRE-VERSIONS.md). */
  public static final SpireVersion NEWEST = parse("v1.15.3");

  /** The newest served release that still has the k8s_sat node attestor. */
  public static final SpireVersion K8S_SAT = parse("v1.10.4");

  /** Parses {@code v1.15.3} or {@code 1.15.3}. */
  public static SpireVersion parse(String text) {
    Matcher m = FORMAT.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a SPIRE release: '" + text + "' (want v1.2.3)");
    }
    return new SpireVersion(
        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  /** k8s_sat was deprecated in 1.9.0 and removed in 1.12.0. */
  public boolean hasK8sSat() {
    return compareTo(new SpireVersion(1, 12, 0)) < 0;
  }

  @Override
  public int compareTo(SpireVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return "v" + major + "." + minor + "." + patch;
  }
}
