package org.spireoperator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.spireoperator.registration.NodeAttestor;
import org.spireoperator.registration.ParentMode;

/** The example configurations shipped in deploy/examples/config load, without warnings. */
class ExampleConfigsTest {

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files =
        Files.list(Configs.repositoryRoot().resolve("deploy/examples/config"))) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".conf"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExampleLoadsWithoutWarnings(Path example) {
    RegistrarConfig config = ConfigLoader.withoutEnvironment().load(example);

    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void theExamplesCoverEachModeAndBothNodeAttestorsAndParentModes() throws IOException {
    List<RegistrarConfig> configs =
        examples().map(ConfigLoader.withoutEnvironment()::load).toList();

    assertThat(configs).extracting(RegistrarConfig::mode).contains(Mode.values());
    assertThat(configs).extracting(c -> c.agents().nodeAttestor()).contains(NodeAttestor.values());
    assertThat(configs).extracting(c -> c.agents().parentMode()).contains(ParentMode.values());
  }

  @Test
  void theMinimalReconcileExampleIsInUpstreamStyle() {
    RegistrarConfig config =
        ConfigLoader.withoutEnvironment()
            .load(Configs.repositoryRoot().resolve("deploy/examples/config/reconcile.conf"));

    assertThat(config.spire().serverAddress())
        .isEqualTo("unix:///tmp/spire-server/private/api.sock");
  }
}
