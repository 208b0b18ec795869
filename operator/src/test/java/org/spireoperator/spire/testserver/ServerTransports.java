package org.spireoperator.spire.testserver;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC servers the services are reachable on: always an in-process server (fixed name),
 * optionally a unix domain socket served by netty's epoll transport like the real server's admin
 * socket. Both can be stopped and started again on the same name and path. Thread-safe.
 */
final class ServerTransports {

  private static final Logger LOG = LoggerFactory.getLogger(ServerTransports.class);

  /** sockaddr_un.sun_path is 108 bytes on Linux, including the terminating NUL. */
  private static final int MAX_SOCKET_PATH = 107;

  private final String inProcessName;
  private final List<ServerServiceDefinition> services;
  private Path socket;
  private Server inProcess;
  private Server unix;
  private EventLoopGroup unixGroup;

  ServerTransports(
      String inProcessName, List<BindableService> services, RecordingInterceptor interceptor) {
    this.inProcessName = inProcessName;
    this.services =
        services.stream().map(s -> ServerInterceptors.intercept(s, interceptor)).toList();
  }

  String inProcessName() {
    return inProcessName;
  }

  synchronized Path socket() {
    return socket;
  }

  synchronized boolean isRunning() {
    return inProcess != null;
  }

  synchronized void start() {
    if (inProcess != null) {
      return;
    }
    var builder = InProcessServerBuilder.forName(inProcessName);
    services.forEach(builder::addService);
    inProcess = started(builder.build());
    if (socket != null) {
      startUnix();
    }
    LOG.info("SPIRE test server started in-process={} socket={}", inProcessName, socket);
  }

  synchronized void listenOnUnixSocket(Path path) {
    if (socket != null) {
      throw new IllegalStateException("already listening on unix socket " + socket);
    }
    String text = path.toAbsolutePath().toString();
    if (text.length() > MAX_SOCKET_PATH) {
      throw new IllegalArgumentException(
          "unix socket path is "
              + text.length()
              + " characters, more than the "
              + MAX_SOCKET_PATH
              + " Linux allows: "
              + text);
    }
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException(
          "unix domain sockets need netty's epoll transport: " + Epoll.unavailabilityCause());
    }
    socket = path.toAbsolutePath();
    if (inProcess != null) {
      startUnix();
      LOG.info("SPIRE test server listening socket={}", socket);
    }
  }

  /**
   * Stops both servers at once, failing calls in flight (UNAVAILABLE/CANCELLED for their callers).
   */
  synchronized void stop() {
    if (inProcess == null) {
      return;
    }
    shutdown(inProcess);
    inProcess = null;
    if (unix != null) {
      shutdown(unix);
      unix = null;
      unixGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      unixGroup = null;
      deleteSocketFile();
    }
    LOG.info("SPIRE test server stopped in-process={} socket={}", inProcessName, socket);
  }

  private void startUnix() {
    try {
      Files.createDirectories(socket.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory of unix socket " + socket, e);
    }
    deleteSocketFile();
    unixGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    var builder =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(unixGroup)
            .workerEventLoopGroup(unixGroup);
    services.forEach(builder::addService);
    unix = started(builder.build());
  }

  private void deleteSocketFile() {
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove stale unix socket " + socket, e);
    }
  }

  private static Server started(Server server) {
    try {
      return server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the SPIRE test server", e);
    }
  }

  private static void shutdown(Server server) {
    server.shutdownNow();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("SPIRE test server did not terminate within 5s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
