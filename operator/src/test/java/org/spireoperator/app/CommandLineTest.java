package org.spireoperator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.testserver.SpireTestServer;
import org.spireoperator.testing.MockCluster;

/**
 * The command line: configuration errors, plan and explain (against the mock API server and a unix
 * socket).
 */
class CommandLineTest {

  private MockCluster cluster;
  private SpireTestServer spire;
  private Path dir;
  private Path config;

  @BeforeEach
  void setUp() throws Exception {
    cluster = new MockCluster();
    dir = Files.createTempDirectory(Path.of("/tmp"), "cli");
    spire = SpireTestServer.start("example.org").startOnUnixSocket(dir.resolve("api.sock"));
    config = dir.resolve("registrar.conf");
    Files.writeString(
        config,
        "trust_domain = \"example.org\"\ncluster = \"demo\"\nserver_socket_path = \""
            + dir.resolve("api.sock")
            + "\"\n");
    System.setProperty("kubernetes.master", cluster.client().getConfiguration().getMasterUrl());
    System.setProperty("kubernetes.auth.tryKubeConfig", "false");
    System.setProperty("kubernetes.auth.tryServiceAccount", "false");
    cluster.node("node-1");
    cluster.pod("shop", "web-0", "node-1", "web");
  }

  @AfterEach
  void tearDown() {
    System.clearProperty("kubernetes.master");
    System.clearProperty("kubernetes.auth.tryKubeConfig");
    System.clearProperty("kubernetes.auth.tryServiceAccount");
    spire.close();
    cluster.close();
  }

  private record Run(int exit, String out, String err) {}

  private static Run capture(Callable<Integer> body) throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int exit = body.call();
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void unknownKeyStopsWithOneLineNamingFileKeyAndFix() throws Exception {
    Files.writeString(
        config, "trust_domain = \"example.org\"\ncluster = \"demo\"\nclustre = \"x\"\n");
    Run run = capture(() -> App.run(config));
    assertThat(run.exit() + " " + run.err().strip())
        .isEqualTo("2 " + config + ": unknown key \"clustre\": did you mean \"cluster\"?");
  }

  @Test
  void missingConfigFileStopsWithExitCodeTwo() throws Exception {
    assertThat(capture(() -> App.run(dir.resolve("nope.conf"))).exit()).isEqualTo(2);
  }

  @Test
  void planPrintsTheWritesAFullPassWouldMake() throws Exception {
    Run run = capture(() -> App.plan(config));
    assertThat(run.out())
        .contains(
            "create spiffe://example.org/ns/shop/sa/web parent "
                + "spiffe://example.org/spire-k8s-registrar/demo/node/node-1")
        .contains("2 to create, 0 to update, 0 to delete");
  }

  @Test
  void planWritesNothing() throws Exception {
    capture(() -> App.plan(config));
    assertThat(spire.writeCalls()).isEmpty();
  }

  @Test
  void explainSaysWhichEntryAPodWantsAndWhoReceivesIt() throws Exception {
    Run run = capture(() -> App.explain(config, "shop/web-0"));
    assertThat(run.out())
        .contains("wants entry   spiffe://example.org/ns/shop/sa/web")
        .contains("received by   the agent(s) matching node entry");
  }

  @Test
  void explainSaysWhyAPodHasNoEntry() throws Exception {
    cluster.pod("kube-system", "dns-0", "node-1", "dns");
    Run run = capture(() -> App.explain(config, "kube-system/dns-0"));
    assertThat(run.out()).contains("wants no entry: namespace kube-system is disabled");
  }
}
