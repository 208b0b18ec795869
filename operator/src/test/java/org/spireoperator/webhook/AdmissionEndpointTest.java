package org.spireoperator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook mode's admission endpoint: always allows, and hands the pod to the registrar at once. */
class AdmissionEndpointTest {

  private Path dir;
  private AdmissionEndpoint endpoint;
  private HttpClient http;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory("webhook");
    Path store = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit")
            .inheritIO()
            .start();
    assertThat(keytool.waitFor()).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = new FileInputStream(store.toFile())) {
      ks.load(in, "changeit".toCharArray());
    }
    Certificate cert = ks.getCertificate("server");
    PrivateKey key = (PrivateKey) ks.getKey("server", "changeit".toCharArray());
    Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
    endpoint =
        new AdmissionEndpoint(
            new InetSocketAddress("127.0.0.1", 0),
            dir.resolve("cert.pem"),
            dir.resolve("key.pem"),
            null,
            AdmissionEndpoint.ALLOW);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", cert);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    this.tls = tls;
    http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private SSLContext tls;

  private SSLContext sslContext() {
    return tls;
  }

  @AfterEach
  void tearDown() {
    endpoint.close();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private HttpResponse<String> review(String operation) throws Exception {
    String body =
        """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1",
         "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
         "name":"web-0","namespace":"shop","operation":"%s"}}"""
            .formatted(operation);
    return http.send(
        HttpRequest.newBuilder(URI.create("https://localhost:" + endpoint.port() + "/"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyPodIsAllowed() throws Exception {
    assertThat(review("CREATE").body()).contains("\"allowed\":true").contains("\"uid\":\"u-1\"");
  }

  @Test
  void aChunkedBodyOverTheCapIsRefusedAfterTheCap() throws Exception {
    try (var socket = sslContext().getSocketFactory().createSocket("localhost", endpoint.port())) {
      var out = socket.getOutputStream();
      out.write(
          "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      String header = Integer.toHexString(chunk.length) + "\r\n";
      try {
        for (int sent = 0; sent <= AdmissionEndpoint.MAX_BODY_BYTES; sent += chunk.length) {
          out.write(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          out.write(chunk);
          out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        out.flush();
      } catch (java.io.IOException refusedMidway) {
        // the server may answer and close before the last chunk is sent
      }
      assertThat(statusLine(socket)).contains("413");
    }
  }

  private static String statusLine(java.net.Socket socket) throws java.io.IOException {
    return new java.io.BufferedReader(
            new java.io.InputStreamReader(
                socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
        .readLine();
  }

  @Test
  void aBodyClaimingFiveHundredMegabytesIsRefusedAtOnce() throws Exception {
    try (var socket = sslContext().getSocketFactory().createSocket("localhost", endpoint.port())) {
      var out = socket.getOutputStream();
      out.write(
          ("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 524288000\r\n\r\n")
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      assertThat(statusLine(socket)).contains("413");
    }
  }

  @Test
  void afterAFloodOfConcurrentReviewsTheEndpointStillAnswers() throws Exception {
    var flood =
        java.util.stream.IntStream.range(0, 200)
            .mapToObj(
                i ->
                    http.sendAsync(
                        HttpRequest.newBuilder(
                                URI.create("https://localhost:" + endpoint.port() + "/"))
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                        HttpResponse.BodyHandlers.discarding()))
            .toList();
    flood.forEach(f -> f.handle((r, e) -> null).join());
    assertThat(review("CREATE").statusCode()).isEqualTo(200);
  }

  @Test
  void garbageIsABadRequestNotACrash() throws Exception {
    var response =
        http.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + endpoint.port() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
  }
}
