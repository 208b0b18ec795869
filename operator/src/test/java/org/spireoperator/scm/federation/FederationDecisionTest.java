package org.spireoperator.scm.federation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.spireoperator.spire.BundleEndpointProfile;
import org.spireoperator.spire.FederationRelationship;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.TrustBundle;

/** Create, update, keep, adopt or leave alone: decided from what the server has and who owns it. */
class FederationDecisionTest {

  private static final TrustBundle BUNDLE =
      new TrustBundle("partner.org", java.util.List.of(), java.util.List.of(), 0, 1);
  private static final FederationRelationship DECLARED =
      new FederationRelationship(
          "partner.org", "https://partner.org/bundle", BundleEndpointProfile.httpsWeb(), BUNDLE);
  private static final FederationRelationship ELSEWHERE =
      new FederationRelationship(
          "partner.org",
          "https://elsewhere.org/bundle",
          BundleEndpointProfile.httpsSpiffe(SpiffeId.parse("spiffe://partner.org/server")),
          null);

  @Test
  void absentIsCreatedWithItsBundle() {
    assertThat(FederationDecision.decide(DECLARED, null, false))
        .isEqualTo(new FederationDecision.Create(DECLARED));
  }

  @Test
  void oursAndDifferentIsUpdatedWithoutTheBundleTheServerHolds() {
    FederationRelationship elsewhereWithBundle =
        new FederationRelationship(
            ELSEWHERE.trustDomain(),
            ELSEWHERE.bundleEndpointUrl(),
            ELSEWHERE.profile(),
            new TrustBundle("partner.org", java.util.List.of(), java.util.List.of(), 300, 9));

    assertThat(FederationDecision.decide(DECLARED, elsewhereWithBundle, true))
        .isEqualTo(new FederationDecision.Update(DECLARED.withoutBundle()));
  }

  @Test
  void oursAndDifferentIsUpdatedWithTheDeclaredBundleWhenTheServerHoldsNone() {
    assertThat(FederationDecision.decide(DECLARED, ELSEWHERE, true))
        .isEqualTo(new FederationDecision.Update(DECLARED));
  }

  @Test
  void someoneElsesAndDifferentIsAConflict() {
    assertThat(FederationDecision.decide(DECLARED, ELSEWHERE, false))
        .isEqualTo(new FederationDecision.Conflict(ELSEWHERE));
  }

  @Test
  void someoneElsesAndEqualIsAdopted() {
    assertThat(FederationDecision.decide(DECLARED, DECLARED.withoutBundle(), false))
        .isEqualTo(new FederationDecision.Keep(true));
  }

  @Test
  void aBundleRefreshedByTheServerIsNoDifference() {
    FederationRelationship refreshed =
        new FederationRelationship(
            "partner.org",
            "HTTPS://partner.org/bundle",
            BundleEndpointProfile.httpsWeb(),
            new TrustBundle("partner.org", java.util.List.of(), java.util.List.of(), 300, 9));

    assertThat(FederationDecision.decide(DECLARED, refreshed, true))
        .isEqualTo(new FederationDecision.Keep(false));
  }
}
