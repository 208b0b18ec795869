package org.spireoperator.scm.entries;

import org.spireoperator.scm.crd.ClusterSPIFFEIDStats;
import org.spireoperator.scm.crd.ClusterStaticEntryStatus;

/**
 * The status values spire-controller-manager writes, computed from a rendering report and the
 * outcome of writing to SPIRE.
 */
public final class StatusCounters {

  private StatusCounters() {}

  /**
   * A ClusterSPIFFEID's {@code stats}.
   *
   * @param entryFailures entries to set that the SPIRE server refused to create or update in the
   *     last write (entries already as declared need no write and never fail)
   */
  public static ClusterSPIFFEIDStats stats(ClusterSpiffeIdReport report, int entryFailures) {
    if (!report.specIsValid()) {
      return new ClusterSPIFFEIDStats();
    }
    return new ClusterSPIFFEIDStats(
        report.namespacesSelected(),
        report.namespacesIgnored(),
        report.podsSelected(),
        report.renderFailures().size(),
        report.entriesMasked(),
        report.entriesToSet(),
        entryFailures);
  }

  /**
   * A ClusterStaticEntry's {@code rendered}, {@code masked} and {@code set}.
   *
   * <p>{@code set} is true here when the entry is in SPIRE as declared (created, updated or already
   * equal). spire-controller-manager v0.6.4 sets it only in the pass that <em>creates</em> the
   * entry (an update or an entry already equal leaves it false): we report the state, not the
   * event.
   *
   * @param inSpire whether the entry is in SPIRE as declared after the last write
   */
  public static ClusterStaticEntryStatus staticStatus(StaticEntryReport report, boolean inSpire) {
    boolean rendered = report.rendered();
    boolean masked = rendered && report.masked();
    return new ClusterStaticEntryStatus(rendered, masked, rendered && !masked && inSpire);
  }
}
