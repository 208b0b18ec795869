package org.spireoperator.bench.scenarios;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.bench.measure.Clock;
import org.spireoperator.reconcile.PassReport;
import org.spireoperator.spire.testserver.SpireTestServer;
import org.spireoperator.testing.OperatorFixture;

/**
 * RPCs per change with nothing real in the way: the operator's classes in this JVM against
 * fabric8's mock API server and the in-process SPIRE API test server (both from the operator's
 * test-jar), which logs every call. Counts calls for creating {@code pods} pods, one idle full
 * pass, deleting them all, and single-pod changes.
 */
public final class InProcessBench {

  private static final Logger LOG = LoggerFactory.getLogger(InProcessBench.class);

  /**
   * fabric8's mock web server logs every request through java.util.logging; kept referenced to stay
   * quiet.
   */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8");

  private static final String NS = "bench";

  /** One measured step: calls by method and the wall time until SPIRE held the result. */
  public record Step(String what, int changes, double seconds, Map<String, Integer> calls) {
    public int totalCalls() {
      return calls.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int writeCalls() {
      return calls.entrySet().stream()
          .filter(e -> e.getKey().startsWith("Batch"))
          .mapToInt(Map.Entry::getValue)
          .sum();
    }
  }

  private InProcessBench() {}

  public static List<Step> run(int pods, int nodes) {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    List<Step> steps = new ArrayList<>();
    try (OperatorFixture f = new OperatorFixture()) {
      f.start(OperatorFixture.defaults());
      await(f::loaded, "first full pass");
      SpireTestServer spire = f.spire();
      f.cluster().namespace(NS);

      spire.resetCalls();
      long t0 = Clock.now();
      for (int i = 0; i < nodes; i++) {
        f.cluster().node("node-" + i);
      }
      await(() -> spire.entries().size() >= nodes, "node entries");
      steps.add(step(spire, "create " + nodes + " nodes", nodes, t0));

      spire.resetCalls();
      t0 = Clock.now();
      for (int i = 0; i < pods; i++) {
        f.cluster().pod(NS, "pod-" + i, "node-" + (i % nodes), "sa-" + (i % 10));
      }
      await(() -> spire.entries().size() >= nodes + pods, "pod entries");
      steps.add(step(spire, "create " + pods + " pods", pods, t0));

      spire.resetCalls();
      t0 = Clock.now();
      PassReport pass = f.operator().registrar().runPass();
      Step idle = step(spire, "idle full pass (" + pass.owned() + " owned entries)", 0, t0);
      steps.add(idle);

      spire.resetCalls();
      t0 = Clock.now();
      f.cluster().pod(NS, "single", "node-0", "sa-0");
      await(() -> spire.entries().size() >= nodes + pods + 1, "single pod entry");
      steps.add(step(spire, "create 1 pod", 1, t0));

      spire.resetCalls();
      t0 = Clock.now();
      f.cluster().deletePod(NS, "single");
      await(() -> spire.entries().size() <= nodes + pods, "single pod entry gone");
      steps.add(step(spire, "delete 1 pod", 1, t0));

      spire.resetCalls();
      t0 = Clock.now();
      for (int i = 0; i < pods; i++) {
        f.cluster().deletePod(NS, "pod-" + i);
      }
      await(() -> spire.entries().size() <= nodes, "pod entries gone");
      steps.add(step(spire, "delete " + pods + " pods", pods, t0));
    }
    return steps;
  }

  private static Step step(SpireTestServer spire, String what, int changes, long t0) {
    double seconds = Clock.secondsSince(t0);
    Clock.sleep(Duration.ofMillis(300));
    Map<String, Integer> calls = new TreeMap<>();
    spire.calls().forEach(c -> calls.merge(c.method(), 1, Integer::sum));
    Step s = new Step(what, changes, seconds, Map.copyOf(calls));
    LOG.atInfo()
        .addKeyValue("step", what)
        .addKeyValue("calls", calls)
        .addKeyValue("s", String.format("%.2f", seconds))
        .log("in-process");
    return s;
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = Clock.now() + Duration.ofMinutes(3).toNanos();
    while (!condition.getAsBoolean()) {
      if (Clock.now() > deadline) {
        throw new IllegalStateException("in-process benchmark: no " + what + " within 3 minutes");
      }
      Clock.sleep(Duration.ofMillis(20));
    }
  }
}
