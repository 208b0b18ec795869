package org.spireoperator.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The chart in deploy/helm/, rendered or installed by a helm binary. */
public record HelmChart(Path helm, Path chart) {

  /** The helm release scripts/helm-install.sh builds by default. */
  public static final String HELM_VERSION = "v3.22.0";

  public static final String RELEASE = "spire-k8s-operator";

  /**
   * helm from {@code -Dhelm=<path>}, {@code $HELM}, the cache of scripts/helm-install.sh ({@code
   * $HOME/.cache/spire-operator/helm-v3.22.0/bin/helm}) or PATH.
   */
  public static Optional<Path> locateHelm() {
    String cache =
        System.getenv()
            .getOrDefault(
                "SPIRE_CACHE_ROOT", System.getProperty("user.home") + "/.cache/spire-operator");
    return ExternalCommand.locate(
        "helm", "HELM", "helm", Path.of(cache, "helm-" + HELM_VERSION, "bin", "helm"));
  }

  /** The chart of the repository whose root is {@code repoRoot}. */
  public static HelmChart of(Path helm, Path repoRoot) {
    Path chart = repoRoot.resolve("deploy/helm").toAbsolutePath().normalize();
    if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
      throw new IllegalStateException("no chart at " + chart);
    }
    return new HelmChart(helm, chart);
  }

  /** {@code helm template} into namespace {@code namespace} with further arguments (--set ...). */
  public String template(String namespace, String... args) {
    return command(namespace, "template", args).run();
  }

  /** {@code helm template}, parsed. */
  public ManifestSet render(String namespace, String... args) {
    return ManifestSet.parse(template(namespace, args));
  }

  /**
   * A helm command on this chart: {@code helm <verb> spire-k8s-operator <chart> -n <namespace>
   * args...}.
   */
  public ExternalCommand command(String namespace, String verb, String... args) {
    List<Object> argv =
        new ArrayList<>(List.of(helm, verb, RELEASE, chart, "--namespace", namespace));
    argv.addAll(List.of(args));
    return ExternalCommand.of(argv.toArray());
  }

  /**
   * A helm command on the release, without the chart: {@code helm <verb> spire-k8s-operator -n
   * <namespace> args...} (uninstall, get manifest, history).
   */
  public ExternalCommand releaseCommand(String namespace, String verb, String... args) {
    List<Object> argv = new ArrayList<>(List.of(helm));
    argv.addAll(List.of(verb.split(" ")));
    argv.addAll(List.of(RELEASE, "--namespace", namespace));
    argv.addAll(List.of(args));
    return ExternalCommand.of(argv.toArray());
  }
}
