package org.spireoperator.observe;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.spireoperator.reconcile.EngineEvents;
import org.spireoperator.reconcile.PassReport;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.SpireCallObserver;

/** The operator's Prometheus metrics (names in README). */
public final class RegistrarMetrics implements EngineEvents, SpireCallObserver {

  private final MeterRegistry registry;
  private final AtomicInteger leader = new AtomicInteger();
  private final AtomicInteger desired = new AtomicInteger();

  /**
   * Metrics into {@code registry}, which also gets the filter that keeps JOSDK's meters of every
   * kind in a Prometheus scrape ({@link OperatorSdkTagKeys}; before any meter is registered).
   */
  public RegistrarMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.config().meterFilter(new OperatorSdkTagKeys());
    Gauge.builder("spire_registrar_leader", leader, AtomicInteger::get)
        .description("1 while this replica leads and writes to SPIRE")
        .register(registry);
    Gauge.builder("spire_registrar_entries_desired", desired, AtomicInteger::get)
        .description("Entries the cluster wants, at the last full pass")
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void setLeader(boolean leading) {
    leader.set(leading ? 1 : 0);
  }

  /** Registers gauges read from live state. */
  public void gauge(String name, String description, Supplier<Number> value, String... tags) {
    Gauge.builder(name, value).description(description).tags(tags).register(registry);
  }

  /** Times one reconcile of a kind of object. */
  public void timeReconcile(String kind, Runnable reconcile) {
    Timer.builder("spire_registrar_reconcile_seconds")
        .description("Time to reconcile one object")
        .tag("kind", kind)
        .publishPercentileHistogram()
        .register(registry)
        .record(reconcile);
  }

  @Override
  public void called(String method, Status.Code code, Duration latency) {
    Timer.builder("spire_registrar_spire_rpc_seconds")
        .description("SPIRE server API calls by method and code")
        .tag("method", method)
        .tag("code", code.name())
        .publishPercentileHistogram()
        .register(registry)
        .record(latency);
  }

  @Override
  public void wrote(Subject subject, int created, int updated, int deleted) {
    String kind = subject.kind();
    count("created", kind, created);
    count("updated", kind, updated);
    count("deleted", kind, deleted);
  }

  private void count(String op, String kind, int n) {
    if (n > 0) {
      Counter.builder("spire_registrar_entries_written_total")
          .description("Entries written to SPIRE")
          .tag("op", op)
          .tag("kind", kind)
          .register(registry)
          .increment(n);
    }
  }

  @Override
  public void rejected(Subject subject) {
    Counter.builder("spire_registrar_rejected_total")
        .description("Objects whose input was invalid")
        .tag("kind", subject.kind())
        .register(registry)
        .increment();
  }

  @Override
  public void writeFailed(Subject subject) {
    Counter.builder("spire_registrar_write_failures_total")
        .description("Writes SPIRE refused")
        .tag("kind", subject.kind())
        .register(registry)
        .increment();
  }

  @Override
  public void passCompleted(PassReport report) {
    desired.set(report.desired());
    Timer.builder("spire_registrar_full_pass_seconds")
        .description("Duration of full passes")
        .register(registry)
        .record(report.took());
    Counter.builder("spire_registrar_full_pass_queued_total")
        .description("Subjects full passes found out of line and queued for writing")
        .register(registry)
        .increment(report.queued());
  }
}
