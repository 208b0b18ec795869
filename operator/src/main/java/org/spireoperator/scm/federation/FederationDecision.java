package org.spireoperator.scm.federation;

import java.util.Objects;
import org.spireoperator.spire.FederationRelationship;

/**
 * What to do about the relationship a ClusterFederatedTrustDomain declares, given what the SPIRE
 * server has and whether the operator owns it (a pure function; see {@link
 * ClusterFederatedTrustDomainReconciler} for the ownership rule).
 */
public sealed interface FederationDecision {

  /** The server has none: create it (with the declared bundle, if any). */
  record Create(FederationRelationship relationship) implements FederationDecision {}

  /**
   * Ours but different: update endpoint URL and profile; a bundle the server holds (refreshed from
   * the endpoint) is kept, and when it holds none the declared bundle, if any, is written.
   */
  record Update(FederationRelationship relationship) implements FederationDecision {}

  /** Ours (or equal and adopted) and as declared: nothing to write. */
  record Keep(boolean adopted) implements FederationDecision {}

  /** Someone else's and different: leave it, report it. */
  record Conflict(FederationRelationship existing) implements FederationDecision {}

  static FederationDecision decide(
      FederationRelationship declared, FederationRelationship existing, boolean owned) {
    Objects.requireNonNull(declared, "declared");
    if (existing == null) {
      return new Create(declared);
    }
    if (existing.sameFederation(declared)) {
      return new Keep(!owned);
    }
    if (owned) {
      return new Update(existing.bundle() == null ? declared : declared.withoutBundle());
    }
    return new Conflict(existing);
  }
}
