package org.spireoperator.scm.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * The spec of a {@link ClusterFederatedTrustDomain}: spire-controller-manager v0.6.4's fields, JSON
 * names, types and schema pattern.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "trustDomain",
  "bundleEndpointURL",
  "bundleEndpointProfile",
  "trustDomainBundle",
  "className"
})
public class ClusterFederatedTrustDomainSpec {

  /** spire-controller-manager's schema pattern (unanchored, as theirs). */
  public static final String TRUST_DOMAIN_PATTERN = "[a-z0-9._-]{1,255}";

  @Required
  @Pattern(TRUST_DOMAIN_PATTERN)
  @JsonProperty("trustDomain")
  @JsonPropertyDescription(
      "Name of the foreign trust domain (e.g. example.org); one ClusterFederatedTrustDomain per "
          + "trust domain.")
  private String trustDomain;

  @Required
  @JsonProperty("bundleEndpointURL")
  @JsonPropertyDescription(
      "HTTPS URL of the foreign trust domain's bundle endpoint, without user info.")
  private String bundleEndpointURL;

  @Required
  @JsonProperty("bundleEndpointProfile")
  @JsonPropertyDescription("How the SPIRE server authenticates the bundle endpoint.")
  private BundleEndpointProfile bundleEndpointProfile;

  @JsonProperty("trustDomainBundle")
  @JsonPropertyDescription(
      "The foreign trust domain's bundle in SPIFFE bundle (JWKS) format, used when the "
          + "relationship is created (https_spiffe needs it to authenticate the endpoint the first "
          + "time). Optional.")
  private String trustDomainBundle;

  @JsonProperty("className")
  @JsonPropertyDescription(
      "Class of the controller that handles this object; controllers ignore other classes.")
  private String className;

  public ClusterFederatedTrustDomainSpec() {}

  public String getTrustDomain() {
    return trustDomain;
  }

  public void setTrustDomain(String trustDomain) {
    this.trustDomain = trustDomain;
  }

  public String getBundleEndpointURL() {
    return bundleEndpointURL;
  }

  public void setBundleEndpointURL(String bundleEndpointURL) {
    this.bundleEndpointURL = bundleEndpointURL;
  }

  public BundleEndpointProfile getBundleEndpointProfile() {
    return bundleEndpointProfile;
  }

  public void setBundleEndpointProfile(BundleEndpointProfile bundleEndpointProfile) {
    this.bundleEndpointProfile = bundleEndpointProfile;
  }

  public String getTrustDomainBundle() {
    return trustDomainBundle;
  }

  public void setTrustDomainBundle(String trustDomainBundle) {
    this.trustDomainBundle = trustDomainBundle;
  }

  public String getClassName() {
    return className;
  }

  public void setClassName(String className) {
    this.className = className;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterFederatedTrustDomainSpec s
        && Objects.equals(trustDomain, s.trustDomain)
        && Objects.equals(bundleEndpointURL, s.bundleEndpointURL)
        && Objects.equals(bundleEndpointProfile, s.bundleEndpointProfile)
        && Objects.equals(trustDomainBundle, s.trustDomainBundle)
        && Objects.equals(className, s.className);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        trustDomain, bundleEndpointURL, bundleEndpointProfile, trustDomainBundle, className);
  }

  @Override
  public String toString() {
    return "ClusterFederatedTrustDomainSpec{trustDomain="
        + trustDomain
        + ", bundleEndpointURL="
        + bundleEndpointURL
        + ", bundleEndpointProfile="
        + bundleEndpointProfile
        + ", className="
        + className
        + "}";
  }
}
