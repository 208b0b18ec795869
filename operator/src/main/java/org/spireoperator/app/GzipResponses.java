package org.spireoperator.app;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the API server to gzip its answers to plain GET requests (lists and gets; watches over web
 * sockets are left as they are) and inflates such an answer as it arrives, before the Kubernetes
 * client reads it. kube-apiserver compresses an answer of 128 KiB or more when asked, as it does
 * for client-go, whose transport always asks: a page of 500 pods shrinks about 25 times, so a start
 * or relist decrypts and carries that much less, and the inflating is native code.
 *
 * <p>The client's HTTP layer hands a response's body to an interceptor's consumer without its
 * headers, so an answer is taken as gzip by its first two bytes, gzip's magic {@code 1f 8b}: the
 * API server's JSON and protobuf bodies cannot start with them. Any other body passes through
 * untouched.
 */
public final class GzipResponses implements Interceptor {

  static final String NAME = "gzip-responses";

  /** {@code builder}, whose clients ask for and inflate gzipped answers. */
  public static KubernetesClientBuilder installOn(KubernetesClientBuilder builder) {
    return builder.withHttpClientBuilderConsumer(
        http -> http.addOrReplaceInterceptor(NAME, new GzipResponses()));
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (builder instanceof HttpRequest.Builder && "GET".equals(request.method())) {
      builder.setHeader("Accept-Encoding", "gzip");
    }
  }

  @Override
  public AsyncBody.Consumer<List<ByteBuffer>> consumer(
      AsyncBody.Consumer<List<ByteBuffer>> consumer, HttpRequest request) {
    return "GET".equals(request.method()) ? new Inflating(consumer) : consumer;
  }

  /** Passes a body on as it came, or inflated if it starts as gzip. */
  static final class Inflating implements AsyncBody.Consumer<List<ByteBuffer>> {

    private final AsyncBody.Consumer<List<ByteBuffer>> downstream;
    private final List<ByteBuffer> head = new ArrayList<>();
    private int headBytes;
    private boolean plain;
    private Gunzip gunzip;

    Inflating(AsyncBody.Consumer<List<ByteBuffer>> downstream) {
      this.downstream = downstream;
    }

    @Override
    public void consume(List<ByteBuffer> value, AsyncBody body) throws Exception {
      if (plain) {
        downstream.consume(value, body);
        return;
      }
      List<ByteBuffer> in = value;
      if (gunzip == null) {
        value.forEach(b -> head.add(b));
        headBytes += value.stream().mapToInt(ByteBuffer::remaining).sum();
        if (headBytes < 2) {
          body.consume();
          return;
        }
        in = List.copyOf(head);
        head.clear();
        if (!startsGzip(in)) {
          plain = true;
          downstream.consume(in, body);
          return;
        }
        gunzip = new Gunzip();
      }
      List<ByteBuffer> out = new ArrayList<>();
      for (ByteBuffer b : in) {
        out.addAll(gunzip.push(b));
      }
      if (out.isEmpty()) {
        body.consume();
      } else {
        downstream.consume(out, body);
      }
    }

    private static boolean startsGzip(List<ByteBuffer> buffers) {
      int[] first = new int[2];
      int n = 0;
      for (ByteBuffer b : buffers) {
        for (int i = b.position(); i < b.limit() && n < 2; i++) {
          first[n++] = b.get(i) & 0xFF;
        }
      }
      return first[0] == 0x1F && first[1] == 0x8B;
    }

    @Override
    public <U> U unwrap(Class<U> target) {
      return target.isInstance(this) ? target.cast(this) : downstream.unwrap(target);
    }
  }
}
