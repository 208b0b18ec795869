package org.spireoperator.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupFilesTest {

  @TempDir Path dir;

  private static void check(String... lines) {
    StartupFiles.check(Configs.parseWith(lines), Configs.SOURCE);
  }

  @Test
  void aLogFileInADirectoryThatCannotBeCreatedIsAConfigurationError() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("file"), "");

    assertThatThrownBy(() -> check("log_path = \"" + notADirectory.resolve("x.log") + "\""))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(Configs.SOURCE + ": key \"log_path\" names ")
        .hasMessageContaining("cannot be opened for writing")
        .hasMessageEndingWith(
            ": set it to a file the operator may write, or remove it to log to standard error");
  }

  @Test
  void aLogFileWhoseDirectoryIsMissingIsCreated() {
    Path log = dir.resolve("logs/registrar.log");

    assertThatCode(() -> check("log_path = \"" + log + "\"")).doesNotThrowAnyException();
  }

  @Test
  void aMissingWebhookCertificateIsAConfigurationError() {
    assertThatThrownBy(
            () -> check("mode = \"webhook\"", "cert_path = \"" + dir.resolve("cert.pem") + "\""))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            Configs.SOURCE
                + ": key \"cert_path\" names \""
                + dir.resolve("cert.pem")
                + "\", which does not exist: set it to the PEM server certificate, e.g. "
                + "cert_path = \"cert.pem\"");
  }

  @Test
  void theCaCertificateIsNotNeededWhenClientsAreNotVerified() throws IOException {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "");
    Path key = Files.writeString(dir.resolve("key.pem"), "");

    assertThatCode(
            () ->
                check(
                    "mode = \"webhook\"",
                    "cert_path = \"" + cert + "\"",
                    "key_path = \"" + key + "\"",
                    "cacert_path = \"" + dir.resolve("absent.pem") + "\"",
                    "insecure_skip_client_verification = true"))
        .doesNotThrowAnyException();
  }

  @Test
  void aSpiffeIdWebhookCertificateDirectoryWithoutTheKeyIsAConfigurationError() throws IOException {
    Files.writeString(dir.resolve("tls.crt"), "");

    assertThatThrownBy(
            () ->
                check(
                    "mode = \"crd\"",
                    "webhook_enabled = true",
                    "webhook_cert_dir = \"" + dir + "\""))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(Configs.SOURCE + ": key \"webhook_cert_dir\" names ")
        .hasMessageContaining("which holds no readable tls.key");
  }

  @Test
  void filesOfAModeThatIsNotRunningAreNotLookedAt() {
    assertThatCode(() -> check("cert_path = \"" + dir.resolve("absent.pem") + "\""))
        .doesNotThrowAnyException();
  }
}
