package org.spireoperator.spire.testserver;

import com.google.protobuf.Message;
import io.grpc.Context;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every call in the {@link CallLog} when its request arrives, then, before the service
 * handles it, runs due hooks, waits the injected latency (ending early if the call is cancelled,
 * e.g. by the caller's deadline) and fails it if a failure is planned.
 */
final class RecordingInterceptor implements ServerInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(RecordingInterceptor.class);

  private final CallLog log;
  private final FaultInjector faults;
  private final Clock clock;

  RecordingInterceptor(CallLog log, FaultInjector faults, Clock clock) {
    this.log = log;
    this.faults = faults;
    this.clock = clock;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(call, headers)) {
      private boolean recorded;

      @Override
      public void onMessage(Q message) {
        if (!recorded) {
          recorded = true;
          log.record(new RecordedCall(method, (Message) message, clock.instant()));
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        faults.takeHooks(method).forEach(Runnable::run);
        if (!waitLatency(faults.latency())) {
          return;
        }
        Optional<Status.Code> failure = faults.takeFailure(method);
        if (failure.isPresent()) {
          LOG.debug("injected failure method={} code={}", method, failure.get());
          call.close(
              Status.fromCode(failure.get()).withDescription("injected by SpireTestServer"),
              new Metadata());
          return;
        }
        super.onHalfClose();
      }
    };
  }

  /** False if the call was cancelled meanwhile. */
  private static boolean waitLatency(Duration latency) {
    if (latency.isZero() || latency.isNegative()) {
      return true;
    }
    Context context = Context.current();
    CountDownLatch cancelled = new CountDownLatch(1);
    Context.CancellationListener listener = c -> cancelled.countDown();
    context.addListener(listener, Runnable::run);
    try {
      return !cancelled.await(latency.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      context.removeListener(listener);
    }
  }
}
