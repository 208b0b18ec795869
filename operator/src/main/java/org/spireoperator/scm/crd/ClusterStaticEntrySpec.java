package org.spireoperator.scm.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

/**
 * The spec of a {@link ClusterStaticEntry}: spire-controller-manager v0.6.4's fields, JSON names
 * and types. TTLs are Go duration strings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "spiffeID",
  "parentID",
  "selectors",
  "federatesWith",
  "x509SVIDTTL",
  "jwtSVIDTTL",
  "dnsNames",
  "hint",
  "admin",
  "downstream",
  "storeSVID",
  "className"
})
public class ClusterStaticEntrySpec {

  @Required
  @JsonProperty("spiffeID")
  @JsonPropertyDescription("SPIFFE ID of the workload (or node alias), spiffe://<td>/<path>.")
  private String spiffeID;

  @Required
  @JsonProperty("parentID")
  @JsonPropertyDescription(
      "SPIFFE ID of the agent (or node alias) whose workloads may receive the SVID; "
          + "spiffe://<td>/spire/server for a node alias.")
  private String parentID;

  @Required
  @JsonProperty("selectors")
  @JsonPropertyDescription(
      "Selectors as type:value (any type, e.g. unix:uid:1000 or k8s_psat:cluster:demo); all "
          + "must match.")
  private List<String> selectors;

  @JsonProperty("federatesWith")
  @JsonPropertyDescription(
      "Trust domains whose bundles the workload also receives; each must be federated with the "
          + "SPIRE server.")
  private List<String> federatesWith;

  @JsonProperty("x509SVIDTTL")
  @JsonPropertyDescription(
      "Upper bound of the X509-SVID lifetime as a Go duration (e.g. 2h); absent means the server's "
          + "default.")
  private String x509SVIDTTL;

  @JsonProperty("jwtSVIDTTL")
  @JsonPropertyDescription(
      "Upper bound of the JWT-SVID lifetime as a Go duration (e.g. 5m); absent means the server's "
          + "default.")
  private String jwtSVIDTTL;

  @JsonProperty("dnsNames")
  @JsonPropertyDescription(
      "DNS names for the X509-SVID; the first becomes the certificate's common name.")
  private List<String> dnsNames;

  @Size(max = ScmApi.MAX_HINT_LENGTH)
  @JsonProperty("hint")
  @JsonPropertyDescription("Free-form hint given to the workload with the SVID.")
  private String hint;

  @JsonProperty("admin")
  @JsonPropertyDescription("Whether the SVID grants access to the SPIRE server's admin APIs.")
  private Boolean admin;

  @JsonProperty("downstream")
  @JsonPropertyDescription("Whether the entry describes a downstream SPIRE server.")
  private Boolean downstream;

  @JsonProperty("storeSVID")
  @JsonPropertyDescription("Whether the SVID is stored through an SVIDStore plugin.")
  private Boolean storeSVID;

  @JsonProperty("className")
  @JsonPropertyDescription(
      "Class of the controller that handles this object; controllers ignore other classes.")
  private String className;

  public ClusterStaticEntrySpec() {}

  public String getSpiffeID() {
    return spiffeID;
  }

  public void setSpiffeID(String spiffeID) {
    this.spiffeID = spiffeID;
  }

  public String getParentID() {
    return parentID;
  }

  public void setParentID(String parentID) {
    this.parentID = parentID;
  }

  public List<String> getSelectors() {
    return selectors;
  }

  public void setSelectors(List<String> selectors) {
    this.selectors = selectors;
  }

  public List<String> getFederatesWith() {
    return federatesWith;
  }

  public void setFederatesWith(List<String> federatesWith) {
    this.federatesWith = federatesWith;
  }

  public String getX509SVIDTTL() {
    return x509SVIDTTL;
  }

  public void setX509SVIDTTL(String x509SVIDTTL) {
    this.x509SVIDTTL = x509SVIDTTL;
  }

  public String getJwtSVIDTTL() {
    return jwtSVIDTTL;
  }

  public void setJwtSVIDTTL(String jwtSVIDTTL) {
    this.jwtSVIDTTL = jwtSVIDTTL;
  }

  public List<String> getDnsNames() {
    return dnsNames;
  }

  public void setDnsNames(List<String> dnsNames) {
    this.dnsNames = dnsNames;
  }

  public String getHint() {
    return hint;
  }

  public void setHint(String hint) {
    this.hint = hint;
  }

  public Boolean getAdmin() {
    return admin;
  }

  public void setAdmin(Boolean admin) {
    this.admin = admin;
  }

  public Boolean getDownstream() {
    return downstream;
  }

  public void setDownstream(Boolean downstream) {
    this.downstream = downstream;
  }

  public Boolean getStoreSVID() {
    return storeSVID;
  }

  public void setStoreSVID(Boolean storeSVID) {
    this.storeSVID = storeSVID;
  }

  public String getClassName() {
    return className;
  }

  public void setClassName(String className) {
    this.className = className;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterStaticEntrySpec s
        && Objects.equals(spiffeID, s.spiffeID)
        && Objects.equals(parentID, s.parentID)
        && Objects.equals(selectors, s.selectors)
        && Objects.equals(federatesWith, s.federatesWith)
        && Objects.equals(x509SVIDTTL, s.x509SVIDTTL)
        && Objects.equals(jwtSVIDTTL, s.jwtSVIDTTL)
        && Objects.equals(dnsNames, s.dnsNames)
        && Objects.equals(hint, s.hint)
        && Objects.equals(admin, s.admin)
        && Objects.equals(downstream, s.downstream)
        && Objects.equals(storeSVID, s.storeSVID)
        && Objects.equals(className, s.className);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        spiffeID,
        parentID,
        selectors,
        federatesWith,
        x509SVIDTTL,
        jwtSVIDTTL,
        dnsNames,
        hint,
        admin,
        downstream,
        storeSVID,
        className);
  }

  @Override
  public String toString() {
    return "ClusterStaticEntrySpec{spiffeID="
        + spiffeID
        + ", parentID="
        + parentID
        + ", selectors="
        + selectors
        + ", className="
        + className
        + "}";
  }
}
