package org.spireoperator.spire;

import io.grpc.Status;
import java.time.Duration;

/** Hears about every RPC attempt: method, outcome code and latency (for metrics). */
public interface SpireCallObserver {

  void called(String method, Status.Code code, Duration latency);

  SpireCallObserver NONE = (method, code, latency) -> {};
}
