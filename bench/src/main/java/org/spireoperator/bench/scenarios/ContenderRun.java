package org.spireoperator.bench.scenarios;

import org.spireoperator.bench.measure.Percentiles;
import org.spireoperator.bench.servers.CountingProxy.Counts;

/**
 * Everything measured for one contender at one size; a phase that did not run is null. Doubles are
 * NaN where not measured.
 *
 * @param unavailable why it did not run at all (null if it ran)
 * @param failure what went wrong, phase by phase (null if every phase finished)
 * @param expected entries it should hold for the N pods and M nodes
 * @param check what a full listing at the end found (every pod has exactly one entry, or what is
 *     wrong)
 * @param profile the flight recording of the live phase, if one was made (null otherwise)
 */
public record ContenderRun(
    String contender,
    String version,
    Size size,
    String unavailable,
    String failure,
    long expected,
    Live live,
    Latency latency,
    Restart restart,
    Idle idle,
    Memory memory,
    String check,
    String profile) {

  /**
   * Empty SPIRE, contender running, objects created in bulk.
   *
   * @param createSeconds time to create the M nodes and N pods in the API server
   * @param convergeSeconds first create → SPIRE holds every expected entry (NaN if it never did)
   * @param count entries held at the end of the wait
   * @param rpcs RPCs from first create to convergence
   * @param cpuContender CPU seconds of the contender over that time (likewise for the servers)
   */
  public record Live(
      double createSeconds,
      double convergeSeconds,
      long count,
      Counts rpcs,
      double cpuContender,
      double cpuSpire,
      double cpuKube) {
    public boolean converged() {
      return !Double.isNaN(convergeSeconds);
    }
  }

  /** Pods created at a steady rate onto fresh nodes; {@code ms} pod-create → entry. */
  public record Latency(int pods, double rate, Percentiles ms, int missing, Counts rpcs) {}

  /**
   * The contender restarted with SPIRE emptied and every object still there (a fresh install on a
   * busy cluster).
   *
   * @param seconds process start → every entry back (NaN if never)
   */
  /**
   * @param cpuContender CPU seconds of the restarted process from its start to convergence
   * @param cpuSpire CPU seconds of spire-server (and its datastore) over the same time
   * @param cpuKube CPU seconds of kube-apiserver and etcd over the same time
   * @param firstCreateSeconds from the process's start to its first BatchCreateEntry call at the
   *     proxy (NaN if none): what the contender spends before writing
   */
  public record Restart(
      double seconds,
      long count,
      Counts rpcs,
      double cpuContender,
      double cpuSpire,
      double cpuKube,
      double firstCreateSeconds) {
    public boolean converged() {
      return !Double.isNaN(seconds);
    }
  }

  /**
   * Nothing changes; the contender runs its periodic reconciliation.
   *
   * @param passes full passes in the window (-1 when the contender has no pass counter)
   * @param passSeconds mean full-pass duration (this operator's metric), NaN otherwise
   * @param reads each complete pass's ListEntries calls as the proxy saw them
   */
  public record Idle(
      String resync,
      double seconds,
      int passes,
      Counts rpcs,
      double passSeconds,
      org.spireoperator.bench.measure.Passes reads) {}

  /**
   * In MiB: heap figures from the JVM (NaN for Go), RSS from /proc.
   *
   * @param heapPeak highest heap occupancy before a GC pause, over both processes (GC log)
   * @param heapMaxAfter highest occupancy after a pause (GC log)
   * @param heapRetained heap in use after a full GC at the end (jcmd GC.run + GC.heap_info)
   * @param rssPeak VmHWM, highest of both processes
   * @param rssEnd VmRSS at the end
   */
  public record Memory(
      double heapPeak, double heapMaxAfter, double heapRetained, double rssPeak, double rssEnd) {
    public static Memory none() {
      return new Memory(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    public Memory merge(Memory o) {
      return new Memory(
          max(heapPeak, o.heapPeak),
          max(heapMaxAfter, o.heapMaxAfter),
          Double.isNaN(o.heapRetained) ? heapRetained : o.heapRetained,
          max(rssPeak, o.rssPeak),
          Double.isNaN(o.rssEnd) ? rssEnd : o.rssEnd);
    }

    private static double max(double a, double b) {
      return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }
  }

  public static ContenderRun unavailable(
      String contender, String version, Size size, String reason) {
    return new ContenderRun(
        contender, version, size, reason, null, 0, null, null, null, null, Memory.none(), "", null);
  }

  public boolean ran() {
    return unavailable == null;
  }
}
