package org.spireoperator.spire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.testserver.SpireTestServer;

class SpireClientOverUnixSocketTest {

  private final Path dir = Files.createTempDirectory(Path.of("/tmp"), "spc");
  private final Path socket = dir.resolve("api.sock");
  private final SpireTestServer spire =
      SpireTestServer.start("example.org").startOnUnixSocket(socket);

  SpireClientOverUnixSocketTest() throws IOException {}

  @AfterEach
  void close() throws IOException {
    spire.close();
    Files.deleteIfExists(socket);
    Files.deleteIfExists(dir);
  }

  @Test
  void theClientTalksToTheServerOverItsUnixSocketAsTheOperatorDoes() throws Exception {
    assertThat(socket.toString().length()).isLessThan(100);
    spire.addK8sSatAgent("demo", "spire", "spire-agent");

    try (var connection = SpireChannels.open(new SpireAddress.Unix(socket), null, "example.org")) {
      var client =
          new SpireClient(
              connection.channel(), SpireTestServer.testSettings(), SpireCallObserver.NONE);
      var entry =
          Entry.of(
              SpiffeId.parse("spiffe://example.org/web"),
              SpiffeId.parse("spiffe://example.org/node"),
              List.of(Selector.parse("k8s:ns:default")));

      var created = client.createEntries(List.of(entry)).get(0);
      var listed = client.listEntries(EntryFilter.all());
      var deleted = client.deleteEntries(List.of(created.entry().id())).get(0);

      assertThat(client.trustDomain()).isEqualTo("example.org");
      assertThat(created.succeeded()).isTrue();
      assertThat(listed).containsExactly(created.entry());
      assertThat(deleted.deleted()).isTrue();
      assertThat(client.listAgents(AgentFilter.byAttestationType("k8s_sat"))).hasSize(1);
    }
    assertThat(spire.calls())
        .extracting(c -> c.method())
        .contains("BatchCreateEntry", "ListEntries", "BatchDeleteEntry", "GetBundle", "ListAgents");
  }
}
