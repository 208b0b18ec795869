package org.spireoperator.bench.servers;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.HandlerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A transparent gRPC proxy on a unix socket in front of the SPIRE server's admin socket, counting
 * every call by method and status code. Every contender (this operator, the raw client, the Go
 * peers) reaches SPIRE only through it, so their RPCs are counted the same way whatever metrics
 * they expose. Messages are relayed as opaque bytes, one at a time, with flow control on both
 * sides.
 */
public final class CountingProxy implements AutoCloseable {

  /** Calls of one method with one status code, and their summed duration as seen by the proxy. */
  public record Tally(long calls, long nanos) {
    Tally plus(Tally o) {
      return new Tally(calls + o.calls, nanos + o.nanos);
    }

    Tally minus(Tally o) {
      return new Tally(calls - o.calls, nanos - o.nanos);
    }
  }

  /** A snapshot of the counters: {@code method -> code -> tally}. */
  public record Counts(Map<String, Map<String, Tally>> byMethod) {

    public Counts {
      Map<String, Map<String, Tally>> copy = new TreeMap<>();
      byMethod.forEach((m, codes) -> copy.put(m, Map.copyOf(new TreeMap<>(codes))));
      byMethod = Map.copyOf(copy);
    }

    /** Calls of {@code method}, any code. */
    public long calls(String method) {
      return byMethod.getOrDefault(method, Map.of()).values().stream()
          .mapToLong(Tally::calls)
          .sum();
    }

    public long totalCalls() {
      return byMethod.keySet().stream().mapToLong(this::calls).sum();
    }

    /** Summed proxy-observed duration of {@code method}'s calls, in milliseconds. */
    public double millis(String method) {
      return byMethod.getOrDefault(method, Map.of()).values().stream().mapToLong(Tally::nanos).sum()
          / 1e6;
    }

    /** Calls that did not end OK, any method. */
    public long failedCalls() {
      return byMethod.values().stream()
          .flatMap(c -> c.entrySet().stream())
          .filter(e -> !e.getKey().equals("OK"))
          .mapToLong(e -> e.getValue().calls())
          .sum();
    }

    /** Calls of BatchCreateEntry, BatchUpdateEntry and BatchDeleteEntry. */
    public long writeCalls() {
      return calls("BatchCreateEntry") + calls("BatchUpdateEntry") + calls("BatchDeleteEntry");
    }

    /** What happened between {@code earlier} and this snapshot. */
    public Counts since(Counts earlier) {
      Map<String, Map<String, Tally>> out = new TreeMap<>();
      byMethod.forEach(
          (m, codes) ->
              codes.forEach(
                  (code, t) -> {
                    Tally before =
                        earlier
                            .byMethod
                            .getOrDefault(m, Map.of())
                            .getOrDefault(code, new Tally(0, 0));
                    Tally d = t.minus(before);
                    if (d.calls() != 0) {
                      out.computeIfAbsent(m, k -> new TreeMap<>()).put(code, d);
                    }
                  }));
      return new Counts(out);
    }

    /** {@code Method ×n (avg ms)} for each method, codes other than OK in brackets. */
    public String describe() {
      if (byMethod.isEmpty()) {
        return "none";
      }
      StringBuilder b = new StringBuilder();
      byMethod.forEach(
          (m, codes) -> {
            if (b.length() > 0) {
              b.append(", ");
            }
            b.append(m)
                .append(" ×")
                .append(calls(m))
                .append(
                    String.format(
                        java.util.Locale.ROOT,
                        " (%.0f ms avg)",
                        millis(m) / Math.max(1, calls(m))));
            codes.forEach(
                (code, t) -> {
                  if (!code.equals("OK")) {
                    b.append(" (").append(code).append(" ×").append(t.calls()).append(')');
                  }
                });
          });
      return b.toString();
    }
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  /**
   * Sees every answer the server sends back through the proxy (called on a gRPC thread: keep it
   * short).
   */
  @FunctionalInterface
  public interface Tap {
    void answered(String method, byte[] response, long atNanos);
  }

  private static final Tap NO_TAP = (m, r, t) -> {};

