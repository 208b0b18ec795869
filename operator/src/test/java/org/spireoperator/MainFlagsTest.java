package org.spireoperator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.spireoperator.config.ControllerManagerFlags;
import picocli.CommandLine;

/**
 * The command line takes spire-controller-manager v0.6.4's flags the way Go's flag package does:
 * one or two dashes, the value after a space or {@code =}, a bare boolean flag meaning true.
 */
class MainFlagsTest {

  private static Main parse(String... args) {
    Main main = new Main();
    new CommandLine(main).parseArgs(args);
    return main;
  }

  @Test
  @DisplayName("the SPIRE Helm chart's arguments: --kubeconfig=, --config=, --expand-env")
  void theChartsArguments() {
    Main m =
        parse(
            "--kubeconfig=/kubeconfigs/other",
            "--config=controller-manager-config-other.yaml",
            "--expand-env");
    assertThat(List.<Object>of(m.kubeconfig, m.config, m.flags().expandsEnvironment()))
        .containsExactly(
            Path.of("/kubeconfigs/other"), Path.of("controller-manager-config-other.yaml"), true);
  }

  @Test
  @DisplayName("one dash and a space, as spire-controller-manager's own scripts write them")
  void singleDashAndSpace() {
    Main m = parse("-config", "scm.yaml", "-spire-api-socket", "/run/api.sock");
    assertThat(List.<Object>of(m.config, m.spireApiSocket))
        .containsExactly(Path.of("scm.yaml"), "/run/api.sock");
  }

  @Test
  @DisplayName("every zap flag is taken, booleans with =false too")
  void zapFlags() {
    Main m =
        parse(
            "-zap-log-level=debug",
            "--zap-encoder",
            "json",
            "--zap-devel=false",
            "-zap-stacktrace-level=panic",
            "-zap-time-encoding=rfc3339");
    assertThat(m.flags())
        .isEqualTo(
            new ControllerManagerFlags(null, null, "debug", "json", false, "panic", "rfc3339"));
  }

  @Test
  @DisplayName("without flags the HCL default file is read and no flag of theirs is set")
  void defaults() {
    Main m = parse();
    assertThat(List.<Object>of(m.config, m.flags()))
        .containsExactly(Path.of("k8s-workload-registrar.conf"), ControllerManagerFlags.NONE);
  }
}
