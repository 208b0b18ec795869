package org.spireoperator.spire;

import java.util.Locale;
import java.util.Objects;

/**
 * A federation relationship of the SPIRE server with a foreign trust domain (TrustDomain API): the
 * trust domain (its key; the server holds at most one relationship per trust domain), the bundle
 * endpoint URL and profile, and the trust domain's bundle (null when none is given or stored).
 */
public record FederationRelationship(
    String trustDomain,
    String bundleEndpointUrl,
    BundleEndpointProfile profile,
    TrustBundle bundle) {

  public FederationRelationship {
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(bundleEndpointUrl, "bundleEndpointUrl");
    Objects.requireNonNull(profile, "profile");
  }

  /** This relationship without a bundle (an update then leaves the server's bundle alone). */
  public FederationRelationship withoutBundle() {
    return new FederationRelationship(trustDomain, bundleEndpointUrl, profile, null);
  }

  /**
   * Whether both federate alike: same trust domain, endpoint URL (scheme compared without case, as
   * the server normalizes it) and profile. Bundles are not compared: the server refreshes its copy
   * from the endpoint, so the bundle given at creation soon differs.
   */
  public boolean sameFederation(FederationRelationship other) {
    return trustDomain.equals(other.trustDomain)
        && normalizedUrl(bundleEndpointUrl).equals(normalizedUrl(other.bundleEndpointUrl))
        && profile.equals(other.profile);
  }

  private static String normalizedUrl(String url) {
    int colon = url.indexOf("://");
    return colon < 0
        ? url
        : url.substring(0, colon).toLowerCase(Locale.ROOT) + url.substring(colon);
  }
}
