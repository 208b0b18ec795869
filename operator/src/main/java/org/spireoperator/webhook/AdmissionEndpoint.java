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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.registration.PodKey;

/**
 * An HTTPS endpoint for ValidatingAdmissionWebhook reviews (TLS from PEM files, client certificates
 * verified against a CA unless disabled), answering each review with a {@link Decider}. Two
 * deciders exist: {@link #podHint} for upstream's webhook mode (always allows; hands the pod to the
 * reconcile engine at once) and the SpiffeID tenant rules ({@link SpiffeIdAdmission}).
 */
public final class AdmissionEndpoint implements AutoCloseable {

  /** Decides one admission request: null to allow, else the message to deny with. */
  public interface Decider {
    String deny(io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest request);
  }

  /**
   * Upstream's webhook mode, kept for migration: ALWAYS allows (it must never block pod admission;
   * deploy it with {@code failurePolicy: Ignore}) and only hands the pod to the reconcile engine at
   * once, ahead of the informer.
   */
  public static Decider podHint(Consumer<PodKey> admitted, ExecutorService lane) {
    return request -> {
      if (request.getKind() != null
          && "Pod".equals(request.getKind().getKind())
          && request.getName() != null
          && request.getNamespace() != null) {
        PodKey pod = new PodKey(request.getNamespace(), request.getName());
        lane.execute(
            () -> {
              try {
                admitted.accept(pod);
              } catch (RuntimeException e) {
                log.atDebug()
                    .addKeyValue("pod", pod.toString())
                    .log("early reconcile deferred: " + e.getMessage());
              }
            });
      }
      return null;
    };
  }

  private static final Logger log = LoggerFactory.getLogger(AdmissionEndpoint.class);

  private final HttpsServer server;
  private final ExecutorService priorityLane =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "admission-priority");
            t.setDaemon(true);
            return t;
          });
  private final KubernetesSerialization json = new KubernetesSerialization();

  /**
   * Webhook mode's endpoint for Pods.
   *
   * @param verifyClients require a client certificate signed by {@code caCert} (upstream's default)
   * @param admitted receives each admitted pod (typically {@code registrar::reconcilePod})
   */
  public AdmissionEndpoint(
      InetSocketAddress address,
      Path cert,
      Path key,
      Path caCert,
      boolean verifyClients,
      Consumer<PodKey> admitted)
      throws Exception {
    this(address, cert, key, caCert, verifyClients, null, admitted);
  }

  /** An endpoint answering with {@code decider}. */
  public AdmissionEndpoint(
      InetSocketAddress address,
      Path cert,
      Path key,
      Path caCert,
      boolean verifyClients,
      Decider decider)
      throws Exception {
    this(address, cert, key, caCert, verifyClients, decider, null);
  }

  private AdmissionEndpoint(
      InetSocketAddress address,
      Path cert,
      Path key,
      Path caCert,
      boolean verifyClients,
      Decider decider,
      Consumer<PodKey> admitted)
      throws Exception {
    Decider effective = decider != null ? decider : podHint(admitted, priorityLane);
    SSLContext tls = tls(cert, key, verifyClients ? caCert : null);
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
    server.createContext("/", ex -> handle(ex, effective));
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    log.atInfo()
        .addKeyValue("addr", address.toString())
        .addKeyValue("verifyClients", verifyClients)
        .log("admission endpoint listening (never blocks pods)");
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex, Decider decider) throws IOException {
    AdmissionReview review;
    try (InputStream in = ex.getRequestBody()) {
      review =
          json.unmarshal(
              new String(in.readAllBytes(), StandardCharsets.UTF_8), AdmissionReview.class);
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
    priorityLane.shutdownNow();
  }
}
