package org.spireoperator.spire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import io.spiffe.workloadapi.grpc.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Over TCP the operator needs an X509-SVID from the SPIRE agent at {@code agent_socket_path}: it
 * waits for one, bounded, and otherwise fails with one line naming the socket and why (a fake agent
 * plays the Workload API here; the real one is in the end-to-end suite's TcpMtlsE2ETest).
 */
class AgentSvidWaitTest {

  private static final SpireAddress SERVER = new SpireAddress.Tcp("127.0.0.1", 8081);
  private static final Duration SHORT = Duration.ofMillis(300);

  private final Path dir = Files.createTempDirectory(Path.of("/tmp"), "agent");
  private final Path socket = dir.resolve("api.sock");
  private FakeAgent agent;

  AgentSvidWaitTest() throws IOException {}

  @AfterEach
  void cleanUp() throws IOException {
    if (agent != null) {
      agent.close();
    }
    Files.deleteIfExists(socket);
    Files.deleteIfExists(dir);
  }

  @Test
  void withNothingAtAgentSocketPathOpeningFailsWithOneLineNamingIt() {
    assertThatThrownBy(() -> SpireChannels.open(SERVER, socket, "example.org", SHORT))
        .isInstanceOf(SpireChannels.AgentUnavailableException.class)
        .hasMessageStartingWith(
            "agent_socket_path "
                + socket
                + ": no X509-SVID from the SPIRE agent within 300ms: "
                + "there is no socket at that path")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aRegularFileAtAgentSocketPathIsReportedAsNotASocket() throws IOException {
    Files.writeString(socket, "not a socket");

    assertThatThrownBy(() -> SpireChannels.open(SERVER, socket, "example.org", SHORT))
        .isInstanceOf(SpireChannels.AgentUnavailableException.class)
        .hasMessageEndingWith("that path is a regular file, not a unix socket");
  }

  @Test
  void anAgentThatIssuesNoIdentityIsReportedWithItsStatus() throws IOException {
    agent = FakeAgent.start(socket, out -> out.onError(noIdentity()));

    assertThatThrownBy(() -> SpireChannels.open(SERVER, socket, "example.org", SHORT))
        .isInstanceOf(SpireChannels.AgentUnavailableException.class)
        .hasMessageContaining("agent_socket_path " + socket + ": ")
        .hasMessageContaining("PERMISSION_DENIED: no identity issued")
        .hasMessageNotContaining("\n");
  }

  @Test
  void anSvidIssuedWhileWaitingEndsTheWait() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    agent =
        FakeAgent.start(
            socket,
            out -> {
              if (calls.incrementAndGet() < 3) {
                out.onError(noIdentity());
              } else {
                out.onNext(
                    Workload.X509SVIDResponse.newBuilder()
                        .addSvids(
                            Workload.X509SVID
                                .newBuilder()
                                .setSpiffeId("spiffe://example.org/spire-k8s-operator")
                                .setX509Svid(ByteString.copyFromUtf8("cert")))
                        .build());
              }
            });

    SpireChannels.awaitSvid(socket, Duration.ofSeconds(30));

    assertThat(calls)
        .as("two refusals, then the SVID (each request carried the security header)")
        .hasValue(3);
  }

  private static RuntimeException noIdentity() {
    return Status.PERMISSION_DENIED.withDescription("no identity issued").asRuntimeException();
  }

  /**
   * The Workload API's FetchX509SVID on a unix socket, refusing calls without the security header
   * like SPIRE.
   */
  private static final class FakeAgent implements AutoCloseable {

    private static final Metadata.Key<String> HEADER =
        Metadata.Key.of("workload.spiffe.io", Metadata.ASCII_STRING_MARSHALLER);

    private final Server server;
    private final EventLoopGroup group;

    private FakeAgent(Server server, EventLoopGroup group) {
      this.server = server;
      this.group = group;
    }

    static FakeAgent start(Path socket, Consumer<StreamObserver<Workload.X509SVIDResponse>> fetch)
        throws IOException {
      SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIImplBase api =
          new SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIImplBase() {
            @Override
            public void fetchX509SVID(
                Workload.X509SVIDRequest request,
                StreamObserver<Workload.X509SVIDResponse> responseObserver) {
              fetch.accept(responseObserver);
            }
          };
      ServerInterceptor securityHeader =
          new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
              if (!"true".equals(headers.get(HEADER))) {
                call.close(
                    Status.INVALID_ARGUMENT.withDescription("security header missing from request"),
                    new Metadata());
                return new ServerCall.Listener<>() {};
              }
              return next.startCall(call, headers);
            }
          };
      EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
      Server server =
          NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
              .channelType(EpollServerDomainSocketChannel.class)
              .bossEventLoopGroup(group)
              .workerEventLoopGroup(group)
              .addService(ServerInterceptors.intercept(api, securityHeader))
              .build()
              .start();
      return new FakeAgent(server, group);
    }

    @Override
    public void close() {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
