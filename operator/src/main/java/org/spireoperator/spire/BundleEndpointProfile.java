package org.spireoperator.spire;

import java.util.Objects;

/**
 * How the SPIRE server authenticates a foreign trust domain's bundle endpoint: {@code https_web}
 * (Web PKI) or {@code https_spiffe} (the endpoint presents an X509-SVID with a given SPIFFE ID).
 */
public sealed interface BundleEndpointProfile {

  /** The profile's name as SPIRE's configuration and CLI write it. */
  String name();

  record HttpsWeb() implements BundleEndpointProfile {
    @Override
    public String name() {
      return "https_web";
    }
  }

  record HttpsSpiffe(SpiffeId endpointSpiffeId) implements BundleEndpointProfile {
    public HttpsSpiffe {
      Objects.requireNonNull(endpointSpiffeId, "endpointSpiffeId");
    }

    @Override
    public String name() {
      return "https_spiffe";
    }
  }

  /** What a server answer without a profile reads as; equals no declared profile. */
  record Unspecified() implements BundleEndpointProfile {
    @Override
    public String name() {
      return "unspecified";
    }
  }

  static BundleEndpointProfile httpsWeb() {
    return new HttpsWeb();
  }

  static BundleEndpointProfile httpsSpiffe(SpiffeId endpointSpiffeId) {
    return new HttpsSpiffe(endpointSpiffeId);
  }
}