  /**
   * One finished call of {@code method}: from the proxy receiving it to its last answer; for
   * ListEntries, how many entries it answered with and how many of them the contender did not
   * create through this proxy (0 for other methods).
   */
  public record Timing(String method, long startNanos, long endNanos, int entries, int notOwn) {}

  private final java.util.concurrent.ConcurrentLinkedQueue<Timing> timings =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private volatile String timedMethod;

  /**
   * Reads the answers of timed calls off the relay's threads, so that counting what a listing read
   * does not slow the listing down.
   */
  private final java.util.concurrent.ExecutorService answerReader =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "proxy-answer-reader");
            t.setDaemon(true);
            return t;
          });

  /** When the first BatchCreateEntry call since the last {@link #watchFirstCreate} arrived. */
  private final java.util.concurrent.atomic.AtomicLong firstCreate =
      new java.util.concurrent.atomic.AtomicLong();

  /** IDs of the entries created through this proxy: the contender's own. */
  private final Set<String> created = ConcurrentHashMap.newKeySet();

  private final Map<String, Map<String, LongAdder[]>> counters = new ConcurrentHashMap<>();
  private volatile Tap tap = NO_TAP;
  private final LongAdder netCreated = new LongAdder();
  private final EpollEventLoopGroup group;
  private final ManagedChannel backend;
  private final Server server;
  private final Path socket;

  private CountingProxy(Path socket, Path target) throws IOException {
    this.socket = socket;
    this.group = new EpollEventLoopGroup(2);
    this.backend =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(target.toString()))
            .eventLoopGroup(group)
            .channelType(EpollDomainSocketChannel.class)
            .usePlaintext()
            .overrideAuthority("localhost")
            .maxInboundMessageSize(64 << 20)
            .build();
    Files.deleteIfExists(socket);
    this.server =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(group)
            .workerEventLoopGroup(group)
            .maxInboundMessageSize(64 << 20)
            .fallbackHandlerRegistry(new Registry())
            .build()
            .start();
  }

  /** Listens on {@code socket}, forwarding to the server listening on {@code target}. */
  public static CountingProxy start(Path socket, Path target) {
    try {
      return new CountingProxy(socket, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + socket, e);
    }
  }

  public Path socket() {
    return socket;
  }

  /**
   * Records the start and end of every call of {@code method} from now on (null stops recording);
   * {@link #takeTimings} hands them over.
   */
  public void recordTimings(String method) {
    timedMethod = method;
  }

  /** The calls recorded since the last take, in the order they ended. */
  public java.util.List<Timing> takeTimings() {
    try {
      answerReader.submit(() -> {}).get(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the proxy's answer reader is stuck", e);
    }
    java.util.List<Timing> out = new java.util.ArrayList<>();
    for (Timing t = timings.poll(); t != null; t = timings.poll()) {
      out.add(t);
    }
    return out;
  }

  /** Forgets when the first BatchCreateEntry call arrived, to note the next one's arrival. */
  public void watchFirstCreate() {
    firstCreate.set(0);
  }

  /**
   * {@link System#nanoTime} of the first BatchCreateEntry call's arrival since {@link
   * #watchFirstCreate}, or empty if none came.
   */
  public java.util.OptionalLong firstCreateNanos() {
    long at = firstCreate.get();
    return at == 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(at);
  }

  /** Installs {@code t} (null removes it). */
  public void tap(Tap t) {
    tap = t == null ? NO_TAP : t;
  }

  public Counts snapshot() {
    Map<String, Map<String, Tally>> out = new TreeMap<>();
    counters.forEach(
        (m, codes) ->
            codes.forEach(
                (code, a) ->
                    out.computeIfAbsent(m, k -> new TreeMap<>())
                        .put(code, new Tally(a[0].sum(), a[1].sum()))));
    return new Counts(out);
  }

  /**
   * Entries created minus entries deleted by the calls that passed this proxy (successful items of
   * {@code BatchCreateEntry} and {@code BatchDeleteEntry} answers): what the contender has written,
   * without asking the server (whose {@code CountEntries} lists every entry).
   */
  public long netCreatedEntries() {
    return netCreated.sum();
  }

  private void tallyEntries(String method, byte[] message) {
    try {
      if (method.equals("BatchCreateEntry")) {
        for (var r :
            spire.api.server.entry.v1.BatchCreateEntryResponse.parseFrom(message)
                .getResultsList()) {
          if (r.getStatus().getCode() == 0 && r.hasEntry()) {
            netCreated.increment();
            created.add(r.getEntry().getId());
          }
        }
      } else if (method.equals("BatchDeleteEntry")) {
        for (var r :
            spire.api.server.entry.v1.BatchDeleteEntryResponse.parseFrom(message)
                .getResultsList()) {
          if (r.getStatus().getCode() == 0) {
            netCreated.decrement();
          }
        }
      }
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      // not an answer of that method's type: nothing to tally
    }
  }

  /** Records a timed call, counting the entries its answer listed (read off the relay thread). */
  private void time(String method, long start, long end, byte[] answer) {
    if (answer == null || !method.equals("ListEntries")) {
      timings.add(new Timing(method, start, end, 0, 0));
      return;
    }
    answerReader.execute(
        () -> {
          int entries = 0;
          int notOwn = 0;
          try {
            for (var e :
                spire.api.server.entry.v1.ListEntriesResponse.parseFrom(answer).getEntriesList()) {
              entries++;
              if (!created.contains(e.getId())) {
                notOwn++;
              }
            }
          } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            // not a ListEntries answer: nothing to count
          }
          timings.add(new Timing(method, start, end, entries, notOwn));
        });
  }

  private void count(String method, Status.Code code, long nanos) {
    LongAdder[] a =
        counters
            .computeIfAbsent(method, k -> new ConcurrentHashMap<>())
            .computeIfAbsent(code.name(), k -> new LongAdder[] {new LongAdder(), new LongAdder()});
    a[0].increment();
    a[1].add(nanos);
  }

  private final class Registry extends HandlerRegistry {
    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String fullMethodName, String authority) {
      MethodDescriptor<byte[], byte[]> descriptor =
          MethodDescriptor.<byte[], byte[]>newBuilder()
              .setType(MethodDescriptor.MethodType.UNKNOWN)
              .setFullMethodName(fullMethodName)
              .setRequestMarshaller(BYTES)
              .setResponseMarshaller(BYTES)
              .build();
      return ServerMethodDefinition.create(descriptor, new Relay(descriptor));
    }
  }

  /** Relays one call: client-to-proxy messages to the server, the server's answers back. */
  private final class Relay implements ServerCallHandler<byte[], byte[]> {
    private final MethodDescriptor<byte[], byte[]> descriptor;
    private final String method;

    Relay(MethodDescriptor<byte[], byte[]> descriptor) {
      this.descriptor = descriptor;
      String full = descriptor.getFullMethodName();
      this.method = full.substring(full.lastIndexOf('/') + 1);
    }

    @Override
    public ServerCall.Listener<byte[]> startCall(
        ServerCall<byte[], byte[]> serverCall, Metadata headers) {
      long start = System.nanoTime();
      if (method.equals("BatchCreateEntry")) {
        firstCreate.compareAndSet(0, start);
      }
      ClientCall<byte[], byte[]> clientCall = backend.newCall(descriptor, CallOptions.DEFAULT);
      clientCall.start(
          new ClientCall.Listener<>() {
            private byte[] answer;

            @Override
            public void onHeaders(Metadata h) {
              serverCall.sendHeaders(h);
            }

            @Override
            public void onMessage(byte[] message) {
              tallyEntries(method, message);
              answer = message;
              tap.answered(method, message, System.nanoTime());
              serverCall.sendMessage(message);
              clientCall.request(1);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
              long end = System.nanoTime();
              count(method, status.getCode(), end - start);
              if (method.equals(timedMethod)) {
                time(method, start, end, status.isOk() ? answer : null);
              }
              serverCall.close(status, trailers);
            }
          },
          headers);
      clientCall.request(1);
      serverCall.request(1);
      return new ServerCall.Listener<>() {
        @Override
        public void onMessage(byte[] message) {
          clientCall.sendMessage(message);
          serverCall.request(1);
        }

        @Override
        public void onHalfClose() {
          clientCall.halfClose();
        }

        @Override
        public void onCancel() {
          clientCall.cancel("client cancelled", null);
        }
      };
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
    backend.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
      backend.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    answerReader.shutdownNow();
  }
}
