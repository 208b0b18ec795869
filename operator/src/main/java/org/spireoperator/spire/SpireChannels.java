package org.spireoperator.spire;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.spiffe.provider.SpiffeKeyManager;
import io.spiffe.provider.SpiffeTrustManager;
import io.spiffe.workloadapi.DefaultX509Source;
import io.spiffe.workloadapi.X509Source;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import io.spiffe.workloadapi.grpc.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens gRPC channels to the SPIRE server: plaintext over a unix domain socket (the socket's file
 * mode is the access control; every caller on it is admin), or TLS over TCP, authenticating with
 * the X509-SVID the local SPIRE agent hands out over the Workload API and expecting the server's ID
 * {@code spiffe://<td>/spire/server}.
 *
 * <p>Over TCP, {@link #open} first waits (bounded) until the agent at {@code agent_socket_path}
 * serves an X509-SVID, and otherwise fails with {@link AgentUnavailableException}, whose one-line
 * message names the socket and the last reason (no such socket, the agent's gRPC status such as
 * {@code PERMISSION_DENIED: no identity issued}). java-spiffe alone would block forever: its
 * X509Source retries the Workload API without limit and reports nothing.
 */
public final class SpireChannels {

  private static final Logger log = LoggerFactory.getLogger(SpireChannels.class);

  /** How long {@link #open} waits for the agent's first X509-SVID before it gives up. */
  public static final Duration DEFAULT_SVID_WAIT = Duration.ofSeconds(30);

  private static final Duration PROBE_DEADLINE = Duration.ofSeconds(5);
  private static final Duration FIRST_RETRY = Duration.ofMillis(200);
  private static final Duration MAX_RETRY = Duration.ofSeconds(5);
  private static final Metadata.Key<String> WORKLOAD_API_HEADER =
      Metadata.Key.of("workload.spiffe.io", Metadata.ASCII_STRING_MARSHALLER);

  private SpireChannels() {}

  /**
   * The SPIRE agent at {@code agent_socket_path} did not serve an X509-SVID in time. The message is
   * one line: the key, the socket, how long was waited, and the last reason.
   */
  public static final class AgentUnavailableException extends Exception {
    AgentUnavailableException(String message) {
      super(message);
    }
  }

  /** An open channel and whatever must be closed with it. */
  public record Connection(ManagedChannel channel, AutoCloseable resources)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      channel.shutdown();
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
      resources.close();
    }
  }

  /**
   * {@link #open(SpireAddress, Path, String, Duration)} waiting up to {@link #DEFAULT_SVID_WAIT}
   * for the SVID.
   */
  public static Connection open(SpireAddress address, Path agentSocket, String trustDomain)
      throws Exception {
    return open(address, agentSocket, trustDomain, DEFAULT_SVID_WAIT);
  }

  /**
   * @param agentSocket the SPIRE agent's Workload API socket, needed for TCP
   * @param trustDomain the trust domain, to authenticate the server over TCP
   * @param svidWait over TCP, how long to wait for the agent to serve an X509-SVID
   * @throws AgentUnavailableException over TCP, when the agent served no X509-SVID within {@code
   *     svidWait}
   */
  public static Connection open(
      SpireAddress address, Path agentSocket, String trustDomain, Duration svidWait)
      throws Exception {
    if (address instanceof SpireAddress.Unix unix) {
      return unix(unix.socket());
    }
    SpireAddress.Tcp tcp = (SpireAddress.Tcp) address;
    if (agentSocket == null) {
      throw new IllegalArgumentException(
          "connecting to the SPIRE server over TCP ("
              + tcp
              + ") needs agent_socket_path: the operator authenticates with an X509-SVID from the SPIRE agent");
    }
    awaitSvid(agentSocket, svidWait);
    X509Source source;
    try {
      // The agent just served an SVID: the source's first update comes at once. A zero timeout
      // would mean forever.
      source =
          DefaultX509Source.newSource(
              DefaultX509Source.X509SourceOptions.builder()
                  .spiffeSocketPath("unix:" + agentSocket)
                  .initTimeout(Duration.ofSeconds(Math.max(5, svidWait.toSeconds())))
                  .build());
    } catch (Exception e) {
      throw new AgentUnavailableException(
          "agent_socket_path "
              + agentSocket
              + ": the SPIRE agent served an "
              + "X509-SVID, but watching it over the Workload API failed: "
              + oneLine(rootMessage(e)));
    }
    io.spiffe.spiffeid.SpiffeId serverId =
        io.spiffe.spiffeid.SpiffeId.parse("spiffe://" + trustDomain + "/spire/server");
    try {
      var ssl =
          GrpcSslContexts.forClient()
              .keyManager(new SpiffeKeyManager(source))
              .trustManager(new SpiffeTrustManager(source, () -> Set.of(serverId)))
              .build();
      ManagedChannel channel =
          NettyChannelBuilder.forAddress(tcp.host(), tcp.port())
              .sslContext(ssl)
              .overrideAuthority("spire-server")
              .build();
      return new Connection(channel, source::close);
    } catch (Exception | Error e) {
      source.close();
      throw e;
    }
  }

  /**
   * Returns once the SPIRE agent at {@code agentSocket} serves at least one X509-SVID to this
   * process; retries (200 ms doubling to 5 s) until {@code wait} has passed, then throws with the
   * last reason.
   */
  static void awaitSvid(Path agentSocket, Duration wait)
      throws AgentUnavailableException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    Duration delay = FIRST_RETRY;
    String last = null;
    try (Connection agent = unix(agentSocket)) {
      SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIBlockingStub stub =
          SpiffeWorkloadAPIGrpc.newBlockingStub(agent.channel())
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(workloadApiHeaders()));
      while (true) {
        agent.channel().resetConnectBackoff();
        String problem = probe(stub, agentSocket);
        if (problem == null) {
          if (last != null) {
            log.atInfo()
                .addKeyValue("agentSocket", agentSocket.toString())
                .log("the SPIRE agent serves an X509-SVID");
          }
          return;
        }
        if (!problem.equals(last)) {
          log.atWarn()
              .addKeyValue("agentSocket", agentSocket.toString())
              .addKeyValue("reason", problem)
              .log("waiting for an X509-SVID from the SPIRE agent (agent_socket_path)");
        }
        last = problem;
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        Thread.sleep(Math.min(delay.toMillis(), Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
        delay = delay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay.multipliedBy(2);
      }
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      last = oneLine(rootMessage(e));
    }
    throw new AgentUnavailableException(
        "agent_socket_path "
            + agentSocket
            + ": no X509-SVID from the SPIRE agent "
            + "within "
            + describe(wait)
            + ": "
            + last);
  }

  /** Null when the agent serves an X509-SVID now; otherwise why not, in one line. */
  private static String probe(
      SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIBlockingStub stub, Path socket) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(socket, BasicFileAttributes.class);
    } catch (IOException e) {
      return "there is no socket at that path (is the SPIRE agent running, with its socket directory mounted "
          + "there?)";
    }
    if (!attributes.isOther()) {
      return "that path is a "
          + (attributes.isDirectory() ? "directory" : "regular file")
          + ", not a unix socket";
    }
    // A server stream: cancel it once the first message (or error) is in.
    Context.CancellableContext call = Context.current().withCancellation();
    try {
      return call.call(
          () -> {
            Iterator<Workload.X509SVIDResponse> responses =
                stub.withDeadlineAfter(PROBE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .fetchX509SVID(Workload.X509SVIDRequest.getDefaultInstance());
            if (!responses.hasNext()) {
              return "the agent closed the Workload API stream without an X509-SVID";
            }
            return responses.next().getSvidsCount() > 0
                ? null
                : "the agent answered with no X509-SVID";
          });
    } catch (StatusRuntimeException e) {
      return describe(e.getStatus());
    } catch (Exception e) {
      return oneLine(rootMessage(e));
    } finally {
      call.cancel(null);
    }
  }

  private static Metadata workloadApiHeaders() {
    Metadata headers = new Metadata();
    headers.put(WORKLOAD_API_HEADER, "true");
    return headers;
  }

  private static String describe(Status status) {
    StringBuilder b = new StringBuilder(status.getCode().toString());
    if (status.getDescription() != null && !status.getDescription().isBlank()) {
      b.append(": ").append(status.getDescription());
    }
    if (status.getCause() != null && status.getCause().getMessage() != null) {
      b.append(" (").append(rootMessage(status.getCause())).append(')');
    }
    if (status.getCode() == Status.Code.PERMISSION_DENIED) {
      b.append(
          " (is there a registration entry for the operator, parented to this agent, with selectors the "
              + "agent's workload attestor finds for this process?)");
    } else if (status.getCode() == Status.Code.UNAVAILABLE) {
      b.append(" (is the SPIRE agent running?)");
    }
    return oneLine(b.toString());
  }

  private static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }

  private static Connection unix(Path socket) {
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException(
          "unix domain sockets need netty's native epoll transport, which is not "
              + "available here: "
              + Epoll.unavailabilityCause());
    }
    EventLoopGroup group = new EpollEventLoopGroup(1);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .eventLoopGroup(group)
            .channelType(EpollDomainSocketChannel.class)
            .usePlaintext()
            .overrideAuthority("localhost")
            .build();
    return new Connection(channel, () -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS));
  }
}
