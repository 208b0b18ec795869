package org.spireoperator.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback TCP port that forwards every connection, byte for byte, to a target that may move. The
 * operator's kubeconfig names this port, so it keeps one API server address while kube-apiserver
 * restarts on another port (scripts/kube-apiserver.sh picks new ports on every start). TLS passes
 * through untouched (the API server's certificate is for 127.0.0.1).
 */
public final class TcpForwarder implements AutoCloseable {

  private final ServerSocket server;
  private final AtomicReference<InetSocketAddress> target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  public TcpForwarder(InetSocketAddress initialTarget) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.target = new AtomicReference<>(initialTarget);
    this.acceptor = new Thread(this::acceptLoop, "tcp-forwarder-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Sends new connections to {@code newTarget} and drops the ones to the old target. */
  public void retarget(InetSocketAddress newTarget) {
    target.set(newTarget);
    dropConnections();
  }

  /**
   * Closes every forwarded connection (clients see the connection drop, as when the server dies).
   */
  public void dropConnections() {
    open.forEach(TcpForwarder::closeQuietly);
    open.clear();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        try {
          upstream.connect(target.get(), 5_000);
        } catch (IOException e) {
          closeQuietly(client);
          closeQuietly(upstream);
          continue;
        }
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // connection ended
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
              }
            },
            "tcp-forwarder-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    dropConnections();
  }
}
