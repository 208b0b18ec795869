package org.spireoperator.bench.contenders;

import java.time.Duration;
import java.util.Optional;
import org.spireoperator.bench.load.NodeRef;
import org.spireoperator.spire.SpiffeId;

/** A registrar measured by the benchmark: this operator or a peer. */
public interface Contender {

  String name();

  /** Version (and build) as reported in the results. */
  String version();

  /** Why it cannot run here, if it cannot. */
  Optional<String> unavailable();

  /** True if it writes one entry per Node besides one per Pod. */
  boolean writesNodeEntries();

  /** The parent ID of the entries of pods on {@code node}. */
  SpiffeId podParent(NodeRef node, String trustDomain, String cluster);

  /** Starts it; returns once the process runs (not necessarily ready). */
  RunningContender start(Launch launch) throws Exception;

  /** How long to watch it when nothing changes, if it has no pass counter to wait on. */
  Duration idleWindow();

  /** Its periodic resync, as configured for the restart phase, in words. */
  String resyncNote(Duration configured);

  /** Entries it should hold for {@code pods} pods on {@code nodes} nodes. */
  default long expectedEntries(long pods, long nodes) {
    return pods + (writesNodeEntries() ? nodes : 0);
  }
}
