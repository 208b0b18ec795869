package org.spireoperator.spire.testserver;

import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.security.KeyFactory;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Locale;
import spire.api.types.Bundle;
import spire.api.types.FederationRelationship;

/**
 * The TrustDomain API's checks of a relationship (SPIRE's ProtoToFederationRelationship): trust
 * domain syntax, an https bundle endpoint URL with a host and no user info, a profile (a valid
 * SPIFFE ID for https_spiffe), and a bundle of the same trust domain whose certificates and keys
 * parse. Answers the relationship as the server stores it (URL scheme in lower case).
 */
final class FederationValidation {

  private static final String PREFIX = "failed to convert federation relationship: ";

  private FederationValidation() {}

  static FederationRelationship check(FederationRelationship r) {
    String td;
    try {
      td = SpiffeIdRules.trustDomainName(r.getTrustDomain());
    } catch (IllegalArgumentException e) {
      throw invalid("failed to parse trust domain: " + e.getMessage());
    }
    String url = checkUrl(r.getBundleEndpointUrl());
    var b = r.toBuilder().setTrustDomain(td).setBundleEndpointUrl(url);
    switch (r.getBundleEndpointProfileCase()) {
      case HTTPS_SPIFFE -> {
        String id = r.getHttpsSpiffe().getEndpointSpiffeId();
        try {
          if (!id.contains(":/")) {
            throw new IllegalArgumentException("scheme is missing or invalid");
          }
          SpiffeIdRules.trustDomainName(id);
        } catch (IllegalArgumentException e) {
          throw invalid("failed to parse endpoint SPIFFE ID: " + e.getMessage());
        }
      }
      case HTTPS_WEB -> {}
      case BUNDLEENDPOINTPROFILE_NOT_SET ->
          throw invalid("unsupported bundle endpoint profile type: <nil>");
    }
    if (r.hasTrustDomainBundle()) {
      checkBundle(r.getTrustDomainBundle(), td);
    }
    return b.build();
  }

  /** Go's url.Parse, then SPIRE's three rules. */
  private static String checkUrl(String url) {
    int colon = url.indexOf(':');
    String scheme =
        colon > 0 && url.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")
            ? url.substring(0, colon).toLowerCase(Locale.ROOT)
            : "";
    if (!scheme.equals("https")) {
      throw invalid("bundle endpoint URL must use the https scheme");
    }
    String rest = url.substring(colon + 1);
    if (!rest.startsWith("//")) {
      throw invalid("bundle endpoint URL must specify the host");
    }
    String authority = rest.substring(2).split("[/?#]", 2)[0];
    if (authority.contains("@")) {
      throw invalid("bundle endpoint URL must not contain user info");
    }
    String host = authority.startsWith("[") ? authority : authority.split(":", 2)[0];
    if (host.isEmpty()) {
      throw invalid("bundle endpoint URL must specify the host");
    }
    return scheme + url.substring(colon);
  }

  private static void checkBundle(Bundle bundle, String relationshipTrustDomain) {
    String td;
    try {
      td = SpiffeIdRules.trustDomainName(bundle.getTrustDomain());
    } catch (IllegalArgumentException e) {
      throw invalid("failed to parse bundle: invalid trust domain: " + e.getMessage());
    }
    for (var authority : bundle.getX509AuthoritiesList()) {
      if (authority.getAsn1().isEmpty()) {
        continue;
      }
      try {
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(authority.getAsn1().toByteArray()));
      } catch (CertificateException e) {
        throw invalid("failed to parse bundle: unable to parse X.509 authority: " + e.getMessage());
      }
    }
    for (var key : bundle.getJwtAuthoritiesList()) {
      if (!parsesAsPkix(key.getPublicKey().toByteArray())) {
        throw invalid("failed to parse bundle: unable to parse JWT authority: bad public key");
      }
      if (key.getKeyId().isEmpty()) {
        throw invalid("failed to parse bundle: unable to parse JWT authority: missing key ID");
      }
    }
    if (!td.equals(relationshipTrustDomain)) {
      throw invalid(
          "trust domain bundle (\""
              + bundle.getTrustDomain()
              + "\") must match the trust domain of the federation relationship (\""
              + relationshipTrustDomain
              + "\")");
    }
  }

  private static boolean parsesAsPkix(byte[] der) {
    for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
      try {
        KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
        return true;
      } catch (Exception e) {
        // try the next algorithm
      }
    }
    return false;
  }

  private static ItemFailure invalid(String message) {
    return new ItemFailure(Status.Code.INVALID_ARGUMENT, PREFIX + message);
  }
}
