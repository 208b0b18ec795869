package org.spireoperator.spire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import spire.api.server.entry.v1.BatchUpdateEntryRequest;

/** How the client talks to a SPIRE server: paging, masks, retries, deadlines, per-item results. */
class SpireClientTest {

  private final SpireTestServer server = SpireTestServer.inProcess("example.org");
  private final SpireClient client = new SpireClient(server.channel(), SpireClientSettings.defaults()
      .withTimeout(Duration.ofMillis(500)).withRetries(3, Duration.ofMillis(1), Duration.ofMillis(5)),
      (m, c, l) -> { });

  @AfterEach
  void stop() {
    server.close();
  }

  private static Entry entry(int i) {
    return Entry.of(SpiffeId.parse("spiffe://example.org/w" + i), SpiffeId.parse("spiffe://example.org/p"),
        List.of(new Selector("unix", "uid:" + i)));
  }

  @Test
  void listingPagesUntilAnEmptyToken() {
    for (int i = 0; i < 1000; i++) {
      server.put(entry(i));
    }
    server.resetCalls();
    client.listEntries(EntryFilter.all());
    assertThat(server.calls("ListEntries")).hasSize(6);
  }

  @Test
  void listingReturnsEveryEntry() {
    for (int i = 0; i < 450; i++) {
      server.put(entry(i));
    }
    assertThat(client.listEntries(EntryFilter.all())).hasSize(450);
  }

  @Test
  void updateAlwaysSendsAnInputMask() {
    Entry e = server.put(entry(1));
    client.updateEntries(List.of(e.withDnsNames(List.of("a.example"))));
    assertThat(((BatchUpdateEntryRequest) server.calls("BatchUpdateEntry").get(0).request()).hasInputMask())
        .isTrue();
  }

  @Test
  void invalidArgumentIsNeverRetried() {
    server.failNext(1, Status.Code.INVALID_ARGUMENT);
    assertThatThrownBy(() -> client.countEntries()).isInstanceOf(SpireException.class);
    assertThat(server.calls("CountEntries")).hasSize(1);
  }

  @Test
  void unavailableIsRetriedUntilItWorks() {
    server.failNext(2, Status.Code.UNAVAILABLE);
    client.countEntries();
    assertThat(server.calls("CountEntries")).hasSize(3);
  }

  @Test
  void exhaustedRetriesNameMethodAndCode() {
    server.failNext(10, Status.Code.UNAVAILABLE);
    assertThatThrownBy(() -> client.createEntries(List.of(entry(1))))
        .isInstanceOfSatisfying(SpireException.class, e -> assertThat(e.method() + " " + e.code())
            .isEqualTo("BatchCreateEntry UNAVAILABLE"));
  }

  @Test
  void slowServerHitsTheDeadline() {
    server.latency(Duration.ofMillis(800));
    assertThatThrownBy(() -> client.countEntries())
        .isInstanceOfSatisfying(SpireException.class, e -> assertThat(e.code())
            .isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  @Test
  void worksOverAUnixDomainSocket() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "sps");
    Path socket = dir.resolve("api.sock");
    try (SpireTestServer onSocket = SpireTestServer.onUnixSocket("example.org", socket);
         SpireChannels.Connection c = SpireChannels.open(SpireAddress.parse("unix://" + socket), null,
             "example.org")) {
      SpireClient viaSocket = new SpireClient(c.channel(), SpireClientSettings.defaults(), (m, code, l) -> { });
      viaSocket.createEntries(List.of(entry(5)));
      assertThat(onSocket.entries()).hasSize(1);
    }
  }

  @Test
  void federatedTrustDomainsAreListed() {
    server.addFederatedBundle("partner.org");
    assertThat(client.federatedTrustDomains()).containsExactly("partner.org");
  }

  @Test
  void addressParsingAcceptsUpstreamForms() {
    assertThat(List.of(SpireAddress.parse("unix:///run/api.sock"), SpireAddress.parse("spire-server:8081")))
        .containsExactly(new SpireAddress.Unix(Path.of("/run/api.sock")), new SpireAddress.Tcp("spire-server", 8081));
  }
}
