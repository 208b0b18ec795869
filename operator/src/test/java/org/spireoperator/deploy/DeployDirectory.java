package org.spireoperator.deploy;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The repository's {@code deploy/} directory, read the way kubectl would: one Kubernetes object per
 * manifest file, plus the kustomization that lists them.
 */
record DeployDirectory(Path root, KubernetesSerialization serialization) {

  /**
   * Directories below deploy/ that kustomization.yaml deliberately leaves out (helm: the chart).
   */
  static final List<String> NOT_INSTALLED = List.of("variants", "spire", "examples", "helm");

  /** Surefire runs in the module directory (operator/); deploy/ is its sibling. */
  static DeployDirectory ofRepository() {
    Path root = Path.of("..", "deploy").toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException("no deploy directory at " + root);
    }
    return new DeployDirectory(root, new KubernetesSerialization());
  }

  <T> T load(String relativePath, Class<T> type) {
    try (InputStream in = Files.newInputStream(root.resolve(relativePath))) {
      return serialization.unmarshal(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Map<String, Object> loadMap(String relativePath) {
    try (InputStream in = Files.newInputStream(root.resolve(relativePath))) {
      return serialization.unmarshal(in, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Resources listed in deploy/kustomization.yaml, relative to deploy/. */
  List<String> kustomizationResources() {
    Object resources = loadMap("kustomization.yaml").get("resources");
    return ((List<?>) resources).stream().map(String::valueOf).toList();
  }

  /** YAML files below deploy/ meant to be installed, relative to deploy/, '/'-separated. */
  List<String> installableManifests() {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .map(root::relativize)
          .filter(path -> !NOT_INSTALLED.contains(path.getName(0).toString()))
          .map(path -> path.toString().replace('\\', '/'))
          .filter(name -> name.endsWith(".yaml") || name.endsWith(".yml"))
          .filter(name -> !name.equals("kustomization.yaml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean exists(String relativePath) {
    return Files.isRegularFile(root.resolve(relativePath));
  }

  static Map<String, Object> parseHcl(String hcl) {
    try {
      return new HCLParser().parse(hcl);
    } catch (Exception e) {
      throw new IllegalArgumentException("not valid HCL: " + e.getMessage(), e);
    }
  }
}
