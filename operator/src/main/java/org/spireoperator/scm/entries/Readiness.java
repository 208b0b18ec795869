package org.spireoperator.scm.entries;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.spireoperator.scm.crd.ScmApi;

/**
 * The {@code Ready} condition of a spire-controller-manager object, as a value: status, a CamelCase
 * reason and a message.
 */
public record Readiness(boolean ready, String reason, String message) {

  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String RENDER_FAILURES = "RenderFailures";
  public static final String ENTRY_FAILURES = "EntryFailures";
  public static final String MASKED = "Masked";
  public static final String SPIRE_ERROR = "SpireError";
  public static final String ENTRIES_SET = "EntriesSet";

  private static final int FAILURES_NAMED = 3;

  public Readiness {
    Objects.requireNonNull(reason, "reason");
    message = message == null ? "" : message;
  }

  /**
   * A ClusterSPIFFEID: not ready when its spec is invalid, when SPIRE refused entries, or when some
   * selected pods' entries cannot be rendered (the first few are named).
   */
  public static Readiness of(ClusterSpiffeIdReport report, int entryFailures) {
    if (!report.specIsValid()) {
      return new Readiness(false, INVALID_SPEC, report.specProblem());
    }
    if (entryFailures > 0) {
      return new Readiness(
          false, ENTRY_FAILURES, entryFailures + " entries were refused by the SPIRE server");
    }
    List<ClusterSpiffeIdReport.RenderFailure> failures = report.renderFailures();
    if (!failures.isEmpty()) {
      StringBuilder m = new StringBuilder();
      m.append(failures.size()).append(" of ").append(report.podsSelected());
      m.append(" selected pods have no entry: ");
      for (int i = 0; i < Math.min(FAILURES_NAMED, failures.size()); i++) {
        m.append(i == 0 ? "" : "; ")
            .append(failures.get(i).pod())
            .append(": ")
            .append(failures.get(i).message());
      }
      if (failures.size() > FAILURES_NAMED) {
        m.append("; ...");
      }
      return new Readiness(false, RENDER_FAILURES, m.toString());
    }
    return new Readiness(
        true,
        ENTRIES_SET,
        report.entriesToSet() + " entries set, " + report.entriesMasked() + " masked");
  }

  /** A ClusterStaticEntry. */
  public static Readiness of(StaticEntryReport report, boolean inSpire, String spireProblem) {
    if (!report.rendered()) {
      return new Readiness(false, INVALID_SPEC, report.renderProblem());
    }
    if (report.masked()) {
      return new Readiness(
          false,
          MASKED,
          "an older ClusterStaticEntry or ClusterSPIFFEID declares the same entry (SPIFFE ID, "
              + "parent and selectors)");
    }
    if (!inSpire) {
      return new Readiness(
          false, SPIRE_ERROR, spireProblem == null ? "the entry is not set yet" : spireProblem);
    }
    return new Readiness(true, ENTRIES_SET, "the entry is set");
  }

  /**
   * As a Kubernetes condition; {@code lastTransitionTime} stays that of the {@code Ready} condition
   * among {@code current} (the object's conditions, may be null) when the status did not change.
   */
  public Condition toCondition(Long generation, List<Condition> current, Instant now) {
    Condition previous =
        current == null
            ? null
            : current.stream()
                .filter(c -> ScmApi.READY.equals(c.getType()))
                .findFirst()
                .orElse(null);
    String status = ready ? "True" : "False";
    String since =
        previous != null
                && status.equals(previous.getStatus())
                && previous.getLastTransitionTime() != null
            ? previous.getLastTransitionTime()
            : now.toString();
    return new ConditionBuilder()
        .withType(ScmApi.READY)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }
}
