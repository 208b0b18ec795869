package org.spireoperator.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTPS endpoint for ValidatingAdmissionWebhook reviews (TLS from PEM files; client certificates
 * verified against a CA when one is given), answering each review with a {@link Decider}: the
 * SpiffeID tenant rules ({@link SpiffeIdAdmission}), or {@link #ALLOW} for upstream's webhook mode.
 *
 * <p>Hostile input cannot take the operator down: a body over {@link #MAX_BODY_BYTES} is refused
 * with 413 before it is read, requests are handled by the endpoint's own small pool (when it is
 * busy, the accepting thread handles the request itself, which slows the flood down instead of
 * queueing it without bound), and the JDK server's request, response and idle time limits ({@link
 * #limitTimes}) cut slow clients off. Nothing here shares a thread with the controllers.
 */
public final class AdmissionEndpoint implements AutoCloseable {

  /** Decides one admission request: null to allow, else the message to deny with. */
  public interface Decider {
    String deny(io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest request);
  }

  /**
   * Upstream's webhook mode, kept for migration: always allows and does nothing else. (Upstream
   * registered the pod at admission; a pod being admitted has no node yet, so no entry can be
   * computed for it: the informer sees it the moment it is scheduled.)
   */
  public static final Decider ALLOW = request -> null;

  /** Largest AdmissionReview accepted (an object plus its old version, with room to spare). */
  public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(AdmissionEndpoint.class);

  private final HttpsServer server;
  private final ThreadPoolExecutor pool =
      new ThreadPoolExecutor(
          2,
          2,
          0,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(32),
          r -> {
            Thread t = new Thread(r, "admission");
            t.setDaemon(true);
            return t;
          },
          new ThreadPoolExecutor.CallerRunsPolicy());
  private final KubernetesSerialization json = new KubernetesSerialization();

  /**
   * Sets the JDK HTTP server's time limits (seconds): a request must arrive within 10 s, a response
   * leave within 10 s, an idle connection is closed after 30 s. They are process-wide and read when
   * the first server starts, so {@code Main} calls this first thing.
   */
  public static void limitTimes() {
    System.setProperty("sun.net.httpserver.maxReqTime", "10");
    System.setProperty("sun.net.httpserver.maxRspTime", "10");
    System.setProperty("sun.net.httpserver.idleInterval", "30");
  }

  /**
   * @param caCert when not null, a client certificate signed by it is required
   */
  public AdmissionEndpoint(
      InetSocketAddress address, Path cert, Path key, Path caCert, Decider decider)
      throws Exception {
    SSLContext tls = tls(cert, key, caCert);
    boolean verifyClients = caCert != null;
    server = HttpsServer.create(address, 64);
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            var ssl = tls.getDefaultSSLParameters();
            ssl.setNeedClientAuth(verifyClients);
            params.setSSLParameters(ssl);
          }
        });
    server.createContext("/", ex -> handle(ex, decider));
    server.setExecutor(pool);
    server.start();
    log.atInfo()
        .addKeyValue("addr", address.toString())
        .addKeyValue("verifyClients", verifyClients)
        .log("admission endpoint listening");
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex, Decider decider) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null && parseLong(length) > MAX_BODY_BYTES) {
      refuseTooLarge(ex);
      return;
    }
    AdmissionReview review;
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        refuseTooLarge(ex);
        return;
      }
      review = json.unmarshal(new String(body, StandardCharsets.UTF_8), AdmissionReview.class);
    } catch (RuntimeException e) {
      write(ex, 400, "{\"error\":\"not an AdmissionReview\"}");
      return;
    }
    var request = review.getRequest();
    if (request == null) {
      write(ex, 400, "{\"error\":\"AdmissionReview without request\"}");
      return;
    }
    String denial;
    try {
      denial = decider.deny(request);
    } catch (RuntimeException e) {
      denial = null;
      log.atWarn().log("admission decision failed, allowing: " + e.getMessage());
    }
    AdmissionReview response = new AdmissionReview();
    response.setApiVersion(
        review.getApiVersion() == null ? "admission.k8s.io/v1" : review.getApiVersion());
    response.setKind("AdmissionReview");
    var answer =
        new AdmissionResponseBuilder().withUid(request.getUid()).withAllowed(denial == null);
    if (denial != null) {
      answer.withStatus(
          new io.fabric8.kubernetes.api.model.StatusBuilder()
              .withCode(403)
              .withReason("Forbidden")
              .withMessage(denial)
              .build());
    }
    response.setResponse(answer.build());
    write(ex, 200, json.asJson(response));
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static void refuseTooLarge(HttpExchange ex) throws IOException {
    write(ex, 413, "{\"error\":\"body larger than " + MAX_BODY_BYTES + " bytes\"}");
    ex.close();
  }

  private static void write(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static SSLContext tls(Path cert, Path key, Path caCert) throws Exception {
    List<Certificate> chain = PemFiles.certificates(cert);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    char[] password = new char[0];
    keys.setKeyEntry(
        "server", PemFiles.privateKey(key), password, chain.toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    TrustManagerFactory tmf = null;
    if (caCert != null) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (Certificate c : PemFiles.certificates(caCert)) {
        trust.setCertificateEntry("ca" + i++, c);
      }
      tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
    return context;
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
