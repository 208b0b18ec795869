package org.spireoperator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's Kubernetes client asks the API server to gzip its answers to GET requests, as
 * client-go does, and reads a gzipped answer exactly as it reads a plain one; a corrupt one fails
 * the request instead of yielding what came before the corruption. Writes and watches are not asked
 * to compress. Served here by a plain HTTP server that compresses as kube-apiserver does when
 * asked.
 */
class GzipResponsesTest {

  private static final int PODS = 2_000;
  private static final byte[] POD_LIST = podList();

  private final List<String> acceptEncodings = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private KubernetesClient client;

  private static byte[] podList() {
    PodList list =
        new PodListBuilder()
            .withNewMetadata()
            .withResourceVersion("7")
            .endMetadata()
            .withItems(
                IntStream.range(0, PODS)
                    .mapToObj(
                        i ->
                            new PodBuilder()
                                .withNewMetadata()
                                .withName("pod-" + i)
                                .withNamespace("bench")
                                .withUid("uid-" + i)
                                .addToLabels("app", "bench")
                                .endMetadata()
                                .withNewSpec()
                                .withNodeName("node-" + (i % 50))
                                .withServiceAccountName("default")
                                .endSpec()
                                .build())
                    .toList())
            .build();
    return new KubernetesSerialization().asJson(list).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * An API server answering every request with the pod list, gzipped if {@code compress} (whether
   * asked or not, so that a client that did not inflate would fail to read it).
   */
  private void serve(boolean compress, boolean corruptTrailer) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String accept = exchange.getRequestHeaders().getFirst("Accept-Encoding");
          acceptEncodings.add(accept == null ? "" : accept);
          answer(exchange, compress, corruptTrailer);
        });
    server.start();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
            .withRequestRetryBackoffLimit(0)
            .build();
    client = ApiServerHttpClients.client(config);
  }

  private static void answer(HttpExchange exchange, boolean gzip, boolean corruptTrailer)
      throws IOException {
    byte[] body = POD_LIST;
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    if (gzip) {
      body = GzipBytes.of(POD_LIST);
      if (corruptTrailer) {
        body[body.length - 8] ^= 1;
      }
      exchange.getResponseHeaders().add("Content-Encoding", "gzip");
    }
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  private List<String> listedNames() {
    return client.pods().inNamespace("bench").list().getItems().stream()
        .map(HasMetadata::getMetadata)
        .map(m -> m.getName())
        .toList();
  }

  private static List<String> allNames() {
    List<String> names = new ArrayList<>();
    IntStream.range(0, PODS).forEach(i -> names.add("pod-" + i));
    return names;
  }

  @Test
  void aListAsksForGzip() throws IOException {
    serve(true, false);
    listedNames();
    assertThat(acceptEncodings).containsExactly("gzip");
  }

  @Test
  void aGzippedListArrivesWhole() throws IOException {
    serve(true, false);
    assertThat(listedNames()).isEqualTo(allNames());
  }

  @Test
  void aPlainListArrivesWhole() throws IOException {
    serve(false, false);
    assertThat(listedNames()).isEqualTo(allNames());
  }

  @Test
  void aGzippedPodArrivesInThePodCachesShape() throws IOException {
    serve(true, false);
    Pod pod = client.pods().inNamespace("bench").list().getItems().get(7);
    assertThat(pod.getSpec().getNodeName()).isEqualTo("node-7");
  }

  @Test
  void aCorruptGzippedListFailsTheRequest() throws IOException {
    serve(true, true);
    assertThatThrownBy(this::listedNames)
        .isInstanceOf(KubernetesClientException.class)
        .hasStackTraceContaining("gzip CRC-32 mismatch");
  }

  /** Feeds {@code body} to the interceptor's consumer in the given cuts; returns what came out. */
  private static byte[] throughConsumer(byte[] body, int... cuts) throws Exception {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    var consumer =
        new GzipResponses.Inflating(
            (buffers, b) ->
                buffers.forEach(
                    buffer -> {
                      byte[] bytes = new byte[buffer.remaining()];
                      buffer.get(bytes);
                      got.writeBytes(bytes);
                    }));
    AsyncBody asyncBody =
        new AsyncBody() {
          @Override
          public void consume() {}

          @Override
          public CompletableFuture<Void> done() {
            return new CompletableFuture<>();
          }

          @Override
          public void cancel() {}
        };
    int at = 0;
    for (int cut : cuts) {
      consumer.consume(List.of(ByteBuffer.wrap(body, at, cut - at)), asyncBody);
      at = cut;
    }
    consumer.consume(List.of(ByteBuffer.wrap(body, at, body.length - at)), asyncBody);
    return got.toByteArray();
  }

  @Test
  void aGzippedBodyWhoseFirstChunkIsOneByteArrivesWhole() throws Exception {
    assertThat(throughConsumer(GzipBytes.of(POD_LIST), 1, 5)).isEqualTo(POD_LIST);
  }

  @Test
  void aPlainBodyWhoseFirstChunkIsOneByteArrivesAsSent() throws Exception {
    assertThat(throughConsumer(POD_LIST, 1, 5)).isEqualTo(POD_LIST);
  }

  @Test
  void aWriteIsNotAskedToCompress() {
    HttpRequest post =
        new StandardHttpRequest.Builder()
            .uri(URI.create("http://127.0.0.1/api/v1/namespaces/bench/pods"))
            .post("application/json", "{}")
            .build();
    StandardHttpRequest.Builder copy = ((StandardHttpRequest) post).newBuilder();
    new GzipResponses().before(copy, post, null);
    assertThat(copy.build().header("Accept-Encoding")).isNull();
  }

  @Test
  void aWebSocketUpgradeIsNotAskedToCompress() {
    HttpRequest get =
        new StandardHttpRequest.Builder()
            .uri(URI.create("http://127.0.0.1/api/v1/pods?watch=true"))
            .build();
    List<String> headers = new ArrayList<>();
    BasicBuilder webSocket =
        new BasicBuilder() {
          @Override
          public BasicBuilder uri(URI uri) {
            return this;
          }

          @Override
          public BasicBuilder header(String name, String value) {
            headers.add(name);
            return this;
          }

          @Override
          public BasicBuilder setHeader(String name, String value) {
            headers.add(name);
            return this;
          }
        };
    new GzipResponses().before(webSocket, get, null);
    assertThat(headers).isEmpty();
  }
}
