package org.spireoperator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration error stops every command with exit status 2 and one line on standard error,
 * before anything is contacted.
 */
class ConfigurationExitTest {

  @TempDir Path dir;

  private record Outcome(int exit, String err) {}

  private Outcome run(String command, String... lines) throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("registrar.conf"),
            "trust_domain = \"example.org\"\ncluster = \"demo\"\n"
                + String.join("\n", lines)
                + "\n");
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int exit =
          switch (command) {
            case "run" -> App.run(config);
            case "plan" -> App.plan(config);
            default -> App.explain(config, "shop/web-0");
          };
      return new Outcome(exit, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void anIdentityTemplateTheOperatorCannotRenderExitsTwoWithOneLine() throws Exception {
    Outcome outcome = run("run", "mode = \"crd\"", "identity_template = \"{{.Pod.Nope}}\"");

    assertThat(outcome.exit() + " " + outcome.err().strip())
        .startsWith("2 " + dir.resolve("registrar.conf") + ": key \"identity_template\" ")
        .doesNotContain("\n");
  }

  @Test
  void planStopsOnABadDnsNameTemplateWithExitTwo() throws Exception {
    Outcome outcome = run("plan", "mode = \"crd\"", "dns_name_templates = [\"{{.Pod.IP}}\"]");

    assertThat(outcome.exit() + " " + outcome.err().strip())
        .startsWith("2 " + dir.resolve("registrar.conf") + ": key \"dns_name_templates\" ");
  }

  @Test
  void explainStopsOnABadContextReferenceWithExitTwo() throws Exception {
    Outcome outcome =
        run(
            "explain",
            "mode = \"crd\"",
            "identity_template = \"{{.Context.zone}}\"",
            "context {",
            "  a = \"b\"",
            "}");

    assertThat(outcome.exit()).isEqualTo(2);
  }

  @Test
  void aMissingWebhookCertificateExitsTwoBeforeTheOperatorStarts() throws Exception {
    Outcome outcome =
        run("run", "mode = \"webhook\"", "cert_path = \"" + dir.resolve("no.pem") + "\"");

    assertThat(outcome.exit() + " " + outcome.err().strip())
        .startsWith("2 " + dir.resolve("registrar.conf") + ": key \"cert_path\" ");
  }
}
