package org.spireoperator.spire;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An in-process SPIRE server API (Entry, Agent, Bundle) that follows the real server's semantics closely enough for
 * fast tests and benchmarks: validation, "similar entry" ALREADY_EXISTS, NOT_FOUND, filters, paging (a page with
 * entries always carries a next token), masks, revision numbers; plus fault injection and a log of every call.
 * Served in-process ({@link #inProcess}) or on a real unix domain socket ({@link #onUnixSocket}).
 */
public final class SpireTestServer implements AutoCloseable {

  /** One recorded RPC. */
  public record Call(String method, Object request, long atNanos) {
  }

  private static final List<String> WRITES = List.of("BatchCreateEntry", "BatchUpdateEntry", "BatchDeleteEntry");

  private final TestEntryStore store;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicReference<Status.Code> failureCode = new AtomicReference<>(Status.Code.UNAVAILABLE);
  private final AtomicReference<String> failureMethod = new AtomicReference<>();
  private final AtomicLong latencyMillis = new AtomicLong();
  private final Server server;
  private final String name;
  private final EpollEventLoopGroup group;
  private final Path socket;

  private SpireTestServer(String trustDomain, Path socket) throws IOException {
    this.store = new TestEntryStore(trustDomain);
    this.socket = socket;
    this.name = "spire-test-" + UUID.randomUUID();
    var services = List.of(
        ServerInterceptors.intercept(new TestEntryService(store), interceptor()),
        ServerInterceptors.intercept(new TestAgentService(store), interceptor()),
        ServerInterceptors.intercept(new TestBundleService(store), interceptor()));
    if (socket == null) {
      var b = InProcessServerBuilder.forName(name).directExecutor();
      services.forEach(b::addService);
      this.group = null;
      this.server = b.build().start();
    } else {
      this.group = new EpollEventLoopGroup(2);
      var b = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
          .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(group).workerEventLoopGroup(group);
      services.forEach(b::addService);
      this.server = b.build().start();
    }
  }

  /** A server reachable through {@link #channel()}. */
  public static SpireTestServer inProcess(String trustDomain) {
    try {
      return new SpireTestServer(trustDomain, null);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A server listening on a unix domain socket, as the real one does. */
  public static SpireTestServer onUnixSocket(String trustDomain, Path socket) throws IOException {
    return new SpireTestServer(trustDomain, socket);
  }

  /** An in-process channel (only for {@link #inProcess} servers). */
  public ManagedChannel channel() {
    return InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  public Path socket() {
    return socket;
  }

  // ------------------------------------------------------------------ test API: state

  /** Stores an entry as is (no validation); a null ID gets a new one. Returns the stored entry. */
  public Entry put(Entry entry) {
    return store.put(entry);
  }

  public List<Entry> entries() {
    return store.entries();
  }

  public void remove(String id) {
    store.remove(id);
  }

  public void addAgent(Agent agent) {
    store.addAgent(agent);
  }

  public void removeAgent(SpiffeId id) {
    store.removeAgent(id);
  }

  public void addFederatedBundle(String trustDomain) {
    store.addFederatedBundle(trustDomain);
  }

  // ------------------------------------------------------------------ test API: calls and faults

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  public List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  /** BatchCreateEntry, BatchUpdateEntry and BatchDeleteEntry calls. */
  public List<Call> writeCalls() {
    return calls.stream().filter(c -> WRITES.contains(c.method())).toList();
  }

  public void resetCalls() {
    calls.clear();
  }

  /** The next {@code n} calls fail with {@code code}. */
  public void failNext(int n, Status.Code code) {
    failNext(n, code, null);
  }

  /** The next {@code n} calls of {@code method} (null: any) fail with {@code code}. */
  public void failNext(int n, Status.Code code, String method) {
    failureCode.set(code);
    failureMethod.set(method);
    failuresLeft.set(n);
  }

  /** Adds latency to every call. */
  public void latency(Duration d) {
    latencyMillis.set(d.toMillis());
  }

  private ServerInterceptor interceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        ServerCall.Listener<Q> delegate = next.startCall(call, headers);
        return new io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
          private boolean failed;

          @Override
          public void onMessage(Q message) {
            calls.add(new Call(method, message, System.nanoTime()));
            long delay = latencyMillis.get();
            if (delay > 0) {
              try {
                Thread.sleep(delay);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            String only = failureMethod.get();
            if ((only == null || only.equals(method)) && failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
              failed = true;
              call.close(Status.fromCode(failureCode.get()).withDescription("injected fault"), new Metadata());
              return;
            }
            super.onMessage(message);
          }

          @Override
          public void onHalfClose() {
            if (!failed) {
              super.onHalfClose();
            }
          }
        };
      }
    };
  }

  /** Stops serving; callers see UNAVAILABLE. */
  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

}
