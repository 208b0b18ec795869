package org.spireoperator.spire.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.SpireChannels;
import spire.api.server.entry.v1.CountEntriesRequest;
import spire.api.server.entry.v1.EntryGrpc;

class UnixSocketTransportTest {

  private final Path dir = Files.createTempDirectory(Path.of("/tmp"), "sts");
  private final Path socket = dir.resolve("api.sock");
  private final SpireTestServer spire = SpireTestServer.start("example.org");

  UnixSocketTransportTest() throws IOException {}

  @AfterEach
  void close() throws IOException {
    spire.close();
    Files.deleteIfExists(socket);
    Files.deleteIfExists(dir);
  }

  private static long count(SpireChannels.Connection connection) {
    return EntryGrpc.newBlockingStub(connection.channel())
        .countEntries(CountEntriesRequest.getDefaultInstance())
        .getCount();
  }

  @Test
  void theApiIsServedOnAUnixSocketAsWellAsInProcess() throws Exception {
    spire.startOnUnixSocket(socket);
    spire.addK8sSatAgent("demo", "spire", "spire-agent");

    try (var connection = SpireChannels.open(spire.unixAddress(), null, "example.org")) {
      assertThat(count(connection)).isZero();
      assertThat(Files.exists(socket)).isTrue();
    }
  }

  @Test
  void afterARestartTheSameSocketServesAgain() throws Exception {
    spire.startOnUnixSocket(socket);
    try (var connection = SpireChannels.open(spire.unixAddress(), null, "example.org")) {
      count(connection);

      spire.stop();
      assertThatThrownBy(() -> count(connection)).isInstanceOf(StatusRuntimeException.class);
      spire.restart();

      await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> count(connection) == 0);
    }
  }

  @Test
  void closingTheServerRemovesTheSocketFile() {
    spire.startOnUnixSocket(socket);

    spire.close();

    assertThat(Files.exists(socket)).isFalse();
  }

  @Test
  void aSocketPathLongerThanLinuxAllowsIsRefusedUpFront() {
    Path tooLong = dir.resolve("x".repeat(110));

    assertThatThrownBy(() -> spire.startOnUnixSocket(tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Linux allows");
  }
}
