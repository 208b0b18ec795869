package org.spireoperator.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** deploy/ rendered by {@code kubectl kustomize}, as {@code kubectl apply -k} would apply it. */
public record Kustomize(Path kubectl, Path deploy) {

  /** kubectl from {@code -Dkubectl=<path>}, {@code $KUBECTL} or PATH. */
  public static Optional<Path> locateKubectl() {
    return ExternalCommand.locate("kubectl", "KUBECTL", "kubectl");
  }

  public static Kustomize of(Path kubectl, Path repoRoot) {
    return new Kustomize(kubectl, repoRoot.resolve("deploy").toAbsolutePath().normalize());
  }

  /** {@code kubectl kustomize deploy/}. */
  public ManifestSet render() {
    return ManifestSet.parse(ExternalCommand.of(kubectl, "kustomize", deploy).run());
  }

  /**
   * deploy/ with components of deploy/ (e.g. {@code variants/tcp}), through an overlay in {@code
   * workdir} (kustomize refuses an overlay nested in its base and absolute paths).
   */
  public ManifestSet renderWith(Path workdir, String... components) {
    try {
      Path overlay = Files.createDirectories(workdir).toAbsolutePath().normalize();
      String base = overlay.relativize(deploy).toString();
      String list =
          List.of(components).stream().map(c -> base + "/" + c).collect(Collectors.joining(", "));
      Files.writeString(
          overlay.resolve("kustomization.yaml"),
          """
          apiVersion: kustomize.config.k8s.io/v1beta1
          kind: Kustomization
          resources: [%s]
          components: [%s]
          """
              .formatted(base, list));
      return ManifestSet.parse(ExternalCommand.of(kubectl, "kustomize", overlay).run());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
