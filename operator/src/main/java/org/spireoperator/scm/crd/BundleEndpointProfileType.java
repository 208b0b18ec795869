package org.spireoperator.scm.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Schema of {@code bundleEndpointProfile.type}: the two profile names, as an enum. */
public enum BundleEndpointProfileType {
  @JsonProperty(BundleEndpointProfile.HTTPS_SPIFFE)
  HTTPS_SPIFFE,
  @JsonProperty(BundleEndpointProfile.HTTPS_WEB)
  HTTPS_WEB
}
