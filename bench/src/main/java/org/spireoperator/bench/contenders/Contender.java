package org.spireoperator.bench.contenders;

import java.time.Duration;
import java.util.Optional;
import org.spireoperator.bench.scenarios.EntryShape;

/** A registrar measured by the benchmark: this operator or a peer. */
public interface Contender {

  String name();

  /** Version (and build) as reported in the results. */
  String version();

  /** Why it cannot run here, if it cannot. */
  Optional<String> unavailable();

  /** The entries it writes (the raw baseline it is compared with writes the same). */
  EntryShape shape();

  /** True if it writes one entry per Node besides one per Pod. */
  default boolean writesNodeEntries() {
    return shape().nodeEntries();
  }

  /** Starts it; returns once the process runs (not necessarily ready). */
  RunningContender start(Launch launch) throws Exception;

  /** How long to watch it when nothing changes, if it has no pass counter to wait on. */
  Duration idleWindow();

  /** Its periodic resync, as configured for the idle phase, in words. */
  String resyncNote(Duration configured);

  /** Entries it should hold for {@code pods} pods on {@code nodes} nodes. */
  default long expectedEntries(long pods, long nodes) {
    return pods + (writesNodeEntries() ? nodes : 0);
  }
}
