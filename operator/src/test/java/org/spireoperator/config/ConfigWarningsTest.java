package org.spireoperator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigWarningsTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"configmaps", "endpoints", "configmapsleases", "endpointsleases"})
  void aRetiredLeaderElectionLockTypeBecomesLeasesWithAWarning(String lock) {
    RegistrarConfig config = Configs.parseWith("leader_election_resource_lock = \"" + lock + "\"");

    assertThat(config.leaderElection().resourceLock()).isEqualTo("leases");
    assertThat(config.warnings())
        .singleElement(STRING)
        .contains("leader_election_resource_lock")
        .contains(lock)
        .contains("using \"leases\"");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"fatal", "panic"})
  void upstreamsFatalAndPanicLogLevelsBecomeErrorWithAWarning(String level) {
    RegistrarConfig config = Configs.parseWith("log_level = \"" + level + "\"");

    assertThat(config.observability().logLevel()).isEqualTo("error");
    assertThat(config.warnings()).singleElement(STRING).contains("log_level").contains(level);
  }

  @Test
  void upstreamsWarningLogLevelIsWarnWithoutAWarning() {
    RegistrarConfig config = Configs.parseWith("log_level = \"WARNING\"");

    assertThat(config.observability().logLevel()).isEqualTo("warn");
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void aServerSocketPathBesideADifferentServerAddressIsIgnoredWithAWarning() {
    RegistrarConfig config =
        Configs.parseWith(
            "server_address = \"unix:///run/a.sock\"", "server_socket_path = \"/run/b.sock\"");

    assertThat(config.spire().serverAddress()).isEqualTo("unix:///run/a.sock");
    assertThat(config.warnings()).singleElement(STRING).contains("server_socket_path");
  }

  @Test
  void skippingClientVerificationInWebhookModeIsWarnedAbout() {
    RegistrarConfig config =
        Configs.parseWith("mode = \"webhook\"", "insecure_skip_client_verification = true");

    assertThat(config.warnings())
        .singleElement(STRING)
        .contains("insecure_skip_client_verification");
  }
}
