package org.spireoperator.bench.contenders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options {@code deploy/deployment.yaml} gives the operator (its {@code JAVA_TOOL_OPTIONS}
 * value), so that the benchmark measures the JVM as it is deployed.
 */
final class DeployedJvm {

  private static final Pattern VALUE =
      Pattern.compile("name: JAVA_TOOL_OPTIONS\\s+value: \"([^\"]*)\"");

  private DeployedJvm() {}

  static List<String> options(Path repoRoot) {
    Path manifest = repoRoot.resolve("deploy/deployment.yaml");
    try {
      Matcher m = VALUE.matcher(Files.readString(manifest));
      if (!m.find()) {
        throw new IllegalStateException(manifest + " sets no JAVA_TOOL_OPTIONS value");
      }
      return List.of(m.group(1).strip().split("\\s+"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
