package org.spireoperator.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz} (the process works), {@code /readyz} (caches synced and SPIRE reachable) and
 * {@code /metrics} (Prometheus), on one or two addresses. An address of {@code 0} or empty disables
 * that listener.
 */
public final class HttpEndpoints implements AutoCloseable {

  private final List<HttpServer> servers = new ArrayList<>();

  public HttpEndpoints(
      String healthAddr,
      String metricsAddr,
      BooleanSupplier live,
      BooleanSupplier ready,
      PrometheusMeterRegistry prometheus)
      throws IOException {
    InetSocketAddress health = parse(healthAddr);
    InetSocketAddress metrics = parse(metricsAddr);
    HttpServer healthServer = health == null ? null : start(health);
    if (healthServer != null) {
      healthServer.createContext(
          "/healthz", ex -> respond(ex, live.getAsBoolean(), "ok", "not live"));
      healthServer.createContext(
          "/readyz", ex -> respond(ex, ready.getAsBoolean(), "ready", "not ready"));
    }
    if (metrics != null) {
      HttpServer metricsServer =
          healthServer != null && metrics.equals(health) ? healthServer : start(metrics);
      metricsServer.createContext(
          "/metrics",
          ex -> write(ex, 200, prometheus.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
    }
  }

  /**
   * Parses {@code :8080}, {@code 0.0.0.0:8080} or {@code host:port}; {@code 0} or empty disables.
   */
  public static InetSocketAddress parse(String addr) {
    if (addr == null || addr.isBlank() || addr.equals("0")) {
      return null;
    }
    int colon = addr.lastIndexOf(':');
    String host = colon <= 0 ? "0.0.0.0" : addr.substring(0, colon);
    int port = Integer.parseInt(addr.substring(colon + 1));
    return new InetSocketAddress(host, port);
  }

  private HttpServer start(InetSocketAddress address) throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "http-endpoints");
              t.setDaemon(true);
              return t;
            }));
    server.start();
    servers.add(server);
    return server;
  }

  /** The port a listener actually bound (useful with port 0 in tests). */
  public int port(int index) {
    return servers.get(index).getAddress().getPort();
  }

  private static void respond(HttpExchange ex, boolean ok, String yes, String no)
      throws IOException {
    write(ex, ok ? 200 : 503, ok ? yes : no, "text/plain; charset=utf-8");
  }

  private static void write(HttpExchange ex, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    servers.forEach(s -> s.stop(0));
  }
}
