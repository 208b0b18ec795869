package org.spireoperator.bench.contenders;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.spireoperator.testing.Metrics;

/** A started contender process. */
public interface RunningContender extends AutoCloseable {

  long pid();

  /** Its log file. */
  Path log();

  /**
   * Waits until it says it is ready (or, without a readiness signal, until it has had time to
   * start).
   */
  void awaitReady(Duration timeout);

  /** A scrape of its own metrics, if it has the ones the benchmark reads (this operator). */
  Optional<Metrics> metrics();

  /** Its {@code -Xlog:gc} file, for a JVM. */
  Optional<Path> gcLog();

  /** True for a JVM (heap figures through jcmd). */
  boolean isJvm();

  boolean isAlive();

  /** SIGTERM, then SIGKILL after a grace period. */
  void stop();

  @Override
  default void close() {
    stop();
  }
}
