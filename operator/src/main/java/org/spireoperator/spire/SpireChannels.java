package org.spireoperator.spire;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.spiffe.provider.SpiffeKeyManager;
import io.spiffe.provider.SpiffeTrustManager;
import io.spiffe.workloadapi.DefaultX509Source;
import io.spiffe.workloadapi.X509Source;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Opens gRPC channels to the SPIRE server: plaintext over a unix domain socket (the socket's file mode is the access
 * control; every caller on it is admin), or TLS over TCP, authenticating with the X509-SVID the local SPIRE agent
 * hands out over the Workload API and expecting the server's ID {@code spiffe://<td>/spire/server}.
 */
public final class SpireChannels {

  private SpireChannels() {
  }

  /** An open channel and whatever must be closed with it. */
  public record Connection(ManagedChannel channel, AutoCloseable resources) implements AutoCloseable {
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
   * @param agentSocket the SPIRE agent's Workload API socket, needed for TCP
   * @param trustDomain the trust domain, to authenticate the server over TCP
   */
  public static Connection open(SpireAddress address, Path agentSocket, String trustDomain) throws Exception {
    if (address instanceof SpireAddress.Unix unix) {
      return unix(unix.socket());
    }
    SpireAddress.Tcp tcp = (SpireAddress.Tcp) address;
    if (agentSocket == null) {
      throw new IllegalArgumentException("connecting to the SPIRE server over TCP (" + tcp
          + ") needs agent_socket_path: the operator authenticates with an X509-SVID from the SPIRE agent");
    }
    X509Source source = DefaultX509Source.newSource(DefaultX509Source.X509SourceOptions.builder()
        .spiffeSocketPath("unix:" + agentSocket)
        .build());
    io.spiffe.spiffeid.SpiffeId serverId = io.spiffe.spiffeid.SpiffeId.parse("spiffe://" + trustDomain
        + "/spire/server");
    var ssl = GrpcSslContexts.forClient()
        .keyManager(new SpiffeKeyManager(source))
        .trustManager(new SpiffeTrustManager(source, () -> Set.of(serverId)))
        .build();
    ManagedChannel channel = NettyChannelBuilder.forAddress(tcp.host(), tcp.port())
        .sslContext(ssl)
        .overrideAuthority("spire-server")
        .build();
    return new Connection(channel, source::close);
  }

  private static Connection unix(Path socket) {
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException("unix domain sockets need netty's native epoll transport, which is not "
          + "available here: " + Epoll.unavailabilityCause());
    }
    EventLoopGroup group = new EpollEventLoopGroup(1);
    ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
        .eventLoopGroup(group)
        .channelType(EpollDomainSocketChannel.class)
        .usePlaintext()
        .overrideAuthority("localhost")
        .build();
    return new Connection(channel, () -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS));
  }
}
