package org.spireoperator.scm.entries;

import java.util.List;
import java.util.Objects;

/**
 * What rendering found for one ClusterSPIFFEID: its spec problem (then every counter is zero, as
 * spire-controller-manager reports an object it ignores), or its counters and the pods whose entry
 * failed to render. {@code entryFailures} is not here: it comes from writing to SPIRE (see {@link
 * StatusCounters}).
 */
public record ClusterSpiffeIdReport(
    String name,
    String specProblem,
    int namespacesSelected,
    int namespacesIgnored,
    int podsSelected,
    List<RenderFailure> renderFailures,
    int entriesMasked,
    int entriesToSet) {

  /** A pod ({@code namespace/name}) whose entry could not be rendered, and why. */
  public record RenderFailure(String pod, String message) {}

  public ClusterSpiffeIdReport {
    Objects.requireNonNull(name, "name");
    renderFailures = List.copyOf(renderFailures);
  }

  public boolean specIsValid() {
    return specProblem == null;
  }
}
