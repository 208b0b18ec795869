package org.spireoperator.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/** Configuration texts for the tests. */
final class Configs {

  static final String SOURCE = "k8s-workload-registrar.conf";
  static final String MINIMAL = "trust_domain = \"example.org\"\ncluster = \"production\"\n";

  private Configs() {}

  /** The given lines, preceded by the required keys unless the lines set them. */
  static String withRequired(String... lines) {
    String text = String.join("\n", lines) + "\n";
    StringBuilder config = new StringBuilder();
    if (Arrays.stream(lines).noneMatch(l -> l.trim().startsWith("trust_domain"))) {
      config.append("trust_domain = \"example.org\"\n");
    }
    if (Arrays.stream(lines)
        .noneMatch(l -> l.trim().startsWith("cluster ") || l.trim().startsWith("cluster="))) {
      config.append("cluster = \"production\"\n");
    }
    return config + text;
  }

  static RegistrarConfig parse(String text) {
    return ConfigLoader.withoutEnvironment().parse(text, SOURCE);
  }

  static RegistrarConfig parseWith(String... lines) {
    return parse(withRequired(lines));
  }

  static Path resource(String name) {
    try {
      return Path.of(
          Objects.requireNonNull(Configs.class.getResource("/config/" + name), name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static RegistrarConfig loadResource(String name) {
    return ConfigLoader.withoutEnvironment().load(resource(name));
  }

  /**
   * The repository's root, seen from the operator module's directory, where Maven runs the tests.
   */
  static Path repositoryRoot() {
    Path moduleDir = Path.of("").toAbsolutePath();
    Path root = moduleDir.getParent();
    if (root == null || !root.resolve("docs").toFile().isDirectory()) {
      throw new UncheckedIOException(new IOException("no docs/ next to " + moduleDir));
    }
    return root;
  }
}
