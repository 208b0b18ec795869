package org.spireoperator.app;

import java.time.Duration;
import org.spireoperator.k8s.AgentPodSelector;

/**
 * How the operator runs (as opposed to what it registers, which is {@link
 * org.spireoperator.registration.RegistrationSettings}).
 *
 * @param resyncPeriod period of the full pass (the safety net)
 * @param batchSize entries per batch write RPC
 * @param writeConcurrency batch RPCs in flight at once
 * @param reconcileThreads JOSDK reconciliation threads (concurrent pod changes, hence batch size
 *     under load)
 * @param agentPods how SPIRE agent pods are recognised
 * @param leaderElection null to run without leader election
 * @param exitOnStopLeading exit the process when leadership is lost (production); false in tests
 */
public record OperatorOptions(
    Duration resyncPeriod,
    int batchSize,
    int writeConcurrency,
    int reconcileThreads,
    AgentPodSelector agentPods,
    LeaderElection leaderElection,
    boolean exitOnStopLeading) {

  /** A Lease named {@code name} in {@code namespace}, held as {@code identity}. */
  public record LeaderElection(
      String name,
      String namespace,
      String identity,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod) {

    public static LeaderElection of(String name, String namespace, String identity) {
      return new LeaderElection(
          name,
          namespace,
          identity,
          Duration.ofSeconds(15),
          Duration.ofSeconds(10),
          Duration.ofSeconds(2));
    }
  }

  public OperatorOptions withLeaderElection(LeaderElection le) {
    return new OperatorOptions(
        resyncPeriod,
        batchSize,
        writeConcurrency,
        reconcileThreads,
        agentPods,
        le,
        exitOnStopLeading);
  }

  public OperatorOptions withResyncPeriod(Duration period) {
    return new OperatorOptions(
        period,
        batchSize,
        writeConcurrency,
        reconcileThreads,
        agentPods,
        leaderElection,
        exitOnStopLeading);
  }
}
