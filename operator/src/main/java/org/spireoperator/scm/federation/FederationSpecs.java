package org.spireoperator.scm.federation;

import org.spireoperator.scm.Outcome;
import org.spireoperator.scm.crd.BundleEndpointProfile;
import org.spireoperator.scm.crd.ClusterFederatedTrustDomainSpec;
import org.spireoperator.scm.entries.SpecValues;
import org.spireoperator.spire.FederationRelationship;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.TrustBundle;

/**
 * A ClusterFederatedTrustDomain spec as the federation relationship it declares, checked as
 * spire-controller-manager checks it (its admission webhook refuses the same specs): a trust domain
 * name (or SPIFFE ID), an {@code https} bundle endpoint URL with a host and no user info, {@code
 * https_web} without an endpoint SPIFFE ID or {@code https_spiffe} with one, and a bundle that
 * reads as a SPIFFE bundle. Beyond that, the server's own trust domain is refused here (the SPIRE
 * server would refuse it).
 */
public final class FederationSpecs {

  private FederationSpecs() {}

  public static Outcome<FederationRelationship> parse(
      ClusterFederatedTrustDomainSpec spec, String serverTrustDomain) {
    if (spec == null) {
      return Outcome.failed("spec is missing");
    }
    Outcome<String> td = SpecValues.trustDomain(spec.getTrustDomain()).context("trustDomain");
    if (!td.isOk()) {
      return Outcome.failed(td.failure());
    }
    String trustDomain = td.orElseThrow();
    if (trustDomain.equals(serverTrustDomain)) {
      return Outcome.failed(
          "trustDomain: \"" + trustDomain + "\" is the SPIRE server's own trust domain");
    }
    String urlProblem = urlProblem(spec.getBundleEndpointURL());
    if (urlProblem != null) {
      return Outcome.failed("bundleEndpointURL: " + urlProblem);
    }
    Outcome<org.spireoperator.spire.BundleEndpointProfile> profile =
        profile(spec.getBundleEndpointProfile());
    if (!profile.isOk()) {
      return Outcome.failed(profile.failure());
    }
    TrustBundle bundle = null;
    if (spec.getTrustDomainBundle() != null && !spec.getTrustDomainBundle().isEmpty()) {
      Outcome<TrustBundle> parsed =
          SpiffeBundles.parse(trustDomain, spec.getTrustDomainBundle())
              .context("trustDomainBundle");
      if (!parsed.isOk()) {
        return Outcome.failed(parsed.failure());
      }
      bundle = parsed.orElseThrow();
    }
    return Outcome.ok(
        new FederationRelationship(
            trustDomain, spec.getBundleEndpointURL(), profile.orElseThrow(), bundle));
  }

  private static Outcome<org.spireoperator.spire.BundleEndpointProfile> profile(
      BundleEndpointProfile p) {
    if (p == null) {
      return Outcome.failed("bundleEndpointProfile is missing");
    }
    String endpointId = p.getEndpointSPIFFEID() == null ? "" : p.getEndpointSPIFFEID();
    if (BundleEndpointProfile.HTTPS_WEB.equals(p.getType())) {
      if (!endpointId.isEmpty()) {
        return Outcome.failed(
            "bundleEndpointProfile.endpointSPIFFEID: not allowed with the https_web profile");
      }
      return Outcome.ok(org.spireoperator.spire.BundleEndpointProfile.httpsWeb());
    }
    if (BundleEndpointProfile.HTTPS_SPIFFE.equals(p.getType())) {
      Outcome<SpiffeId> id =
          SpecValues.spiffeId(endpointId.isEmpty() ? null : endpointId)
              .context("bundleEndpointProfile.endpointSPIFFEID");
      return id.map(org.spireoperator.spire.BundleEndpointProfile::httpsSpiffe);
    }
    return Outcome.failed(
        "bundleEndpointProfile.type: \""
            + p.getType()
            + "\" is neither https_web nor https_spiffe");
  }

  /** Null for an https URL with a host and without user info, else the problem. */
  static String urlProblem(String url) {
    if (url == null || url.isEmpty()) {
      return "is missing";
    }
    int colon = url.indexOf(':');
    String scheme =
        colon > 0 && url.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")
            ? url.substring(0, colon).toLowerCase(java.util.Locale.ROOT)
            : "";
    if (!scheme.equals("https")) {
      return "\"" + url + "\" is not an https URL";
    }
    String rest = url.substring(colon + 1);
    String authority = rest.startsWith("//") ? rest.substring(2).split("[/?#]", 2)[0] : "";
    if (authority.contains("@")) {
      return "\"" + url + "\" must not contain user info";
    }
    String host = authority.startsWith("[") ? authority : authority.split(":", 2)[0];
    if (host.isEmpty()) {
      return "\"" + url + "\" has no host";
    }
    return null;
  }
}
