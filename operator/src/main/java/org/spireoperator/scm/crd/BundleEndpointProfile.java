package org.spireoperator.scm.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * The bundle endpoint profile of a {@link ClusterFederatedTrustDomainSpec}: {@code https_web} or
 * {@code https_spiffe} with the endpoint's SPIFFE ID. {@code type} stays a string in Java so that a
 * value outside the enum still reads (and is reported) instead of failing the whole object.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"type", "endpointSPIFFEID"})
public class BundleEndpointProfile {

  public static final String HTTPS_WEB = "https_web";
  public static final String HTTPS_SPIFFE = "https_spiffe";

  @Required
  @SchemaFrom(type = BundleEndpointProfileType.class)
  @JsonProperty("type")
  @JsonPropertyDescription(
      "https_web (the endpoint has a Web PKI certificate) or https_spiffe (the endpoint presents "
          + "an X509-SVID, checked against the trust domain's bundle).")
  private String type;

  @JsonProperty("endpointSPIFFEID")
  @JsonPropertyDescription(
      "SPIFFE ID the bundle endpoint presents; required for https_spiffe, not allowed for "
          + "https_web.")
  private String endpointSPIFFEID;

  public BundleEndpointProfile() {}

  public BundleEndpointProfile(String type, String endpointSPIFFEID) {
    this.type = type;
    this.endpointSPIFFEID = endpointSPIFFEID;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getEndpointSPIFFEID() {
    return endpointSPIFFEID;
  }

  public void setEndpointSPIFFEID(String endpointSPIFFEID) {
    this.endpointSPIFFEID = endpointSPIFFEID;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BundleEndpointProfile p
        && Objects.equals(type, p.type)
        && Objects.equals(endpointSPIFFEID, p.endpointSPIFFEID);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, endpointSPIFFEID);
  }

  @Override
  public String toString() {
    return "BundleEndpointProfile{type=" + type + ", endpointSPIFFEID=" + endpointSPIFFEID + "}";
  }
}
